package dev.tally.governance;

import dev.tally.governance.support.Admin;
import dev.tally.governance.support.GovernanceTestBase;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import tools.jackson.databind.JsonNode;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An edit that read a row before another change committed must not write that change back. Each test lets the
 * edit read the row, then holds the row under another transaction's uncommitted change (what a platform admin's
 * deactivation, a suspension or a budget's auto-disable is while it commits), so the edit's write waits for it and
 * lands after it: exactly the interleaving of a rename racing those changes. Before, the edit wrote every column from
 * its read, and the organisation was active again, the user no longer suspended, the team active again.
 */
class StaleReadUpdatesIT extends GovernanceTestBase {

    @Test
    void an_owners_rename_does_not_reactivate_an_organisation_a_platform_admin_deactivated_meanwhile() throws Exception {
        TestOrg org = newOrg("Stale org", 0);

        JsonNode answer = racing("org", org.id(), "status = 'INACTIVE'",
                () -> org.owner().patch("/orgs/" + org.id(), Map.of("name", "Renamed meanwhile")));

        assertThat(answer.path("status").asString()).isEqualTo("INACTIVE");
        JsonNode stored = platform().read("/orgs/" + org.id());
        assertThat(stored.path("name").asString()).isEqualTo("Renamed meanwhile");
        assertThat(stored.path("status").asString()).isEqualTo("INACTIVE");
    }

    @Test
    void an_owner_cannot_undo_a_credit_rate_a_platform_admin_set_meanwhile() throws Exception {
        TestOrg org = newOrg("Stale rate", 0);
        long rate = platform().read("/orgs/" + org.id()).path("credits_per_usd").asLong();

        racing("org", org.id(), "credits_per_usd = " + (rate + 5),
                () -> org.owner().patch("/orgs/" + org.id(), Map.of("description", "edited meanwhile")));

        assertThat(platform().read("/orgs/" + org.id()).path("credits_per_usd").asLong()).isEqualTo(rate + 5);
    }

    @Test
    void a_rename_does_not_lift_a_suspension_made_meanwhile() throws Exception {
        TestOrg org = newOrg("Stale user", 0);
        String user = org.owner().create("/orgs/" + org.id() + "/users", Map.of("email", "stale@q.example"))
                .path("id").asString();

        racing("member", user, "status = 'SUSPENDED'",
                () -> org.owner().patch("/users/" + user, Map.of("name", "Renamed meanwhile")));

        JsonNode stored = org.owner().read("/users/" + user);
        assertThat(stored.path("name").asString()).isEqualTo("Renamed meanwhile");
        assertThat(stored.path("status").asString()).isEqualToIgnoringCase("suspended");
    }

    @Test
    void a_team_edit_does_not_reactivate_a_team_disabled_meanwhile() throws Exception {
        TestOrg org = newOrg("Stale team", 0);
        String team = org.owner().create("/orgs/" + org.id() + "/teams", Map.of("name", "Stale")).path("id")
                .asString();

        racing("grp", team, "status = 'INACTIVE'",
                () -> org.owner().patch("/teams/" + team, Map.of("description", "edited meanwhile")));

        JsonNode stored = org.owner().read("/teams/" + team);
        assertThat(stored.path("description").asString()).isEqualTo("edited meanwhile");
        assertThat(stored.path("is_active").asBoolean()).isFalse();
    }

    /**
     * Changes {@code table}'s row {@code id} in a transaction left open, sends the edit (which reads the row as it
     * was committed, then waits on the row's lock to write), commits the change once the edit waits, and returns the
     * edit's answer.
     */
    private JsonNode racing(String table, String id, String change, Supplier<org.springframework.test.web.reactive.server
            .WebTestClient.ResponseSpec> edit) throws Exception {
        try (Connection other = database().dataSource().getConnection();
                Connection watcher = database().dataSource().getConnection()) {
            other.setAutoCommit(false);
            try (PreparedStatement update = other.prepareStatement(
                    "update " + table + " set " + change + " where id = ?")) {
                update.setString(1, id);
                assertThat(update.executeUpdate()).isEqualTo(1);
            }
            CompletableFuture<JsonNode> answer = CompletableFuture.supplyAsync(
                    () -> Admin.json(edit.get(), HttpStatus.OK));
            await("the edit waits for the other change's row lock").atMost(Duration.ofSeconds(20))
                    .until(() -> waitingForLock(watcher, table));
            other.commit();
            return answer.get(30, TimeUnit.SECONDS);
        }
    }

    private static boolean waitingForLock(Connection watcher, String table) throws SQLException {
        try (PreparedStatement query = watcher.prepareStatement("""
                select count(*) from pg_stat_activity
                where datname = current_database() and wait_event_type = 'Lock' and query ilike ?""")) {
            query.setString(1, "update " + table + " %");
            try (ResultSet rows = query.executeQuery()) {
                return rows.next() && rows.getLong(1) > 0;
            }
        }
    }
}
