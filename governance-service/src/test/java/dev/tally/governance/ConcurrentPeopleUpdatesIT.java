package dev.tally.governance;

import dev.tally.governance.support.Admin;
import dev.tally.governance.support.GovernanceTestBase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Quotas and pools are counted by the database, never written back from a figure read before: many requests touching
 * one user or team at once end with exactly what the ledger moved.
 */
class ConcurrentPeopleUpdatesIT extends GovernanceTestBase {

    private static final int PARALLEL = 20;
    private static ExecutorService pool;

    @BeforeAll
    static void startPool() {
        pool = Executors.newFixedThreadPool(2 * PARALLEL);
    }

    @AfterAll
    static void stopPool() throws InterruptedException {
        pool.shutdown();
        assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void twenty_parallel_changes_of_a_quota_to_the_same_total_move_the_difference_once() {
        TestOrg org = newOrg("Quota race", 100_000);
        String user = org.owner().create("/orgs/" + org.id() + "/users", Map.of("email", "race@q.example"))
                .path("id").asString();

        all(() -> Admin.json(org.owner().patch("/users/" + user, Map.of("personal_quota", 700)), HttpStatus.OK));

        awaitFigures(org, "/users/" + user, "personal_quota", user, 700);
    }

    @Test
    void transfers_settling_while_a_user_and_a_team_are_edited_all_count() {
        TestOrg org = newOrg("Edit race", 100_000);
        String team = org.owner().create("/orgs/" + org.id() + "/teams", Map.of("name", "Racers")).path("id")
                .asString();
        String user = org.owner().create("/orgs/" + org.id() + "/users", Map.of("email", "edit@q.example"))
                .path("id").asString();

        List<Runnable> work = new ArrayList<>();
        for (int i = 0; i < PARALLEL; i++) {
            int n = i;
            work.add(() -> assertThat(org.owner().post("/orgs/" + org.id() + "/transfers",
                            Map.of("to_account_id", user, "amount", 7, "reason", "race " + n))
                    .returnResult(JsonNode.class).getStatus().value()).isIn(201, 202));
            work.add(() -> assertThat(org.owner().post("/orgs/" + org.id() + "/transfers",
                            Map.of("to_account_id", team, "amount", 3, "reason", "race " + n))
                    .returnResult(JsonNode.class).getStatus().value()).isIn(201, 202));
            work.add(() -> Admin.json(org.owner().patch("/users/" + user, Map.of("name", "Racer " + n)),
                    HttpStatus.OK));
            work.add(() -> Admin.json(org.owner().patch("/teams/" + team, Map.of("description", "lap " + n)),
                    HttpStatus.OK));
        }
        run(work);

        awaitFigures(org, "/users/" + user, "personal_quota", user, 7 * PARALLEL);
        awaitFigures(org, "/teams/" + team, "common_pool", team, 3 * PARALLEL);
    }

    /**
     * Governance's figure and the ledger's balance both reach the exact sum (a busy machine may answer some requests
     * 202 and settle them a little later); a figure that lost an update never does.
     */
    private static void awaitFigures(TestOrg org, String path, String field, String account, long expected) {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(ledgerBalance(org, account)).isEqualTo(expected);
            assertThat(org.owner().read(path).path(field).asLong()).isEqualTo(expected);
        });
    }

    private static long ledgerBalance(TestOrg org, String accountId) {
        for (JsonNode account : org.owner().read("/orgs/" + org.id() + "/balance").path("accounts")) {
            if (account.path("account_id").asString().equals(accountId)) {
                return account.path("balance").asLong();
            }
        }
        throw new AssertionError("no ledger account " + accountId);
    }

    private static void all(Runnable request) {
        List<Runnable> work = new ArrayList<>();
        for (int i = 0; i < PARALLEL; i++) {
            work.add(request);
        }
        run(work);
    }

    /** Starts every request at the same moment and waits for all of them; any failed request fails the test. */
    private static void run(List<Runnable> work) {
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<Void>> done = work.stream().map(task -> CompletableFuture.runAsync(() -> {
            try {
                start.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            task.run();
        }, pool)).toList();
        start.countDown();
        CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).orTimeout(120, TimeUnit.SECONDS).join();
    }
}
