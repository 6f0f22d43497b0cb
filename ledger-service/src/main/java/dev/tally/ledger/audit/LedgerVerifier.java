package dev.tally.ledger.audit;

import dev.tally.ledger.balance.BalanceStore;
import dev.tally.ledger.domain.LedgerSnapshot;
import dev.tally.ledger.domain.LedgerState;
import dev.tally.ledger.eventstore.EventPages;
import org.springframework.stereotype.Service;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Proves the balances projection: replays a ledger from its first event and compares every row. The events come
 * through the readers' pool a page at a time, so a long ledger neither holds a connection for the whole replay nor
 * takes one from the command path.
 */
@Service
public class LedgerVerifier {

    /** Events read per statement: each stays well inside the readers' statement timeout. */
    static final int REPLAY_PAGE = 5000;

    private final EventPages events;
    private final BalanceStore projection;

    LedgerVerifier(EventPages events, BalanceStore projection) {
        this.events = events;
        this.projection = projection;
    }

    public Optional<VerificationReport> verify(String ledgerId) {
        LedgerState replayed = new LedgerState();
        long count = events.forEach(ledgerId, REPLAY_PAGE, stored -> replayed.apply(stored.event()));
        if (count == 0) {
            return Optional.empty();
        }
        LedgerSnapshot expected = replayed.snapshot();
        Optional<LedgerSnapshot> actual = projection.read(ledgerId);
        List<String> differences = new ArrayList<>();
        if (actual.isEmpty()) {
            differences.add("the projection has no ledger " + ledgerId);
        } else {
            compare(expected, actual.get(), differences);
        }
        return Optional.of(new VerificationReport(ledgerId, count, projection.eventsApplied(ledgerId),
                differences.isEmpty(), differences));
    }

    private static void compare(LedgerSnapshot replay, LedgerSnapshot projected, List<String> differences) {
        if (replay.criticalOverdraftLimit() != projected.criticalOverdraftLimit()) {
            differences.add("critical_overdraft_limit: replay " + replay.criticalOverdraftLimit() + ", projection "
                    + projected.criticalOverdraftLimit());
        }
        compareRows("account", replay.accounts(), projected.accounts(), LedgerSnapshot.AccountBalance::accountId,
                differences);
        compareRows("reservation", replay.reservations(), projected.reservations(),
                LedgerSnapshot.OpenReservation::reservationId, differences);
        compareRows("budget", replay.budgets(), projected.budgets(), LedgerSnapshot.BudgetWindow::budgetId,
                differences);
    }

    private static <T> void compareRows(String kind, List<T> replay, List<T> projected, Function<T, String> id,
            List<String> differences) {
        Map<String, T> expected = replay.stream().collect(Collectors.toMap(id, Function.identity()));
        Map<String, T> actual = projected.stream().collect(Collectors.toMap(id, Function.identity()));
        TreeSet<String> ids = new TreeSet<>(expected.keySet());
        ids.addAll(actual.keySet());
        for (String rowId : ids) {
            T want = expected.get(rowId);
            T have = actual.get(rowId);
            if (!Objects.equals(want, have)) {
                differences.add(kind + " " + rowId + ": replay " + want + ", projection " + have);
            }
        }
    }
}
