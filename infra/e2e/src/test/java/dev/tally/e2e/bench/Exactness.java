package dev.tally.e2e.bench;

import dev.tally.gateway.bench.FakeOpenAi;
import org.awaitility.core.ConditionTimeoutException;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.awaitility.Awaitility.await;

/**
 * After a scenario: once the product is quiet, the ledger must hold exactly what the provider billed. Quiet means the
 * ledger has read every command (its consumer group's lag is 0), no reservation is open (the gateway's leases were
 * released: idle ones after {@code idle-release}, or at its shutdown) and neither the charges nor the fake's count of
 * answers moved for a second. Then:
 * <ul>
 *   <li>charged credits (the purchase minus the accounts' balances) = answers the fake upstream gave the gateway ×
 *       the credits one answer's usage costs at the org's rate (governance's price table);</li>
 *   <li>and, because the gateway by design charges nothing for a request whose client left before the answer (wrk
 *       abandons the requests in flight when a run ends, some of them already answered upstream): every 200 the
 *       clients received was charged, nothing beyond what was billed, and the uncharged answers are no more than the
 *       requests wrk can have abandoned (its connections, once per run);</li>
 *   <li>the budget windows (every agent has one) add up to the same charge;</li>
 *   <li>no reservation is open and nothing is reserved;</li>
 *   <li>{@code verify}: the replayed events agree with the projection, which has applied all of them.</li>
 * </ul>
 * Each check prints a PASS or FAIL line and is kept for the summary.
 */
final class Exactness {

    /** ledger-service's command intake (LedgerCommandListener). */
    static final String LEDGER_INTAKE_GROUP = "ledger-commands";
    private static final Duration QUIET_WITHIN = Duration.ofSeconds(120);

    private final LedgerReads ledger;
    private final ConsumerLag lag;
    private final FakeOpenAi upstream;
    private final String upstreamKey;
    private final BenchOrg org;
    private final long creditsPerAnswer;
    private final List<Check> checks = new ArrayList<>();

    Exactness(LedgerReads ledger, ConsumerLag lag, FakeOpenAi upstream, String upstreamKey, BenchOrg org,
            long creditsPerAnswer) {
        this.ledger = ledger;
        this.lag = lag;
        this.upstream = upstream;
        this.upstreamKey = upstreamKey;
        this.org = org;
        this.creditsPerAnswer = creditsPerAnswer;
    }

    /** One check's outcome, as printed. */
    record Check(String after, String what, boolean passed, String detail) {

        String line() {
            return String.format("%s [%s] %s: %s", passed ? "PASS" : "FAIL", after, what, detail);
        }
    }

    List<Check> checks() {
        return List.copyOf(checks);
    }

    boolean allPassed() {
        return checks.stream().allMatch(Check::passed);
    }

