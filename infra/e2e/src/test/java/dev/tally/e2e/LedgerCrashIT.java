package dev.tally.e2e;

import dev.tally.e2e.support.E2EStack;
import dev.tally.e2e.support.Gateway;
import dev.tally.e2e.support.Load;
import dev.tally.e2e.support.Org;
import dev.tally.e2e.support.Settlement;
import dev.tally.localstack.LocalStack;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * kill -9 of ledger-service under load, then a restart: requests fail closed while it is gone, and afterwards no
 * credit is lost or charged twice.
 */
@Order(7)
@ExtendWith(E2EStack.class)
class LedgerCrashIT {

    @Test
    void killing_the_ledger_under_load_loses_no_credit_and_service_resumes_after_its_restart() {
        LocalStack stack = E2EStack.get();
        Org org = Org.create("Ledger crash");
        org.purchase(100_000, "crash");
        Org.Agent agent = org.agent("under-load");
        Gateway gateway = E2EStack.gateway();
        gateway.awaitKnown(agent.key());

        List<Load.Sent> sent;
        long restarted;
        try (Load load = Load.start(gateway, agent.key(), 4)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> load.count(200) >= 20);
            stack.killService(LocalStack.LEDGER);
            long killed = System.nanoTime();
            // The gateways have felt the crash: a request sent after it was refused.
            await().atMost(Duration.ofSeconds(60)).until(() -> load.sent().stream()
                    .anyMatch(s -> s.begin() > killed && s.answer().status() != 200));
            stack.startService(LocalStack.LEDGER);
            restarted = System.nanoTime();
            System.out.printf("e2e: ledger-service killed and healthy again after %.1f s%n",
                    (restarted - killed) / 1e9);
            // Load goes on until the gateways are served again by the new ledger process.
            await().atMost(Duration.ofSeconds(90)).until(() -> servedAfter(load, restarted) >= 10);
            sent = load.stop();
        }

        List<Gateway.Answer> answers = sent.stream().map(Load.Sent::answer).toList();
        summarize("ledger crash", answers);
        assertThat(answers).as("only 200, or 503/502 while the ledger was down")
                .allSatisfy(a -> assertThat(a.status()).as(a.body()).isIn(200, 502, 503));
        assertThat(sent).as("served after the restart")
                .anySatisfy(s -> assertThat(s.begin() > restarted && s.answer().status() == 200).isTrue());
        Settlement.assertNoCreditLost(org.id(), 100_000, answers,
                E2EStack.RESERVATION_TTL.plus(Duration.ofSeconds(30)));
    }

    static void summarize(String what, List<Gateway.Answer> answers) {
        System.out.printf("e2e: %s: %d requests, %s%n", what, answers.size(), answers.stream()
                .collect(java.util.stream.Collectors.groupingBy(Gateway.Answer::status,
                        java.util.TreeMap::new, java.util.stream.Collectors.counting())));
    }

    /** Requests sent after {@code since} (System.nanoTime) and answered 200. */
    static long servedAfter(Load load, long since) {
        return load.sent().stream().filter(s -> s.begin() > since && s.answer().status() == 200).count();
    }
}
