package dev.tally.notification.alert;

import dev.tally.events.alert.Alert;
import dev.tally.events.alert.AlertKind;
import dev.tally.events.alert.AlertSeverity;
import dev.tally.events.ledger.BudgetExhaustedEvent;
import dev.tally.events.ledger.BudgetPeriod;
import dev.tally.events.ledger.BudgetThresholdCrossedEvent;
import dev.tally.events.ledger.CreditOverdrawnEvent;
import dev.tally.events.ledger.CreditReservationRejectedEvent;
import dev.tally.events.ledger.RejectionReason;
import dev.tally.events.ledger.Scope;
import dev.tally.events.ledger.ScopeLevel;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class LedgerAlertsTest {

    private static final Instant AT = Instant.parse("2026-11-23T10:15:30Z");
    private static final LocalDate NOVEMBER = LocalDate.parse("2026-11-01");
    private static final Scope GROUP = new Scope(ScopeLevel.GROUP, "support-bots");

    private static BudgetThresholdCrossedEvent crossed(int percent, String commandId, Instant at) {
        return new BudgetThresholdCrossedEvent("org-acme", commandId, at, "bgt-1", GROUP, BudgetPeriod.MONTHLY,
                NOVEMBER, percent, 12_000, 15_000);
    }

    private static CreditOverdrawnEvent overdrawn(String commandId, long available) {
        return new CreditOverdrawnEvent("org-acme", commandId, AT, "lease-1", "req-7", "acct-mbr-jdoe",
                new Scope(ScopeLevel.MEMBER, "jdoe"), 20, available, available);
    }

    @Test
    void a_bill_beyond_its_hold_alerts_the_member_once_per_request_and_critically_once_overdrawn() {
        Alert warning = LedgerAlerts.of(overdrawn("cmd-1", 480));
        Alert replayed = LedgerAlerts.of(overdrawn("cmd-2", 480));
        Alert critical = LedgerAlerts.of(overdrawn("cmd-1", -20));

        assertThat(warning.kind()).isEqualTo(AlertKind.CREDIT_OVERDRAWN);
        assertThat(warning.severity()).isEqualTo(AlertSeverity.WARNING);
        assertThat(critical.severity()).isEqualTo(AlertSeverity.CRITICAL);
        assertThat(warning.memberId()).isEqualTo("jdoe");
        assertThat(replayed.alertId()).isEqualTo(warning.alertId()).startsWith("alr-credit-overdrawn-");
        assertThat(critical.text()).contains("req-7", "acct-mbr-jdoe", "-20");
    }

    @Test
    void one_threshold_of_one_window_has_one_id_whichever_event_reports_it_and_whenever() {
        Alert first = LedgerAlerts.of(crossed(80, "cmd-1", AT)).orElseThrow();
        Alert replayed = LedgerAlerts.of(crossed(80, "cmd-2", AT.plusSeconds(3600))).orElseThrow();

        assertThat(replayed.alertId()).isEqualTo(first.alertId()).startsWith("alr-budget-threshold-");
    }

    @Test
    void another_threshold_window_budget_or_org_is_another_alert() {
        String id = AlertIds.budgetThreshold("org-acme", "bgt-1", NOVEMBER, 80);

        assertThat(List.of(AlertIds.budgetThreshold("org-acme", "bgt-1", NOVEMBER, 90),
                AlertIds.budgetThreshold("org-acme", "bgt-1", NOVEMBER.plusMonths(1), 80),
                AlertIds.budgetThreshold("org-acme", "bgt-2", NOVEMBER, 80),
                AlertIds.budgetThreshold("org-other", "bgt-1", NOVEMBER, 80),
                AlertIds.budgetExhausted("org-acme", "bgt-1", NOVEMBER))).doesNotContain(id).doesNotHaveDuplicates();
    }

    @Test
    void severity_grows_with_the_threshold_and_100_percent_is_left_to_the_exhausted_event() {
        assertThat(LedgerAlerts.of(crossed(50, "c", AT)).orElseThrow().severity()).isEqualTo(AlertSeverity.INFO);
        assertThat(LedgerAlerts.of(crossed(75, "c", AT)).orElseThrow().severity()).isEqualTo(AlertSeverity.WARNING);
        assertThat(LedgerAlerts.of(crossed(80, "c", AT)).orElseThrow().severity()).isEqualTo(AlertSeverity.WARNING);
        assertThat(LedgerAlerts.of(crossed(90, "c", AT)).orElseThrow().severity()).isEqualTo(AlertSeverity.CRITICAL);
        assertThat(LedgerAlerts.of(crossed(100, "c", AT))).isEmpty();
    }

    @Test
    void a_threshold_alert_names_the_budget_the_group_and_the_spend() {
        Alert alert = LedgerAlerts.of(crossed(80, "c", AT)).orElseThrow();

        assertThat(alert.kind()).isEqualTo(AlertKind.BUDGET_THRESHOLD);
        assertThat(alert.orgId()).isEqualTo("org-acme");
        assertThat(alert.budgetId()).isEqualTo("bgt-1");
        assertThat(alert.groupId()).isEqualTo("support-bots");
        assertThat(alert.memberId()).isNull();
        assertThat(alert.title()).isEqualTo("Budget bgt-1 at 80 %");
        assertThat(alert.text()).contains("12000 of 15000 credits", "MONTHLY", "2026-11-01", "group support-bots");
        assertThat(alert.occurredAt()).isEqualTo(AT);
    }

    @Test
    void an_exhausted_budget_is_critical_and_says_whether_its_target_was_disabled() {
        Alert disabled = LedgerAlerts.of(new BudgetExhaustedEvent("org-acme", "c", AT, "bgt-1",
                new Scope(ScopeLevel.MEMBER, "jdoe"), BudgetPeriod.DAILY, NOVEMBER, 500, 500, true));
        Alert refused = LedgerAlerts.of(new BudgetExhaustedEvent("org-acme", "c", AT, "bgt-1", GROUP,
                BudgetPeriod.DAILY, NOVEMBER, 500, 500, false));

        assertThat(disabled.severity()).isEqualTo(AlertSeverity.CRITICAL);
        assertThat(disabled.memberId()).isEqualTo("jdoe");
        assertThat(disabled.text()).contains("disabled");
        assertThat(refused.text()).contains("refused");
        assertThat(disabled.alertId()).isEqualTo(refused.alertId());
    }

    @Test
    void refusals_make_one_alert_when_a_window_reaches_the_threshold_and_the_same_one_on_replay() {
        Instant windowStart = Instant.parse("2026-11-23T10:15:00Z");
        List<Optional<Alert>> first = refusals(new RefusalRate(3, Duration.ofMinutes(5)), windowStart, 5);
        List<Optional<Alert>> replay = refusals(new RefusalRate(3, Duration.ofMinutes(5)), windowStart, 5);

        assertThat(first).extracting(Optional::isPresent).containsExactly(false, false, true, false, false);
        Alert alert = first.get(2).orElseThrow();
        assertThat(alert.kind()).isEqualTo(AlertKind.RESERVATIONS_REFUSED);
        assertThat(alert.text()).contains("3 reservations refused", "BUDGET_EXCEEDED");
        assertThat(replay.get(2).orElseThrow().alertId()).isEqualTo(alert.alertId());
    }

    @Test
    void refusals_in_the_next_window_count_again() {
        RefusalRate rate = new RefusalRate(2, Duration.ofMinutes(5));
        Instant start = Instant.parse("2026-11-23T10:15:00Z");

        List<Optional<Alert>> now = refusals(rate, start, 2);
        List<Optional<Alert>> later = refusals(rate, start.plus(Duration.ofMinutes(5)), 2);

        assertThat(now.get(1)).isPresent();
        assertThat(later.get(1)).isPresent();
        assertThat(later.get(1).orElseThrow().alertId()).isNotEqualTo(now.get(1).orElseThrow().alertId());
    }

    private static List<Optional<Alert>> refusals(RefusalRate rate, Instant windowStart, int n) {
        return java.util.stream.IntStream.range(0, n).mapToObj(i -> rate.record(new CreditReservationRejectedEvent(
                "org-acme", "cmd-" + i, windowStart.plusSeconds(i), "res-" + i, 100, List.of(GROUP),
                RejectionReason.BUDGET_EXCEEDED, "bgt-1", "budget bgt-1 has 0 credits left"))).toList();
    }
}