    /**
     * Waits until quiet, then checks; {@code after} names the moment ("scenario A", …) in the printed lines.
     *
     * @param delivered       200s the clients received from the gateway so far (wrk's 2xx and single requests)
     * @param abandonedAtMost requests the clients can have left in flight so far (wrk's connections, once per run)
     */
    void check(String after, long delivered, long abandonedAtMost) throws InterruptedException {
        long begin = System.nanoTime();
        Quiet quiet = awaitQuiet();
        System.out.printf("  %s: %s after %.1f s%n", after, quiet.reached() ? "quiet" : "NOT quiet",
                (System.nanoTime() - begin) / 1e9);
        LedgerReads.Projection projection = quiet.projection();
        long answers = upstream.answeredFor(upstreamKey);
        long billed = answers * creditsPerAnswer;
        long charged = org.purchased() - projection.balance();
        record(after, "charged = billed", charged == billed, String.format(
                "ledger charged %,d credits; the fake upstream billed %,d answers × %d credits = %,d", charged, answers,
                creditsPerAnswer, billed));
        long uncharged = answers - charged / creditsPerAnswer;
        boolean bounded = charged % creditsPerAnswer == 0 && charged >= delivered * creditsPerAnswer
                && charged <= billed && uncharged <= abandonedAtMost;
        record(after, "delivered ≤ charged ≤ billed", bounded, String.format(
                "%,d answers delivered (wrk's 2xx) ≤ %,d charged ≤ %,d billed; %,d billed but not charged, of at most "
                        + "%,d requests abandoned by wrk at the end of its runs", delivered, charged / creditsPerAnswer,
                answers, uncharged, abandonedAtMost));
        record(after, "budgets = charged", projection.budgetsCharged() == charged, String.format(
                "the agents' DAILY budget windows hold %,d charged credits", projection.budgetsCharged()));
        record(after, "no open reservation", projection.openReservations() == 0 && projection.reserved() == 0,
                String.format("%d open, %,d credits reserved", projection.openReservations(), projection.reserved()));
        JsonNode verify = verified();
        long replayed = verify.path("events_replayed").asLong();
        long applied = verify.path("projection_events_applied").asLong();
        boolean consistent = verify.path("consistent").asBoolean() && replayed == applied;
        record(after, "verify", consistent, String.format("consistent %s, %,d events replayed, %,d applied%s",
                verify.path("consistent").asBoolean(), replayed, applied,
                verify.path("differences").isEmpty() ? "" : ", differences " + abbreviate(verify.path("differences")
                        .toString())));
    }

    /** Asks again while the projection is still catching up with the event store (it says so by a lower count). */
    private JsonNode verified() throws InterruptedException {
        AtomicReference<JsonNode> verify = new AtomicReference<>();
        try {
            await().atMost(Duration.ofSeconds(10)).pollDelay(Duration.ZERO).pollInterval(Duration.ofSeconds(1))
                    .until(() -> {
                        verify.set(ledger.verify(org.id()));
                        return verify.get().path("projection_events_applied").asLong()
                                >= verify.get().path("events_replayed").asLong();
                    });
        } catch (ConditionTimeoutException stillCatchingUp) {
            // The check that reads it reports the difference.
        }
        return verify.get();
    }

    private void record(String after, String what, boolean passed, String detail) {
        Check check = new Check(after, what, passed, detail);
        checks.add(check);
        System.out.println("  " + check.line());
    }

    private record Quiet(boolean reached, LedgerReads.Projection projection) {
    }

    /** Quiet: nothing left in the ledger's intake, nothing reserved, and nothing changed over the last second. */
    private Quiet awaitQuiet() throws InterruptedException {
        AtomicReference<LedgerReads.Projection> previous = new AtomicReference<>();
        AtomicReference<Long> previousAnswers = new AtomicReference<>(-1L);
        AtomicReference<LedgerReads.Projection> last = new AtomicReference<>();
        AtomicReference<Map<String, Long>> lastLags = new AtomicReference<>(Map.of());
        try {
            await().atMost(QUIET_WITHIN).pollDelay(Duration.ZERO).pollInterval(Duration.ofSeconds(1)).until(() -> {
                LedgerReads.Projection now = ledger.projection(org.id());
                long answers = upstream.answeredFor(upstreamKey);
                Map<String, Long> lags = lag.now();
                last.set(now);
                lastLags.set(lags);
                boolean quiet = lags.getOrDefault(LEDGER_INTAKE_GROUP, 0L) == 0 && now.openReservations() == 0
                        && now.reserved() == 0 && now.equals(previous.get()) && previousAnswers.get() == answers;
                previous.set(now);
                previousAnswers.set(answers);
                return quiet;
            });
            return new Quiet(true, last.get());
        } catch (ConditionTimeoutException notQuiet) {
            LedgerReads.Projection now = last.get();
            System.out.printf("  not quiet within %d s: %d open reservations (%,d credits), lags %s%n",
                    QUIET_WITHIN.toSeconds(), now == null ? -1 : now.openReservations(),
                    now == null ? -1 : now.reserved(), lastLags.get());
            return new Quiet(false, now);
        }
    }

    private static String abbreviate(String text) {
        return text.length() > 300 ? text.substring(0, 300) + "…" : text;
    }
}
