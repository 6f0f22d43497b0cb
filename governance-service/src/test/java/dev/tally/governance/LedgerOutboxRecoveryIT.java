package dev.tally.governance;

import dev.tally.events.ledger.BudgetPeriod;
import dev.tally.events.ledger.DefineBudgetCommand;
import dev.tally.events.ledger.Scope;
import dev.tally.events.ledger.ScopeLevel;
import dev.tally.governance.budget.Budget;
import dev.tally.governance.budget.BudgetStore;
import dev.tally.governance.ledger.LedgerOutbox;
import dev.tally.governance.ledger.LedgerOutcome;
import dev.tally.governance.ledger.LedgerOutcomeHandler;
import dev.tally.governance.support.Admin;
import dev.tally.governance.support.GovernanceTestBase;
import dev.tally.governance.support.Ids;
import dev.tally.governance.support.Tx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What governance does when the ledger's answers and its own actions come apart: an answer nothing acted on (a crash
 * right after it arrived) is acted on later, and a budget's removal that overtakes its definition wins.
 */
class LedgerOutboxRecoveryIT extends GovernanceTestBase {

    /** How many of the next ledger answers fail to be acted on, as if governance crashed on receiving them. */
    static final AtomicInteger CRASHES = new AtomicInteger();

    @TestConfiguration
    static class CrashOnAnswer {

        /** First in line, so nothing else acted on the answer before the simulated crash. */
        @Bean
        @Order(Ordered.HIGHEST_PRECEDENCE)
        LedgerOutcomeHandler crashingHandler() {
            return outcome -> CRASHES.getAndUpdate(n -> Math.max(0, n - 1)) > 0
                    ? Mono.error(new IllegalStateException("simulated crash on the answer to " + outcome.commandId()))
                    : Mono.empty();
        }
    }

    @Autowired
    DatabaseClient db;
    @Autowired
    Tx tx;
    @Autowired
    BudgetStore budgets;
    @Autowired
    LedgerOutbox outbox;

    @AfterEach
    void noCrashLeft() {
        CRASHES.set(0);
    }

    @Test
    void a_transfer_whose_answer_was_lost_settles_once_the_command_is_sent_again() {
        TestOrg org = newOrg("Lost answer", 10_000);
        String user = org.owner().create("/orgs/" + org.id() + "/users", Map.of("email", "lost@r.example"))
                .path("id").asString();

        CRASHES.set(1);
        JsonNode transfer = Admin.json(org.owner().post("/orgs/" + org.id() + "/transfers",
                Map.of("to_account_id", user, "amount", 400, "reason", "lost")), HttpStatus.ACCEPTED);
        assertThat(transfer.path("status").asString()).isEqualTo("PENDING");

        String path = "/orgs/" + org.id() + "/transfers/" + transfer.path("id").asString();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(org.owner().read(path).path("status").asString()).isEqualTo("APPLIED"));
        assertThat(org.owner().read("/users/" + user).path("personal_quota").asLong()).isEqualTo(400);
        assertThat(org.owner().read("/orgs/" + org.id() + "/balance").path("balance").asLong())
                .as("the resent command was applied once").isEqualTo(9_600);
    }

    @Test
    void an_approval_whose_answer_was_lost_is_approved_once_the_command_is_sent_again() {
        TestOrg org = newOrg("Lost approval", 10_000);
        JsonNode user = org.owner().create("/orgs/" + org.id() + "/users", Map.of("email", "ask@r.example"));
        Admin userKey = as(user.path("api_key").path("plaintext_key").asString());
        String request = userKey.create("/approvals", Map.of("amount", 300, "reason", "more")).path("id").asString();

        CRASHES.set(1);
        JsonNode approving = Admin.json(org.owner().post("/approvals/" + request + "/approve", null), HttpStatus.OK);
        assertThat(approving.path("status").asString()).isEqualTo("approving");

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(userKey.read("/approvals/" + request).path("status").asString()).isEqualTo("approved"));
        assertThat(org.owner().read("/users/" + user.path("id").asString()).path("personal_quota").asLong())
                .isEqualTo(300);
    }

    /** The state a crash between recording the answer and settling the transfer left before they shared a transaction. */
    @Test
    void a_transfer_left_pending_after_its_answer_was_recorded_is_settled_by_the_recovery() {
        TestOrg org = newOrg("Crash after answer", 10_000);
        String user = org.owner().create("/orgs/" + org.id() + "/users", Map.of("email", "crash@r.example"))
                .path("id").asString();
        String transferId = Admin.json(org.owner().post("/orgs/" + org.id() + "/transfers",
                Map.of("to_account_id", user, "amount", 250, "reason", "crash")), HttpStatus.CREATED)
                .path("id").asString();
        tx.run(db.sql("update credit_transfer set status = 'PENDING', detail = null where id = :id")
                        .bind("id", transferId).then()
                        .then(db.sql("update member set personal_quota = personal_quota - 250 where id = :id")
                                .bind("id", user).then()))
                .block();
        assertThat(outbox.outcome(transferId).block()).extracting(LedgerOutcome::status)
                .isEqualTo(LedgerOutcome.Status.ACCEPTED);

        String path = "/orgs/" + org.id() + "/transfers/" + transferId;
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(org.owner().read(path).path("status").asString()).isEqualTo("APPLIED"));
        assertThat(org.owner().read("/users/" + user).path("personal_quota").asLong()).isEqualTo(250);
    }

    /**
     * A definition whose first send failed is resent after the budget was deleted: the ledger got the removal first.
     * It must not enforce a budget governance no longer has (and so could never delete).
     */
    @Test
    void a_budget_removal_delivered_before_its_definition_leaves_no_budget_in_the_ledger() {
        TestOrg org = newOrg("Removal first", 10_000);
        Instant now = Instant.now();
        Budget budget = new Budget(Ids.newId(), org.id(), new Scope(ScopeLevel.ORG, org.id()), "overtaken",
                BudgetPeriod.MONTHLY, 500, List.of(50, 100), false, now, now);
        String define = "define-budget:" + budget.id() + ":" + Ids.newId();
        tx.run(budgets.insert(budget)
                        .then(outbox.stage(new DefineBudgetCommand(define, org.id(), budget.id(), budget.target(),
                                budget.period(), budget.limitCredits(), budget.thresholdsPercent(), false, "test")))
                        // As if sent just now and lost: the resender leaves it alone until the test lets it go.
                        .then(db.sql("update ledger_outbox set last_sent_at = now() + interval '1 hour' "
                                + "where command_id = :id").bind("id", define).then()))
                .block();

        org.owner().delete("/budgets/" + budget.id()).expectStatus().isNoContent();
        db.sql("update ledger_outbox set last_sent_at = null, staged_at = now() - interval '1 minute' "
                + "where command_id = :id").bind("id", define).then().block();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(outbox.outcome(define).block()).extracting(LedgerOutcome::status)
                        .isNotEqualTo(LedgerOutcome.Status.PENDING));
        assertThat(outbox.outcome(define).block().reason()).isEqualTo("BUDGET_REMOVED");
        org.owner().get("/budgets/" + budget.id()).expectStatus().isNotFound();
        JsonNode ledgerView = Admin.json(WebTestClient.bindToServer().baseUrl(ledger.baseUrl()).build().get()
                .uri("/ledgers/" + org.id()).header("Authorization", "Bearer " + PLATFORM_KEY).exchange(),
                HttpStatus.OK);
        List<String> enforced = new ArrayList<>();
        ledgerView.path("budgets").forEach(b -> enforced.add(b.path("budget_id").asString()));
        assertThat(enforced).doesNotContain(budget.id());
    }
}
