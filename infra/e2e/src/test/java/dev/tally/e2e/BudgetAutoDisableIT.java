package dev.tally.e2e;

import dev.tally.e2e.support.E2EStack;
import dev.tally.e2e.support.Gateway;
import dev.tally.e2e.support.Org;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A TOTAL budget with auto_disable: requests pass until it is used up, then 402, and the agent is disabled. */
@Order(4)
@ExtendWith(E2EStack.class)
class BudgetAutoDisableIT {

    @Test
    void an_exhausted_auto_disable_budget_answers_402_and_the_agent_becomes_budget_exhausted() {
        Org org = Org.create("Budget");
        org.purchase(1_000, "budget");
        Org.Agent agent = org.agent("spender");
        org.owner().post("/budgets", Map.of("period", "TOTAL", "limit_credits", 5, "auto_disable", true,
                "agent_id", agent.id()));
        Gateway gateway = E2EStack.gateway();
        gateway.awaitKnown(agent.key());

        int succeeded = 0;
        Gateway.Answer refused = null;
        for (int i = 0; i < 10 && refused == null; i++) {
            Gateway.Answer answer = gateway.post(i, agent.key(), Gateway.ONE_CREDIT, Duration.ofSeconds(30));
            if (answer.status() == 200) {
                assertThat(answer.charged()).isEqualTo(1);
                succeeded++;
            } else {
                refused = answer;
            }
        }
        assertThat(succeeded).as("one-credit requests within a budget of 5").isEqualTo(5);
        assertThat(refused).isNotNull();
        assertThat(refused.status()).as(refused.body()).isEqualTo(402);
        // Refused by the ledger's budget, or already by the gateway once governance disabled the agent.
        assertThat(refused.errorCode()).isIn("budget_exceeded", "budget_exhausted");

        await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                assertThat(org.owner().get("/agents/" + agent.id()).path("status").asString())
                        .isEqualTo("BUDGET_EXHAUSTED"));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            for (int replica = 0; replica < gateway.urls().size(); replica++) {
                Gateway.Answer answer = gateway.post(replica, agent.key(), Gateway.ONE_CREDIT, Duration.ofSeconds(30));
                assertThat(answer.status()).as(answer.body()).isEqualTo(402);
                assertThat(answer.errorCode()).isEqualTo("budget_exhausted");
            }
        });
        assertThat(org.balance()).isEqualTo(1_000 - 5);
    }
}
