package dev.tally.ledger.audit;

import dev.tally.ledger.domain.LedgerSnapshot;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Row-by-row differences between two pictures of a ledger, one sentence each: what {@code verify} reports for the
 * projection and what {@code ./tally audit verify FILE} reports for a file's manifest.
 */
public final class SnapshotComparison {

    private SnapshotComparison() {
    }

    /** Each difference names the row; {@code expectedName} and {@code actualName} say where each value came from. */
    public static List<String> differences(LedgerSnapshot expected, LedgerSnapshot actual, String expectedName,
            String actualName) {
        List<String> differences = new ArrayList<>();
        if (expected.criticalOverdraftLimit() != actual.criticalOverdraftLimit()) {
            differences.add("critical_overdraft_limit: " + expectedName + " " + expected.criticalOverdraftLimit()
                    + ", " + actualName + " " + actual.criticalOverdraftLimit());
        }
        compareRows("account", expected.accounts(), actual.accounts(), LedgerSnapshot.AccountBalance::accountId,
                expectedName, actualName, differences);
        compareRows("reservation", expected.reservations(), actual.reservations(),
                LedgerSnapshot.OpenReservation::reservationId, expectedName, actualName, differences);
        compareRows("budget", expected.budgets(), actual.budgets(), LedgerSnapshot.BudgetWindow::budgetId,
                expectedName, actualName, differences);
        return differences;
    }

    private static <T> void compareRows(String kind, List<T> expectedRows, List<T> actualRows,
            Function<T, String> id, String expectedName, String actualName, List<String> differences) {
        Map<String, T> expected = expectedRows.stream().collect(Collectors.toMap(id, Function.identity()));
        Map<String, T> actual = actualRows.stream().collect(Collectors.toMap(id, Function.identity()));
        TreeSet<String> ids = new TreeSet<>(expected.keySet());
        ids.addAll(actual.keySet());
        for (String rowId : ids) {
            T want = expected.get(rowId);
            T have = actual.get(rowId);
            if (!Objects.equals(want, have)) {
                differences.add(kind + " " + rowId + ": " + expectedName + " " + want + ", " + actualName + " "
                        + have);
            }
        }
    }
}
