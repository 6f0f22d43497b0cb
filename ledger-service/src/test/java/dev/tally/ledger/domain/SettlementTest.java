package dev.tally.ledger.domain;

import dev.tally.events.ledger.AccountKind;
import dev.tally.events.ledger.BudgetExhaustedEvent;
import dev.tally.events.ledger.BudgetPeriod;
import dev.tally.events.ledger.BudgetThresholdCrossedEvent;
import dev.tally.events.ledger.CreditOverdrawnEvent;
import dev.tally.events.ledger.Leg;
import dev.tally.events.ledger.RecordUsageCommand;
import dev.tally.events.ledger.ReserveCreditCommand;
import dev.tally.events.ledger.UsageRecordedEvent;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import static dev.tally.events.ledger.BudgetPeriod.DAILY;
import static dev.tally.events.ledger.BudgetPeriod.MONTHLY;
import static dev.tally.events.ledger.RejectionReason.BUDGET_EXCEEDED;
import static dev.tally.events.ledger.RejectionReason.INSUFFICIENT_CREDITS;
import static dev.tally.events.ledger.RejectionReason.INVALID_AMOUNT;
import static dev.tally.events.ledger.RejectionReason.UNKNOWN_RESERVATION;
import static dev.tally.ledger.domain.LedgerTestKit.ALICE;
import static dev.tally.ledger.domain.LedgerTestKit.ALICE_SCOPE;
import static dev.tally.ledger.domain.LedgerTestKit.CHAIN;
import static dev.tally.ledger.domain.LedgerTestKit.LAST_SECOND_OF_DAY;
import static dev.tally.ledger.domain.LedgerTestKit.LEDGER;
import static dev.tally.ledger.domain.LedgerTestKit.NEXT_DAY;
import static dev.tally.ledger.domain.LedgerTestKit.NOW;
import static dev.tally.ledger.domain.LedgerTestKit.ORG;
import static dev.tally.ledger.domain.LedgerTestKit.ORG_SCOPE;
import static dev.tally.ledger.domain.LedgerTestKit.TEAM;
import static dev.tally.ledger.domain.LedgerTestKit.TEAM_SCOPE;
import static dev.tally.ledger.domain.LedgerTestKit.TODAY;
import static dev.tally.ledger.domain.LedgerTestKit.TOMORROW;
import static dev.tally.ledger.domain.LedgerTestKit.TTL_SECONDS;
import static dev.tally.ledger.domain.LedgerTestKit.accepted;
import static dev.tally.ledger.domain.LedgerTestKit.accountOpened;
import static dev.tally.ledger.domain.LedgerTestKit.budgetDefined;
import static dev.tally.ledger.domain.LedgerTestKit.eventPayloads;
import static dev.tally.ledger.domain.LedgerTestKit.expire;
import static dev.tally.ledger.domain.LedgerTestKit.hold;
import static dev.tally.ledger.domain.LedgerTestKit.leg;
import static dev.tally.ledger.domain.LedgerTestKit.ledgerOpened;
import static dev.tally.ledger.domain.LedgerTestKit.newFixture;
import static dev.tally.ledger.domain.LedgerTestKit.payload;
import static dev.tally.ledger.domain.LedgerTestKit.purchase;
import static dev.tally.ledger.domain.LedgerTestKit.purchased;
import static dev.tally.ledger.domain.LedgerTestKit.rejected;
import static dev.tally.ledger.domain.LedgerTestKit.rejectedFor;
import static dev.tally.ledger.domain.LedgerTestKit.release;
import static dev.tally.ledger.domain.LedgerTestKit.removeBudget;
import static dev.tally.ledger.domain.LedgerTestKit.reserve;
import static dev.tally.ledger.domain.LedgerTestKit.reserveCritical;
import static dev.tally.ledger.domain.LedgerTestKit.reserved;
import static dev.tally.ledger.domain.LedgerTestKit.usage;

/** The second phase of a charge: recording usage against a reservation, and the budget alerts it raises. */
class SettlementTest {

    private static final String TEAM_BUDGET = "budget-team";

    private AggregateTestFixture<CreditLedger> fixture;

