package dev.tally.ledger.audit;

import dev.tally.ledger.balance.BalanceStore;
import dev.tally.ledger.domain.LedgerSnapshot;
import dev.tally.ledger.domain.LedgerState;
import dev.tally.ledger.eventstore.EventPages;
import org.springframework.stereotype.Service;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Proves the event store's history unedited (the hash chain, {@link ChainCheck}) and the balances projection right:
 * replays a ledger from its first event and compares every row. The events come
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
        ChainCheck chain = new ChainCheck(ledgerId);
        List<String> unreadable = new ArrayList<>();
        long count = events.forEach(ledgerId, REPLAY_PAGE, stored -> {
            chain.check(stored);
            if (!unreadable.isEmpty()) {
                return;
            }
            try {
                replayed.apply(stored.event());
            } catch (RuntimeException e) {
                // A row edited into something the fold cannot take: say where, instead of failing the whole check.
                unreadable.add("replay stopped at event sequence " + stored.sequence() + ": " + e.getMessage());
            }
        });
        if (count == 0) {
            return Optional.empty();
        }
        LedgerSnapshot expected = replayed.snapshot();
        Optional<LedgerSnapshot> actual = projection.read(ledgerId);
        List<String> differences = new ArrayList<>(chain.problems());
        differences.addAll(unreadable);
        differences.addAll(actual.isEmpty() ? List.of("the projection has no ledger " + ledgerId)
                : SnapshotComparison.differences(expected, actual.get(), "replay", "projection"));
        return Optional.of(new VerificationReport(ledgerId, count, projection.eventsApplied(ledgerId),
                differences.isEmpty(), differences));
    }
}
