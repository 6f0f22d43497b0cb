package dev.tally.analytics;

import dev.tally.analytics.anomaly.AnomalyAlerts;
import dev.tally.analytics.support.AnalyticsTestBase;
import dev.tally.analytics.support.Api;
import dev.tally.analytics.support.Fixtures;
import dev.tally.analytics.support.TestEvents;
import dev.tally.events.alert.AlertKind;
import dev.tally.events.gateway.RequestOutcome;
import dev.tally.events.governance.AdminRole;
import dev.tally.events.governance.MemberKind;
import dev.tally.testsupport.AlertTopic;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Gateway request records from the real broker, read back through every usage, leaderboard and export route. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UsageAnalyticsIT extends AnalyticsTestBase {

    @Autowired
    private AnomalyAlerts anomalyAlerts;

    private final Fixtures f = new Fixtures("usage");
    private String key;

    @BeforeAll
    void publish() {
        TestEvents events = events();
        key = adminKey(f.org, AdminRole.ORG_ADMIN);
        events.state(f.orgState("Usage Org"));
        events.state(f.team("team-a", "Platform"));
        events.state(f.team("team-b", "Bots"));
        events.state(f.member("alice", "Alice", MemberKind.USER, "team-a"));
        events.state(f.member("bot-1", "Support bot", MemberKind.AGENT, "team-b"));
        events.state(f.member("bot-2", "Nightly bot", MemberKind.AGENT, "team-b"));
        events.state(f.project("p1", "Chatbot"));
        events.state(f.project("p2", "Research, EU"));
        Instant now = Instant.now();
        events.request(f.request("alice", MemberKind.USER, "p1", "gpt-4o", "openai", 1000, 500, 100,
                now.minusSeconds(3600)));
        events.request(f.request("alice", MemberKind.USER, "p1", "gpt-4o", "openai", 1000, 500, 100,
                now.minusSeconds(7200)));
        events.request(f.request("bot-1", MemberKind.AGENT, "p2", "claude-3-haiku", "anthropic", 100, 300, 50,
                now.minusSeconds(3 * 3600)));
        events.request(f.request(UUID.randomUUID().toString(), "bot-1", MemberKind.AGENT, "p2", "claude-3-haiku",
                "anthropic", 100, 0, 0, RequestOutcome.BUDGET_EXCEEDED, now.minusSeconds(1800)));
        events.request(f.request("bot-2", MemberKind.AGENT, null, "gpt-4o-mini", "openai", 10, 10, 20,
                now.minusSeconds(3 * 86_400)));
        await().atMost(Duration.ofSeconds(60))
                .until(() -> api().json("/orgs/" + f.org + "/usage").path("total").asLong() == 5);
    }

    private Api api() {
        return as(key);
    }

    @Test
    void usage_history_pages_newest_first_with_seed_004_fields() {
        JsonNode page = api().json("/orgs/" + f.org + "/usage?limit=2");
        assertThat(page.path("total").asLong()).isEqualTo(5);
        assertThat(page.path("items")).hasSize(2);
        JsonNode rejected = page.path("items").get(0);
        assertThat(rejected.path("status").asString()).isEqualTo("BUDGET_EXCEEDED");
        assertThat(rejected.path("credits_charged").asLong()).isZero();
        JsonNode alice = page.path("items").get(1);
        assertThat(alice.path("member_name").asString()).isEqualTo("Alice");
        assertThat(alice.path("provider").asString()).isEqualTo("openai");
        assertThat(alice.path("model").asString()).isEqualTo("gpt-4o");
        assertThat(alice.path("input_tokens").asLong()).isEqualTo(1000);
        assertThat(alice.path("output_tokens").asLong()).isEqualTo(500);
        assertThat(alice.path("credits_charged").asLong()).isEqualTo(100);
        assertThat(alice.path("latency_ms").asLong()).isEqualTo(120);
        assertThat(alice.has("created_at")).isTrue();

        JsonNode next = api().json("/orgs/" + f.org + "/usage?limit=2&offset=4");
        assertThat(next.path("items")).hasSize(1);
        assertThat(next.path("items").get(0).path("member_id").asString()).isEqualTo("bot-2");
    }

    @Test
    void usage_history_filters_by_member_model_project_and_status() {
        assertThat(api().json("/orgs/" + f.org + "/usage?member_id=alice").path("total").asLong()).isEqualTo(2);
        assertThat(api().json("/orgs/" + f.org + "/usage?model=claude-3-haiku").path("total").asLong()).isEqualTo(2);
        assertThat(api().json("/orgs/" + f.org + "/usage?project_id=p2&status=SUCCESS").path("total").asLong())
                .isEqualTo(1);
        assertThat(api().json("/orgs/" + f.org + "/usage?days=1").path("total").asLong()).isEqualTo(4);
    }

    @Test
    void burn_rate_sums_the_last_24_hours_and_7_days() {
        JsonNode burn = api().json("/orgs/" + f.org + "/burn-rate");
        assertThat(burn.path("credits_last_24h").asLong()).isEqualTo(250);
        assertThat(burn.path("credits_last_7d").asLong()).isEqualTo(270);
        assertThat(burn.path("daily_average_7d").asLong()).isEqualTo(38);
        assertThat(burn.path("requests_last_24h").asLong()).isEqualTo(4);
        // Nothing bought in this org's ledger: nothing left, at any pace.
        assertThat(api().json("/orgs/" + f.org + "/overview").path("days_left").asLong()).isZero();
    }

    @Test
    void top_spenders_rank_members_agents_projects_and_teams() {
        JsonNode members = api().json("/orgs/" + f.org + "/top-spenders").path("items");
        assertThat(ids(members)).containsExactly("alice", "bot-1", "bot-2");
        assertThat(members.get(0).path("credits").asLong()).isEqualTo(200);
        assertThat(members.get(0).path("share_percent").asDouble()).isEqualTo(74.1);
        assertThat(ids(api().json("/orgs/" + f.org + "/top-spenders?by=agent").path("items")))
                .containsExactly("bot-1", "bot-2");
        JsonNode projects = api().json("/orgs/" + f.org + "/top-spenders?by=project").path("items");
        assertThat(ids(projects)).containsExactly("p1", "p2");
        assertThat(projects.get(0).path("name").asString()).isEqualTo("Chatbot");
        JsonNode teams = api().json("/orgs/" + f.org + "/top-spenders?by=team").path("items");
        assertThat(ids(teams)).containsExactly("team-a", "team-b");
        assertThat(teams.get(1).path("credits").asLong()).isEqualTo(70);
        assertThat(teams.get(1).path("name").asString()).isEqualTo("Bots");
        assertThat(api().json("/orgs/" + f.org + "/top-spenders?limit=1").path("items")).hasSize(1);
    }

    @Test
    void model_and_provider_breakdowns_share_the_spend() {
        JsonNode models = api().json("/orgs/" + f.org + "/breakdown?by=model").path("items");
        assertThat(keys(models)).containsExactly("gpt-4o", "claude-3-haiku", "gpt-4o-mini");
        assertThat(models.get(1).path("requests").asLong()).isEqualTo(2);
        JsonNode providers = api().json("/orgs/" + f.org + "/breakdown?by=provider").path("items");
        assertThat(keys(providers)).containsExactly("openai", "anthropic");
        assertThat(providers.get(0).path("credits").asLong()).isEqualTo(220);
    }

    @Test
    void cost_trend_has_one_point_per_day_including_empty_days() {
        JsonNode days = api().json("/orgs/" + f.org + "/cost-trend?days=7").path("days");
        assertThat(days.size()).isBetween(7, 8);
        long total = 0;
        int empty = 0;
        for (JsonNode day : days) {
            total += day.path("credits").asLong();
            empty += day.path("requests").asLong() == 0 ? 1 : 0;
        }
        assertThat(total).isEqualTo(270);
        assertThat(empty).isGreaterThanOrEqualTo(4);
    }

    @Test
    void efficiency_leaderboard_ranks_completion_per_prompt_token_of_successful_requests() {
        JsonNode items = api().json("/orgs/" + f.org + "/efficiency").path("items");
        assertThat(ids(items, "member_id")).containsExactly("bot-1", "bot-2", "alice");
        assertThat(items.get(0).path("score").asDouble()).isEqualTo(3.0);
        assertThat(items.get(0).path("requests").asLong()).isEqualTo(1);
        assertThat(items.get(2).path("score").asDouble()).isEqualTo(0.5);
        assertThat(items.get(2).path("credits_per_thousand_completion_tokens").asDouble()).isEqualTo(200.0);
        assertThat(ids(api().json("/orgs/" + f.org + "/efficiency?min_requests=2").path("items"), "member_id"))
                .containsExactly("alice");
    }

    @Test
    void cost_allocation_exports_per_team_and_project_as_csv_and_json() {
        var csv = api().get("/orgs/" + f.org + "/exports/cost-allocation?format=csv");
        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.headers().getContentType().toString()).startsWith("text/csv");
        assertThat(csv.headers().getContentDisposition().getFilename()).startsWith("tally-cost-allocation-" + f.org);
        assertThat(csv.body()).isEqualTo("""
                team_id,team_name,project_id,project_name,requests,prompt_tokens,completion_tokens,credits\r
                team-a,Platform,p1,Chatbot,2,2000,1000,200\r
                team-b,Bots,,,1,10,10,20\r
                team-b,Bots,p2,"Research, EU",2,200,300,50\r
                """);
        JsonNode json = api().get("/orgs/" + f.org + "/exports/cost-allocation?format=json").json();
        assertThat(json.path("items")).hasSize(3);
        assertThat(json.path("items").get(0).path("credits").asLong()).isEqualTo(200);
    }

    @Test
    void usage_exports_every_request_of_the_window() {
        var csv = api().get("/orgs/" + f.org + "/exports/usage");
        String[] lines = csv.body().split("\r\n");
        assertThat(lines).hasSize(6);
        assertThat(lines[0]).startsWith("request_id,created_at,member_id");
        assertThat(api().get("/orgs/" + f.org + "/exports/usage?format=json").json().path("items")).hasSize(5);
        assertThat(api().get("/orgs/" + f.org + "/exports/usage?format=xml").status()).isEqualTo(400);
    }

    @Test
    void an_agent_spending_far_above_its_pattern_is_reported_as_an_anomaly() {
        Fixtures g = new Fixtures("anomaly");
        TestEvents events = events();
        String owner = adminKey(g.org, AdminRole.ORG_OWNER);
        events.state(g.member("spiky", "Spiky bot", MemberKind.AGENT, null));
        Instant now = Instant.now();
        for (int day = 1; day <= 14; day++) {
            Instant at = now.minusSeconds(day * 86_400L + 3600);
            events.request(g.request("spiky", MemberKind.AGENT, null, "gpt-4o", "openai", 10, 10, 100 + day % 3, at));
            events.request(g.request("steady", MemberKind.AGENT, null, "gpt-4o", "openai", 10, 10, 100, at));
        }
        events.request(g.request("spiky", MemberKind.AGENT, null, "gpt-4o", "openai", 10, 10, 2_000,
                now.minusSeconds(3600)));
        events.request(g.request("steady", MemberKind.AGENT, null, "gpt-4o", "openai", 10, 10, 100,
                now.minusSeconds(3600)));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            JsonNode items = as(owner).json("/orgs/" + g.org + "/anomalies").path("items");
            assertThat(ids(items, "member_id")).containsExactly("spiky");
            assertThat(items.get(0).path("name").asString()).isEqualTo("Spiky bot");
            assertThat(items.get(0).path("credits_last_24h").asLong()).isEqualTo(2_000);
            assertThat(items.get(0).path("baseline_daily_mean").asDouble()).isBetween(100.0, 102.0);
        });

        // The same finding reaches notification-service as an alert, under one id per member and day however
        // often the scan runs (notification-service delivers an alert id once).
        anomalyAlerts.scan().block();
        anomalyAlerts.scan().block();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(AlertTopic.of(INFRA.kafkaBootstrapServers(), g.org))
                        .hasSizeGreaterThanOrEqualTo(2)
                        .allSatisfy(alert -> {
                            assertThat(alert.kind()).isEqualTo(AlertKind.ANOMALY);
                            assertThat(alert.memberId()).isEqualTo("spiky");
                            assertThat(alert.alertId()).isEqualTo("anomaly:spiky:"
                                    + java.time.LocalDate.now(java.time.ZoneOffset.UTC));
                            assertThat(alert.title()).isEqualTo("Unusual spend: Spiky bot");
                            assertThat(alert.text()).contains("2000 credits in the last 24 hours");
                        }));
    }

    private static List<String> ids(JsonNode items) {
        return ids(items, "id");
    }

    private static List<String> ids(JsonNode items, String field) {
        List<String> ids = new ArrayList<>();
        items.forEach(item -> ids.add(item.path(field).asString()));
        return ids;
    }

    private static List<String> keys(JsonNode items) {
        return ids(items, "key");
    }
}