    @BeforeEach
    void setUp() {
        fixture = newFixture();
    }

    private static UsageRecordedEvent usageRecorded(RecordUsageCommand c, Instant at, long reserved, long charged,
            Leg... charges) {
        long actual = c.actualCredits();
        return new UsageRecordedEvent(LEDGER, c.commandId(), at, c.reservationId(), reserved, actual, charged,
                actual - charged, reserved - charged, List.of(charges), CHAIN, c.tokensIn(), c.tokensOut(), c.model(),
                c.provider());
    }

    private static BudgetThresholdCrossedEvent teamCrossed(RecordUsageCommand c, Instant at, BudgetPeriod period,
            LocalDate window, int threshold, long spent, long limit) {
        return new BudgetThresholdCrossedEvent(LEDGER, c.commandId(), at, TEAM_BUDGET, TEAM_SCOPE, period, window,
                threshold, spent, limit);
    }

    @Nested
    class RecordUsage {

        @Test
        void recording_usage_charges_the_actual_cost_and_releases_the_rest() {
            RecordUsageCommand usage = usage("res-1", 60);

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), purchased(ORG, 1_000), reserved("res-1", 100))
                    .when(usage)
                    .expectEvents(new UsageRecordedEvent(LEDGER, usage.commandId(), NOW, "res-1", 100, 60, 60, 0, 40,
                            List.of(leg(ORG, 60)), CHAIN, 1200, 300, "gpt-4o-mini", "openai"))
                    .expectResultMessagePayload(accepted(usage, "UsageRecorded", 60));
        }

        @Test
        void the_charge_is_split_over_the_reservations_legs_in_order() {
            RecordUsageCommand usage = usage("res-1", 50);

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), accountOpened(TEAM, AccountKind.GROUP),
                            accountOpened(ALICE, AccountKind.MEMBER), purchased(ALICE, 30), purchased(TEAM, 50),
                            purchased(ORG, 1_000),
                            reserved("res-1", 100, NOW, List.of(leg(ALICE, 30), leg(TEAM, 50), leg(ORG, 20)),
                                    List.of()))
                    .when(usage)
                    .expectEvents(usageRecorded(usage, NOW, 100, 50, leg(ALICE, 30), leg(TEAM, 20)))
                    .expectResultMessagePayload(accepted(usage, "UsageRecorded", 50));
        }

        @Test
        void usage_of_zero_credits_charges_nothing_and_releases_the_whole_reservation() {
            RecordUsageCommand usage = usage("res-1", 0);

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), purchased(ORG, 1_000), reserved("res-1", 100))
                    .when(usage)
                    .expectEvents(usageRecorded(usage, NOW, 100, 0))
                    .expectResultMessagePayload(accepted(usage, "UsageRecorded", 0));
        }

        @Test
        void usage_beyond_the_reservation_charges_the_excess_to_the_account_it_drew_from_first_as_an_overdraft() {
            RecordUsageCommand usage = usage("res-1", 130);

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), accountOpened(ALICE, AccountKind.MEMBER),
                            accountOpened(TEAM, AccountKind.GROUP), purchased(ALICE, 30), purchased(TEAM, 50),
                            purchased(ORG, 1_000),
                            reserved("res-1", 100, NOW, List.of(leg(ALICE, 30), leg(TEAM, 50), leg(ORG, 20)),
                                    List.of()))
                    .when(usage)
                    .expectEvents(new UsageRecordedEvent(LEDGER, usage.commandId(), NOW, "res-1", 100, 130, 130, 0, 0,
                                    List.of(leg(ALICE, 30), leg(TEAM, 50), leg(ORG, 20)), CHAIN, 1200, 300,
                                    "gpt-4o-mini", "openai", 30L, ALICE),
                            new CreditOverdrawnEvent(LEDGER, usage.commandId(), NOW, "res-1", "res-1", ALICE,
                                    ALICE_SCOPE, 30, -30, -30))
                    .expectResultMessagePayload(accepted(usage, "UsageRecorded", 130));
        }

        @Test
        void usage_within_the_reservation_overdraws_nothing() {
            RecordUsageCommand usage = usage("res-1", 100);

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), purchased(ORG, 1_000), reserved("res-1", 100))
                    .when(usage)
                    .expectEvents(new UsageRecordedEvent(LEDGER, usage.commandId(), NOW, "res-1", 100, 100, 100, 0, 0,
                            List.of(leg(ORG, 100)), CHAIN, 1200, 300, "gpt-4o-mini", "openai", 0L, null))
                    .expectResultMessagePayload(accepted(usage, "UsageRecorded", 100));
        }

        @Test
        void the_overdraft_leaves_the_balance_with_the_charge() {
            ReserveCreditCommand next = reserve("res-2", 21);

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), purchased(ORG, 100), reserved("res-1", 50))
                    .andGivenCommands(usage("res-1", 80))
                    .when(next)
                    .expectResultMessagePayloadMatching(rejectedFor(next, INSUFFICIENT_CREDITS));
        }

        @Test
        void an_overdraft_is_paid_back_first_by_the_next_purchase() {
            ReserveCreditCommand next = reserve("res-2", 10);

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), purchased(ORG, 100), reserved("res-1", 100))
                    .andGivenCommands(usage("res-1", 130), purchase(ORG, 35))
                    .when(next)
                    .expectResultMessagePayloadMatching(rejectedFor(next, INSUFFICIENT_CREDITS));
        }

        @Test
        void a_usage_recorded_before_overdrafts_replays_with_its_excess_forgiven() {
            ReserveCreditCommand rest = reserve("res-2", 50);
            UsageRecordedEvent forgiving = new UsageRecordedEvent(LEDGER, "cmd-usage-old", NOW, "res-1", 50, 80, 50,
                    30, 0, List.of(leg(ORG, 50)), CHAIN, 1200, 300, "gpt-4o-mini", "openai");

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), purchased(ORG, 100), reserved("res-1", 50), forgiving)
                    .when(rest)
                    .expectResultMessagePayload(accepted(rest, "CreditReserved", 50));
        }

        @Test
        void the_charged_credits_leave_the_balance() {
            ReserveCreditCommand next = reserve("res-2", 41);

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), purchased(ORG, 100), reserved("res-1", 100))
                    .andGivenCommands(usage("res-1", 60))
                    .when(next)
                    .expectResultMessagePayloadMatching(rejectedFor(next, INSUFFICIENT_CREDITS));
        }

        @Test
        void the_unused_rest_of_the_reservation_is_available_again() {
            ReserveCreditCommand next = reserve("res-2", 40);

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), purchased(ORG, 100), reserved("res-1", 100))
                    .andGivenCommands(usage("res-1", 60))
                    .when(next)
                    .expectResultMessagePayload(accepted(next, "CreditReserved", 40));
        }

        @Test
        void a_settled_overdraft_stays_used_until_credits_are_bought() {
            ReserveCreditCommand next = reserveCritical("res-2", 1, List.of(ORG));

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(100), purchased(ORG, 50))
                    .andGivenCommands(reserveCritical("res-1", 150, List.of(ORG)), usage("res-1", 150))
                    .when(next)
                    .expectResultMessagePayloadMatching(rejectedFor(next, INSUFFICIENT_CREDITS));
        }

        @Test
        void buying_credits_pays_back_a_settled_overdraft() {
            ReserveCreditCommand next = reserveCritical("res-2", 100, List.of(ORG));

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(100), purchased(ORG, 50))
                    .andGivenCommands(reserveCritical("res-1", 150, List.of(ORG)), usage("res-1", 150),
                            purchase(ORG, 100))
                    .when(next)
                    .expectResultMessagePayload(accepted(next, "CreditReserved", 100));
        }

        @Test
        void usage_of_an_unknown_reservation_is_rejected() {
            RecordUsageCommand usage = usage("res-404", 10);

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), purchased(ORG, 1_000))
                    .when(usage)
                    .expectNoEvents()
                    .expectResultMessagePayload(rejected(usage, UNKNOWN_RESERVATION,
                            "reservation res-404 is not open: never made, already settled, released or expired"));
        }

        @Test
        void usage_of_an_already_settled_reservation_is_rejected() {
            RecordUsageCommand second = new RecordUsageCommand("cmd-usage-again", LEDGER, "res-1", 10, 10, 10,
                    "gpt-4o-mini", "openai");

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), purchased(ORG, 1_000), reserved("res-1", 100))
                    .andGivenCommands(usage("res-1", 60))
                    .when(second)
                    .expectNoEvents()
                    .expectResultMessagePayloadMatching(rejectedFor(second, UNKNOWN_RESERVATION));
        }

        @Test
        void usage_of_a_released_reservation_is_rejected() {
            RecordUsageCommand usage = usage("res-1", 10);

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), purchased(ORG, 1_000), reserved("res-1", 100))
                    .andGivenCommands(release("res-1"))
                    .when(usage)
                    .expectNoEvents()
                    .expectResultMessagePayloadMatching(rejectedFor(usage, UNKNOWN_RESERVATION));
        }

        @Test
        void usage_of_an_expired_reservation_is_rejected() {
            RecordUsageCommand usage = usage("res-1", 10);

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), purchased(ORG, 1_000), reserved("res-1", 100))
                    .andGivenCurrentTime(NOW.plusSeconds(TTL_SECONDS))
                    .andGivenCommands(expire("res-1"))
                    .when(usage)
                    .expectNoEvents()
                    .expectResultMessagePayloadMatching(rejectedFor(usage, UNKNOWN_RESERVATION));
        }

        @Test
        void usage_with_a_negative_cost_is_rejected_as_an_invalid_amount() {
            RecordUsageCommand usage = usage("res-1", -1);

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), purchased(ORG, 1_000), reserved("res-1", 100))
                    .when(usage)
                    .expectNoEvents()
                    .expectResultMessagePayload(rejected(usage, INVALID_AMOUNT,
                            "actual_credits and token counts must not be negative"));
        }

        @Test
        void usage_with_negative_token_counts_is_rejected_as_an_invalid_amount() {
            RecordUsageCommand usage = new RecordUsageCommand("cmd-usage-res-1", LEDGER, "res-1", 10, -1, 20,
                    "gpt-4o-mini", "openai");

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), purchased(ORG, 1_000), reserved("res-1", 100))
                    .when(usage)
                    .expectNoEvents()
                    .expectResultMessagePayloadMatching(rejectedFor(usage, INVALID_AMOUNT));
        }

        @Test
        void a_rejected_usage_leaves_the_reservation_open() {
            RecordUsageCommand corrected = new RecordUsageCommand("cmd-usage-corrected", LEDGER, "res-1", 10, 10, 10,
                    "gpt-4o-mini", "openai");

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), purchased(ORG, 1_000), reserved("res-1", 100))
                    .andGivenCommands(usage("res-1", -1))
                    .when(corrected)
                    .expectResultMessagePayload(accepted(corrected, "UsageRecorded", 10));
        }
    }

    @Nested
    class BudgetAlerts {

        private static final long LIMIT = 100;

        private Object teamBudget(boolean autoDisable) {
            return budgetDefined(TEAM_BUDGET, TEAM_SCOPE, DAILY, LIMIT, LedgerRules.DEFAULT_THRESHOLDS, autoDisable);
        }

        private Object reservedOnTeamBudget(String reservationId, long credits, Instant at, LocalDate window) {
            return reserved(reservationId, credits, at, List.of(leg(ORG, credits)),
                    List.of(hold(TEAM_BUDGET, window)));
        }

        @Test
        void crossing_two_thresholds_in_one_usage_emits_both() {
            RecordUsageCommand usage = usage("res-1", 80);

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), purchased(ORG, 1_000), teamBudget(false),
                            reservedOnTeamBudget("res-1", 80, NOW, TODAY))
                    .when(usage)
                    .expectEvents(usageRecorded(usage, NOW, 80, 80, leg(ORG, 80)),
                            teamCrossed(usage, NOW, DAILY, TODAY, 50, 80, LIMIT),
                            teamCrossed(usage, NOW, DAILY, TODAY, 75, 80, LIMIT))
                    .expectResultMessagePayload(accepted(usage, "UsageRecorded", 80));
        }

        @Test
        void thresholds_already_crossed_in_the_window_are_not_emitted_again() {
            RecordUsageCommand later = usage("res-2", 5);

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), purchased(ORG, 1_000), teamBudget(false))
                    .andGivenCommands(reserve("res-1", 80), usage("res-1", 80), reserve("res-2", 15))
                    .when(later)
                    .expectEvents(usageRecorded(later, NOW, 15, 5, leg(ORG, 5)));
        }

        @Test
        void a_later_usage_emits_only_the_thresholds_it_newly_crosses() {
            RecordUsageCommand later = usage("res-2", 10);

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), purchased(ORG, 1_000), teamBudget(false))
                    .andGivenCommands(reserve("res-1", 80), usage("res-1", 80), reserve("res-2", 15))
                    .when(later)
                    .expectEvents(usageRecorded(later, NOW, 15, 10, leg(ORG, 10)),
                            teamCrossed(later, NOW, DAILY, TODAY, 90, 90, LIMIT));
        }

        @Test
        void reaching_the_limit_emits_budget_exhausted_carrying_auto_disable() {
            RecordUsageCommand usage = usage("res-1", 100);

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), purchased(ORG, 1_000), teamBudget(true),
                            reservedOnTeamBudget("res-1", 100, NOW, TODAY))
                    .when(usage)
                    .expectEvents(usageRecorded(usage, NOW, 100, 100, leg(ORG, 100)),
                            teamCrossed(usage, NOW, DAILY, TODAY, 50, 100, LIMIT),
                            teamCrossed(usage, NOW, DAILY, TODAY, 75, 100, LIMIT),
                            teamCrossed(usage, NOW, DAILY, TODAY, 90, 100, LIMIT),
                            teamCrossed(usage, NOW, DAILY, TODAY, 100, 100, LIMIT),
                            new BudgetExhaustedEvent(LEDGER, usage.commandId(), NOW, TEAM_BUDGET, TEAM_SCOPE, DAILY,
                                    TODAY, 100, LIMIT, true));
        }

        @Test
        void reaching_the_limit_of_a_budget_without_auto_disable_says_so() {
            RecordUsageCommand usage = usage("res-1", 100);

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), purchased(ORG, 1_000),
                            budgetDefined(TEAM_BUDGET, TEAM_SCOPE, DAILY, LIMIT, List.of(100), false),
                            reservedOnTeamBudget("res-1", 100, NOW, TODAY))
                    .when(usage)
                    .expectEvents(usageRecorded(usage, NOW, 100, 100, leg(ORG, 100)),
                            teamCrossed(usage, NOW, DAILY, TODAY, 100, 100, LIMIT),
                            new BudgetExhaustedEvent(LEDGER, usage.commandId(), NOW, TEAM_BUDGET, TEAM_SCOPE, DAILY,
                                    TODAY, 100, LIMIT, false));
        }

        @Test
        void thresholds_count_charged_credits_not_reserved_ones() {
            RecordUsageCommand usage = usage("res-1", 30);

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), purchased(ORG, 1_000), teamBudget(false),
                            reservedOnTeamBudget("res-1", 90, NOW, TODAY))
                    .when(usage)
                    .expectEvents(usageRecorded(usage, NOW, 90, 30, leg(ORG, 30)));
        }

        @Test
        void an_overdraft_counts_as_spent_so_it_crosses_thresholds_and_exhausts_the_budget() {
            RecordUsageCommand usage = usage("res-1", 120);

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), purchased(ORG, 1_000), teamBudget(true),
                            reservedOnTeamBudget("res-1", 40, NOW, TODAY))
                    .when(usage)
                    .expectEvents(new UsageRecordedEvent(LEDGER, usage.commandId(), NOW, "res-1", 40, 120, 120, 0, 0,
                                    List.of(leg(ORG, 40)), CHAIN, 1200, 300, "gpt-4o-mini", "openai", 80L, ORG),
                            new CreditOverdrawnEvent(LEDGER, usage.commandId(), NOW, "res-1", "res-1", ORG,
                                    ALICE_SCOPE, 80, 880, 880),
                            teamCrossed(usage, NOW, DAILY, TODAY, 50, 120, LIMIT),
                            teamCrossed(usage, NOW, DAILY, TODAY, 75, 120, LIMIT),
                            teamCrossed(usage, NOW, DAILY, TODAY, 90, 120, LIMIT),
                            teamCrossed(usage, NOW, DAILY, TODAY, 100, 120, LIMIT),
                            new BudgetExhaustedEvent(LEDGER, usage.commandId(), NOW, TEAM_BUDGET, TEAM_SCOPE, DAILY,
                                    TODAY, 120, LIMIT, true));
        }

        @Test
        void a_budget_overdrawn_by_a_bill_refuses_the_next_reservation() {
            ReserveCreditCommand next = reserve("res-2", 1);

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), purchased(ORG, 1_000), teamBudget(false),
                            reservedOnTeamBudget("res-1", 40, NOW, TODAY))
                    .andGivenCommands(usage("res-1", 120))
                    .when(next)
                    .expectResultMessagePayloadMatching(rejectedFor(next, BUDGET_EXCEEDED, TEAM_BUDGET));
        }

        @Test
        void a_budget_alerts_only_at_its_own_thresholds() {
            RecordUsageCommand usage = usage("res-1", 85);

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), purchased(ORG, 1_000),
                            budgetDefined(TEAM_BUDGET, TEAM_SCOPE, DAILY, LIMIT, List.of(80), false),
                            reservedOnTeamBudget("res-1", 90, NOW, TODAY))
                    .when(usage)
                    .expectEvents(usageRecorded(usage, NOW, 90, 85, leg(ORG, 85)),
                            teamCrossed(usage, NOW, DAILY, TODAY, 80, 85, LIMIT));
        }

        @Test
        void each_budget_on_the_chain_alerts_on_its_own_spend() {
            RecordUsageCommand usage = usage("res-1", 80);

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), purchased(ORG, 1_000),
                            budgetDefined("budget-org", ORG_SCOPE, MONTHLY, 1_000), teamBudget(false))
                    .andGivenCommands(reserve("res-1", 80))
                    .when(usage)
                    .expectEvents(usageRecorded(usage, NOW, 80, 80, leg(ORG, 80)),
                            teamCrossed(usage, NOW, DAILY, TODAY, 50, 80, LIMIT),
                            teamCrossed(usage, NOW, DAILY, TODAY, 75, 80, LIMIT));
        }

        @Test
        void thresholds_are_crossed_again_in_a_new_window() {
            RecordUsageCommand tomorrow = usage("res-2", 60);

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), purchased(ORG, 1_000), teamBudget(false))
                    .andGivenCommands(reserve("res-1", 80), usage("res-1", 80))
                    .andGivenCurrentTime(NEXT_DAY)
                    .andGivenCommands(reserve("res-2", 60))
                    .when(tomorrow)
                    .expectEvents(usageRecorded(tomorrow, NEXT_DAY, 60, 60, leg(ORG, 60)),
                            teamCrossed(tomorrow, NEXT_DAY, DAILY, TOMORROW, 50, 60, LIMIT));
        }

        @Test
        void usage_settled_after_its_window_ended_raises_no_alerts() {
            RecordUsageCommand late = usage("res-1", 100);

            fixture.givenCurrentTime(LAST_SECOND_OF_DAY)
                    .andGiven(ledgerOpened(), purchased(ORG, 1_000), teamBudget(false),
                            reservedOnTeamBudget("res-1", 100, LAST_SECOND_OF_DAY, TODAY))
                    .andGivenCurrentTime(NEXT_DAY)
                    .when(late)
                    .expectEvents(usageRecorded(late, NEXT_DAY, 100, 100, leg(ORG, 100)));
        }

        @Test
        void usage_against_a_removed_budget_raises_no_alerts() {
            RecordUsageCommand usage = usage("res-1", 100);

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), purchased(ORG, 1_000), teamBudget(true),
                            reservedOnTeamBudget("res-1", 100, NOW, TODAY))
                    .andGivenCommands(removeBudget(TEAM_BUDGET))
                    .when(usage)
                    .expectEventsMatching(eventPayloads(payload(UsageRecordedEvent.class, "100 charged",
                            e -> e.chargedCredits() == 100)));
        }
    }
}
