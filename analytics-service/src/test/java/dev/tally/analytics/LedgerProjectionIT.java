package dev.tally.analytics;

import dev.tally.analytics.support.AnalyticsTestBase;
import dev.tally.analytics.support.Api;
import dev.tally.analytics.support.Fixtures;
import dev.tally.events.governance.AdminRole;
import dev.tally.events.governance.MemberKind;
import dev.tally.events.ledger.BudgetPeriod;
import dev.tally.events.ledger.ReservationReleasedEvent;
import dev.tally.events.ledger.Scope;
import dev.tally.events.ledger.ScopeLevel;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Ledger events from the real broker into PostgreSQL, read back over the HTTP API. */
class LedgerProjectionIT extends AnalyticsTestBase {

    @Test
    void purchases_charges_transfers_budgets_and_alerts_are_projected_per_organisation() {
        Fixtures f = new Fixtures("ledger");
        var events = events();
        events.state(f.orgState("Ledger Org"));
        events.state(f.team("team-a", "Platform"));
        events.state(f.member("alice", "Alice", MemberKind.USER, "team-a"));
        String key = adminKey(f.org, AdminRole.ORG_ADMIN);
        Instant now = Instant.now();
        Scope orgScope = new Scope(ScopeLevel.ORG, f.org);
        Scope team = new Scope(ScopeLevel.GROUP, "team-a");

        events.ledger(f.purchase(10_000, now.minusSeconds(3600)));
        events.ledger(f.budget("budget-team", ScopeLevel.GROUP, "team-a", BudgetPeriod.MONTHLY, 1_000));
        events.ledger(f.reserve("r1", 400, now.minusSeconds(60)));
        events.ledger(f.usage("r1", 300, now.minusSeconds(50), orgScope, team));
        events.ledger(f.reserve("r2", 200, now.minusSeconds(40)));
        events.ledger(f.reserve("r3", 50, now.minusSeconds(30)));
        events.ledger(new ReservationReleasedEvent(f.org, UUID.randomUUID().toString(), now.minusSeconds(20), "r3",
                50, "client gone"));
        events.ledger(f.transfer(f.pool, "alice-acct", 700, now.minusSeconds(10)));
        events.ledger(f.threshold("budget-team", team, 50, 500, 1_000));

        Api admin = as(key);
        // One org, one partition, in order: once the last event is projected, every earlier one is.
        await().atMost(Duration.ofSeconds(30)).until(() ->
                admin.json("/orgs/" + f.org + "/alerts").path("items").size() == 1);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode overview = admin.json("/orgs/" + f.org + "/overview");
            assertThat(overview.path("balance_credits").asLong()).isEqualTo(10_000 - 300);
            assertThat(overview.path("held_credits").asLong()).isEqualTo(200);
            assertThat(overview.path("available_credits").asLong()).isEqualTo(9_500);
            assertThat(overview.path("org_name").asString()).isEqualTo("Ledger Org");
            // No gateway records for this org, so no burn rate to run out at.
            assertThat(overview.path("days_left").isNull()).isTrue();
            JsonNode budget = overview.path("budgets").get(0);
            assertThat(budget.path("budget_id").asString()).isEqualTo("budget-team");
            assertThat(budget.path("scope_name").asString()).isEqualTo("Platform");
            assertThat(budget.path("spent_credits").asLong()).isEqualTo(300);
            assertThat(budget.path("fill_percent").asDouble()).isEqualTo(30.0);
            assertThat(budget.path("thresholds_percent").toString()).isEqualTo("[50,80]");
        });

        JsonNode transfers = admin.json("/orgs/" + f.org + "/transfers").path("items");
        assertThat(transfers).hasSize(1);
        assertThat(transfers.get(0).path("credits").asLong()).isEqualTo(700);
        assertThat(transfers.get(0).path("from_name").asString()).isEqualTo("Ledger Org (org pool)");
        assertThat(transfers.get(0).path("to_name").asString()).isEqualTo("Alice");
        assertThat(transfers.get(0).path("reason").asString()).isEqualTo("vacation cover");

        JsonNode accounts = admin.json("/orgs/" + f.org + "/accounts").path("items");
        assertThat(accounts.get(0).path("balance_credits").asLong()).isEqualTo(10_000 - 300 - 700);
        assertThat(accounts.get(1).path("balance_credits").asLong()).isEqualTo(700);

        JsonNode alerts = admin.json("/orgs/" + f.org + "/alerts").path("items");
        assertThat(alerts).hasSize(1);
        assertThat(alerts.get(0).path("kind").asString()).isEqualTo("THRESHOLD");
        assertThat(alerts.get(0).path("threshold_percent").asInt()).isEqualTo(50);
        assertThat(alerts.get(0).path("scope_name").asString()).isEqualTo("Platform");
    }

    @Test
    void lease_charges_are_spent_like_usage_while_the_lease_stays_open_holding_only_what_is_left() {
        Fixtures f = new Fixtures("lease");
        var events = events();
        events.state(f.orgState("Lease Org"));
        events.state(f.team("team-l", "Gateway users"));
        String key = adminKey(f.org, AdminRole.ORG_ADMIN);
        Instant now = Instant.now();
        Scope orgScope = new Scope(ScopeLevel.ORG, f.org);
        Scope team = new Scope(ScopeLevel.GROUP, "team-l");

        events.ledger(f.purchase(10_000, now.minusSeconds(3600)));
        events.ledger(f.budget("budget-lease-team", ScopeLevel.GROUP, "team-l", BudgetPeriod.MONTHLY, 1_000));
        events.ledger(f.reserve("lease-1", 1_000, now.minusSeconds(60)));
        events.ledger(f.leaseCharge("lease-1", "req-1", 300, 700, now.minusSeconds(50), orgScope, team));
        var second = f.leaseCharge("lease-1", "req-2", 200, 500, now.minusSeconds(40), orgScope, team);
        String secondId = events.ledger(second);
        // The ledger re-sending an event keeps its id: counted once.
        events.ledger(secondId, second);

        Api admin = as(key);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode overview = admin.json("/orgs/" + f.org + "/overview");
            assertThat(overview.path("balance_credits").asLong()).isEqualTo(10_000 - 500);
            assertThat(overview.path("held_credits").asLong()).isEqualTo(500);
            assertThat(overview.path("available_credits").asLong()).isEqualTo(9_000);
            assertThat(overview.path("budgets").get(0).path("spent_credits").asLong()).isEqualTo(500);
        });

        events.ledger(new ReservationReleasedEvent(f.org, UUID.randomUUID().toString(), now.minusSeconds(30),
                "lease-1", 500, "lease returned"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode overview = admin.json("/orgs/" + f.org + "/overview");
            assertThat(overview.path("held_credits").asLong()).isZero();
            assertThat(overview.path("balance_credits").asLong()).isEqualTo(10_000 - 500);
            assertThat(overview.path("available_credits").asLong()).isEqualTo(9_500);
            assertThat(overview.path("budgets").get(0).path("spent_credits").asLong()).isEqualTo(500);
        });
        JsonNode accounts = admin.json("/orgs/" + f.org + "/accounts").path("items");
        assertThat(accounts).hasSize(1);
        assertThat(accounts.get(0).path("balance_credits").asLong()).isEqualTo(9_500);
    }

    /**
     * A row per charge and scope was the projection's largest write: the charges of one scope in one second are one
     * row, whose sum is the budget's spend; a re-sent charge still counts once.
     */
    @Test
    void the_charges_of_one_second_are_one_spend_row_per_scope_and_a_resent_one_counts_once() throws Exception {
        Fixtures f = new Fixtures("per-second");
        var events = events();
        String key = adminKey(f.org, AdminRole.ORG_OWNER);
        Scope bot = new Scope(ScopeLevel.MEMBER, "bot-s");
        Scope org = new Scope(ScopeLevel.ORG, f.org);
        Instant second = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(30);
        events.ledger(f.purchase(100_000, second.minusSeconds(60)));
        events.ledger(f.budget("budget-s", ScopeLevel.MEMBER, "bot-s", BudgetPeriod.TOTAL, 50_000));
        String resent = null;
        for (int i = 0; i < 5; i++) {
            events.ledger(f.reserve("ps" + i, 100, second));
            resent = events.ledger(f.usage("ps" + i, 10 * (i + 1), second.plusMillis(100 * i), org, bot));
        }
        events.ledger(resent, f.usage("ps4", 50, second.plusMillis(400), org, bot));
        events.ledger(f.reserve("ps5", 100, second.plusSeconds(1)));
        events.ledger(f.usage("ps5", 1, second.plusSeconds(1), org, bot));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(as(key)
                .json("/orgs/" + f.org + "/forecast").path("items").path(0).path("spent_credits").asLong())
                .isEqualTo(10 + 20 + 30 + 40 + 50 + 1));
        try (Connection c = database().dataSource().getConnection();
                PreparedStatement s = c.prepareStatement("""
                        select at_second, credits, last_at from scope_spend
                        where org_id = ? and scope_id = 'bot-s' order by at_second""")) {
            s.setString(1, f.org);
            try (ResultSet r = s.executeQuery()) {
                assertThat(r.next()).isTrue();
                assertThat(r.getObject(1, OffsetDateTime.class).toInstant()).isEqualTo(second);
                assertThat(r.getLong(2)).isEqualTo(150);
                assertThat(r.getObject(3, OffsetDateTime.class).toInstant())
                        .isEqualTo(second.plusMillis(400));
                assertThat(r.next()).isTrue();
                assertThat(r.getLong(2)).isEqualTo(1);
                assertThat(r.next()).isFalse();
            }
        }
    }

    @Test
    void forecast_projects_the_last_seven_days_pace_to_month_end() {
        Fixtures f = new Fixtures("forecast");
        var events = events();
        String key = adminKey(f.org, AdminRole.ORG_OWNER);
        Scope agent = new Scope(ScopeLevel.MEMBER, "bot-1");
        // PostgreSQL keeps microseconds (rounded): an instant in milliseconds comes back as it was.
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        events.ledger(f.purchase(1_000_000, now.minusSeconds(3600)));
        events.ledger(f.budget("budget-bot", ScopeLevel.MEMBER, "bot-1", BudgetPeriod.TOTAL, 5_000));
        // 7,000 credits in the last 7 days: 1,000 a day, so the forecast adds ~1,000 per remaining day.
        events.ledger(f.reserve("fr1", 7_000, now.minusSeconds(120)));
        events.ledger(f.usage("fr1", 7_000, now.minusSeconds(100), agent));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            // path, not get: until the budget is projected there is no item, and the assertion below retries.
            JsonNode budget = as(key).json("/orgs/" + f.org + "/forecast").path("items").path(0);
            assertThat(budget.path("spent_credits").asLong()).isEqualTo(7_000);
            assertThat(budget.path("fill_percent").asDouble()).isEqualTo(140.0);
            assertThat(budget.path("forecast_exceeds").asBoolean()).isTrue();
            assertThat(budget.path("forecast_credits").asLong()).isGreaterThanOrEqualTo(7_000);
            // No BudgetExhausted from the ledger here: the moment the charges reached the limit.
            assertThat(Instant.parse(budget.path("exhausted_at").asString())).isEqualTo(now.minusSeconds(100));
        });
    }

    @Test
    void an_exhausted_budget_reports_when_the_ledger_exhausted_it_and_forecasts_no_spend_past_its_limit() {
        Fixtures f = new Fixtures("exhausted");
        var events = events();
        String key = adminKey(f.org, AdminRole.ORG_OWNER);
        Scope orgScope = new Scope(ScopeLevel.ORG, f.org);
        Instant reached = Instant.now().minusSeconds(30).truncatedTo(ChronoUnit.MILLIS);
        events.ledger(f.purchase(100_000, reached.minusSeconds(3600)));
        events.ledger(f.budget("budget-total", ScopeLevel.ORG, f.org, BudgetPeriod.TOTAL, 1_000));
        events.ledger(f.reserve("ex1", 600, reached.minusSeconds(20)));
        events.ledger(f.usage("ex1", 600, reached.minusSeconds(10), orgScope));
        events.ledger(f.reserve("ex2", 400, reached.minusSeconds(5)));
        events.ledger(f.usage("ex2", 400, reached, orgScope));
        events.ledger(f.exhaustedTotal("budget-total", orgScope, 1_000, 1_000, reached));

        Api admin = as(key);
        await().atMost(Duration.ofSeconds(30)).until(() ->
                admin.json("/orgs/" + f.org + "/alerts").path("items").size() == 1);
        JsonNode budget = admin.json("/orgs/" + f.org + "/budgets").path("items").get(0);
        assertThat(budget.path("spent_credits").asLong()).isEqualTo(1_000);
        // The moment the limit was reached, not the moment of the read: it must not move with the clock.
        assertThat(Instant.parse(budget.path("exhausted_at").asString())).isEqualTo(reached);
        // The ledger refuses what would go past the limit until the window resets: nothing more is spent.
        assertThat(budget.path("forecast_credits").asLong()).isEqualTo(1_000);
        assertThat(budget.path("forecast_percent").asDouble()).isEqualTo(100.0);
        assertThat(budget.path("forecast_exceeds").asBoolean()).isFalse();
        JsonNode overview = admin.json("/orgs/" + f.org + "/overview").path("budgets").get(0);
        assertThat(Instant.parse(overview.path("exhausted_at").asString())).isEqualTo(reached);
    }
}
