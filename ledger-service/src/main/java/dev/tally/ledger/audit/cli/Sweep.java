package dev.tally.ledger.audit.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code verify --org ID} and {@code verify --all}: {@link LedgerCheck} ledger by ledger, each difference on a
 * {@code FAIL} line, progress on the error stream for long sweeps, and a summary line.
 */
final class Sweep {

    private final LedgerApi api;
    private final LedgerCheck check;
    private final PrintStream out;
    private final PrintStream progress;

    Sweep(LedgerApi api, LedgerCheck check, PrintStream out, PrintStream progress) {
        this.api = api;
        this.check = check;
        this.out = out;
        this.progress = progress;
    }

    /** True when every ledger agrees. */
    boolean run(List<String> ledgerIds) {
        List<String> differing = new ArrayList<>();
        long started = System.nanoTime();
        long reportAt = started;
        for (int i = 0; i < ledgerIds.size(); i++) {
            String ledgerId = ledgerIds.get(i);
            List<String> differences;
            try {
                differences = check.check(ledgerId);
            } catch (LedgerApi.ApiFailure e) {
                differences = List.of(e.getMessage());
            }
            if (differences.isEmpty()) {
                if (ledgerIds.size() == 1) {
                    out.println("OK ledger " + ledgerId + ": event store chain, projection and topic agree");
                }
            } else {
                differing.add(ledgerId);
                differences.forEach(difference -> out.println("FAIL ledger " + ledgerId + ": " + difference));
            }
            if (System.nanoTime() - reportAt > 5_000_000_000L || i + 1 == ledgerIds.size() && ledgerIds.size() > 1) {
                progress.println("audit: " + (i + 1) + "/" + ledgerIds.size() + " ledgers checked, "
                        + differing.size() + " differ, " + (System.nanoTime() - started) / 1_000_000_000L + " s");
                reportAt = System.nanoTime();
            }
        }
        out.println("SUMMARY " + ledgerIds.size() + " ledger(s) checked, " + (ledgerIds.size() - differing.size())
                + " agree, " + differing.size() + " differ" + (differing.isEmpty() ? "" : ": "
                + String.join(", ", differing)));
        return differing.isEmpty();
    }

    static List<String> allLedgers(LedgerApi api) {
        List<String> ids = new ArrayList<>();
        String after = null;
        do {
            LedgerApi.IdPage page = api.ledgers(after);
            ids.addAll(page.ids());
            after = page.nextAfter();
        } while (after != null);
        return ids;
    }
}
