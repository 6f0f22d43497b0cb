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
 * The Kafka broker stops under load and comes back: while it is down nothing is served without a charge (503, fail
 * closed), afterwards requests succeed again and every 200 is in the ledger.
 */
@Order(8)
@ExtendWith(E2EStack.class)
class KafkaRestartIT {


    @Test
    void requests_fail_closed_while_the_broker_is_down_and_succeed_again_after_its_restart() {
        LocalStack stack = E2EStack.get();
        Org org = Org.create("Kafka restart");
        org.purchase(100_000, "kafka");
        Org.Agent agent = org.agent("under-load");
        Gateway gateway = E2EStack.gateway();
        gateway.awaitKnown(agent.key());

        List<Load.Sent> sent;
        long down;
        long up;
        long restarted;
        try (Load load = Load.start(gateway, agent.key(), 4)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> load.count(200) >= 20);
            stack.stopKafka();
            long stoppedAt = System.nanoTime();
            down = stoppedAt;
            // The broker stays away until a request sent after it left has waited out the reservation timeout
            // and been refused: the outage the assertions below are about.
            await().atMost(E2EStack.RESERVATION_TIMEOUT.multipliedBy(4)).until(() -> load.sent().stream()
                    .anyMatch(s -> s.begin() > stoppedAt && s.answer().status() == 503));
            up = System.nanoTime();
            stack.startKafka();
            restarted = System.nanoTime();
            System.out.printf("e2e: Kafka down for %.1f s, answering again %.1f s later%n", (up - down) / 1e9,
                    (restarted - up) / 1e9);
            await().atMost(Duration.ofSeconds(120)).until(() -> LedgerCrashIT.servedAfter(load, restarted) >= 10);
            sent = load.stop();
        }

        List<Gateway.Answer> answers = sent.stream().map(Load.Sent::answer).toList();
        LedgerCrashIT.summarize("Kafka restart", answers);
        sent.stream().filter(s -> s.answer().status() != 200).forEach(s -> System.out.printf(
                "e2e: sent %+.1f s, answered %+.1f s after the stop: %d %s%n", (s.begin() - down) / 1e9,
                (s.end() - down) / 1e9, s.answer().status(), s.answer().errorCode()));
        assertThat(answers).as("only 200, or 503/502 while the broker was down")
                .allSatisfy(a -> assertThat(a.status()).as(a.body()).isIn(200, 502, 503));
        List<Load.Sent> answeredWhileDown = sent.stream().filter(s -> s.end() > down && s.end() < up).toList();
        assertThat(answeredWhileDown).as("answers while the broker was down: 503, or a 200 reserved before")
                .isNotEmpty()
                .allSatisfy(s -> assertThat(s.answer().status()).as(s.answer().body()).isIn(200, 503))
                .anySatisfy(s -> assertThat(s.answer().status()).isEqualTo(503));
        assertThat(answeredWhileDown.stream().filter(s -> s.begin() > down))
                .as("requests sent and answered while the broker was down")
                .allSatisfy(s -> assertThat(s.answer().status()).as(s.answer().body()).isEqualTo(503));
        assertThat(sent.stream().filter(s -> s.answer().status() == 503))
                .as("a 503 comes within the reservation timeout, not when the broker is back")
                .allSatisfy(s -> assertThat(Duration.ofNanos(s.end() - s.begin()))
                        .isLessThan(E2EStack.RESERVATION_TIMEOUT.plusSeconds(8)));
        assertThat(sent).as("served after the restart")
                .anySatisfy(s -> assertThat(s.begin() > restarted && s.answer().status() == 200).isTrue());
        Settlement.assertNoCreditLost(org.id(), 100_000, answers,
                E2EStack.RESERVATION_TTL.plus(Duration.ofSeconds(30)));
    }
}
