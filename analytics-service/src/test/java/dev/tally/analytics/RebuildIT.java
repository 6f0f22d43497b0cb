package dev.tally.analytics;

import dev.tally.analytics.support.AnalyticsTestBase;
import dev.tally.analytics.support.Api;
import dev.tally.analytics.support.Fixtures;
import dev.tally.analytics.support.TestEvents;
import dev.tally.events.governance.AdminRole;
import dev.tally.events.governance.MemberKind;
import dev.tally.events.ledger.BudgetPeriod;
import dev.tally.events.ledger.Scope;
import dev.tally.events.ledger.ScopeLevel;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Replay for audit and after a projection change: emptying everything and reading from offset zero. */
class RebuildIT extends AnalyticsTestBase {

    private static final List<String> VIEWS = List.of("overview", "usage", "top-spenders", "breakdown?by=model",
            "cost-trend?days=3", "efficiency", "transfers", "alerts", "budgets", "accounts");

    @Test
    void a_rebuild_from_offset_zero_gives_the_same_results() throws Exception {
        Fixtures f = new Fixtures("rebuild");
        TestEvents events = events();
        String platform = adminKey(null, AdminRole.PLATFORM_ADMIN);
        String owner = adminKey(f.org, AdminRole.ORG_OWNER);
        Instant now = Instant.now();
        Scope org = new Scope(ScopeLevel.ORG, f.org);
        events.ledger(f.purchase(5_000, now.minusSeconds(7200)));
        events.ledger(f.budget("b-rebuild", ScopeLevel.ORG, f.org, BudgetPeriod.MONTHLY, 1_000));
        events.ledger(f.reserve("rr1", 600, now.minusSeconds(3000)));
        events.ledger(f.usage("rr1", 550, now.minusSeconds(2900), org));
        events.ledger(f.reserve("rr2", 100, now.minusSeconds(2000)));
        events.ledger(f.transfer(f.pool, "someone", 250, now.minusSeconds(1000)));
        events.ledger(f.threshold("b-rebuild", org, 50, 550, 1_000));
        events.request(f.request("agent-r", MemberKind.AGENT, "proj", "gpt-4o", "openai", 300, 100, 550,
                now.minusSeconds(2900)));
        events.request(f.request("user-r", MemberKind.USER, null, "claude-3-haiku", "anthropic", 50, 90, 0,
                now.minusSeconds(2500)));

        Api admin = as(owner);
        await().atMost(Duration.ofSeconds(30)).until(() ->
                admin.json("/orgs/" + f.org + "/usage").path("total").asLong() == 2
                        && admin.json("/orgs/" + f.org + "/alerts").path("items").size() == 1
                        && admin.json("/orgs/" + f.org + "/overview").path("held_credits").asLong() == 100);
        Map<String, JsonNode> before = snapshot(admin, f.org);
        assertThat(before.get("overview").path("balance_credits").asLong()).isEqualTo(4_450);

        // A projection bug, simulated: the tables now disagree with the topics.
        try (Connection c = database().dataSource().getConnection()) {
            exec(c, "delete from request where org_id = ?", f.org);
            exec(c, "update ledger_entry set delta = delta * 2 where org_id = ?", f.org);
        }
        assertThat(snapshot(admin, f.org)).isNotEqualTo(before);

        assertThat(admin.post("/admin/rebuild").status()).isEqualTo(403);
        var started = as(platform).post("/admin/rebuild");
        assertThat(started.status()).isEqualTo(202);
        assertThat(started.json().path("status").asString()).isEqualTo("rebuilding");

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(snapshot(admin, f.org)).isEqualTo(before));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode lag = as(null).json("/health").path("lag");
            assertThat(lag.path("tally.ledger.events").asLong()).isZero();
            assertThat(lag.path("tally.gateway.requests").asLong()).isZero();
        });
        try (Connection c = database().dataSource().getConnection();
                PreparedStatement s = c.prepareStatement("select count(*) from processed_event where org_id = ?")) {
            s.setString(1, f.org);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                assertThat(r.getLong(1)).as("each of the 7 ledger events recorded once").isEqualTo(7);
            }
        }
    }

    /**
     * Every view of the org, without the instants that depend on when it was computed (including the forecast's
     * exhaustion time, which is "now" plus the time to the limit).
     */
    private static Map<String, JsonNode> snapshot(Api admin, String org) {
        Map<String, JsonNode> views = new LinkedHashMap<>();
        for (String view : VIEWS) {
            JsonNode body = admin.json("/orgs/" + org + "/" + view);
            strip(body);
            views.put(view, body);
        }
        return views;
    }

    private static void strip(JsonNode node) {
        if (node instanceof ObjectNode object) {
            object.remove(List.of("as_of", "from", "to", "exhausted_at"));
        }
        node.forEach(RebuildIT::strip);
    }

    private static void exec(Connection c, String sql, String org) throws Exception {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, org);
            s.executeUpdate();
        }
    }
}
