package dev.tally.e2e;

import dev.tally.e2e.support.E2EStack;
import dev.tally.e2e.support.Gateway;
import dev.tally.e2e.support.Org;
import dev.tally.e2e.support.Settlement;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;

/** Two gateway replicas racing one budget: the ledger decides, so never more than what fits gets through. */
@Order(6)
@ExtendWith(E2EStack.class)
class ReplicaRaceIT {

    @Test
    void two_hundred_concurrent_requests_on_two_replicas_against_a_budget_of_fifty_one_credit_requests() {
        Org org = Org.create("Race");
        org.purchase(10_000, "race");
        Org.Agent agent = org.agent("racer");
        org.owner().post("/budgets", Map.of("period", "TOTAL", "limit_credits", 50, "agent_id", agent.id()));
        Gateway gateway = E2EStack.gateway();
        gateway.awaitKnown(agent.key());

        ExecutorService pool = Executors.newFixedThreadPool(200);
        List<Gateway.Answer> answers;
        try {
            List<CompletableFuture<Gateway.Answer>> futures = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                int replica = i;
                futures.add(CompletableFuture.supplyAsync(() -> gateway.post(replica, agent.key(), Gateway.ONE_CREDIT,
                        Duration.ofSeconds(60)), pool));
            }
            answers = futures.stream().map(CompletableFuture::join).toList();
        } finally {
            pool.shutdownNow();
        }

        List<String> unexpected = answers.stream().filter(a -> a.status() != 200
                && !(a.status() == 402 && "budget_exceeded".equals(a.errorCode())))
                .map(a -> a.status() + " " + a.body()).toList();
        assertThat(unexpected).as("only 200 or 402 budget_exceeded").isEmpty();
        List<Gateway.Answer> served = answers.stream().filter(a -> a.status() == 200).toList();
        // Never more than the budget. Fewer only by credit one replica's lease still held when the other's last
        // requests were refused: at most a lease each, a twentieth of the budget, and the rest of the one it replaced
        // (docs/gateway.md, "Credit leases").
        assertThat(served).as("requests that got through").hasSizeBetween(40, 50)
                .allSatisfy(a -> assertThat(a.charged()).isEqualTo(1));
        assertThat(answers.stream().filter(a -> a.status() == 402)).hasSize(200 - served.size());
        Settlement.assertNoCreditLost(org.id(), 10_000, answers, Duration.ofSeconds(30));
    }
}
