package dev.tally.ledger.domain;

import dev.tally.events.ledger.BudgetDefinedEvent;
import dev.tally.events.ledger.BudgetExhaustedEvent;
import dev.tally.events.ledger.BudgetHold;
import dev.tally.events.ledger.BudgetPeriod;
import dev.tally.events.ledger.BudgetRemovedEvent;
import dev.tally.events.ledger.CreditReservationRejectedEvent;
import dev.tally.events.ledger.CreditReservedEvent;
import dev.tally.events.ledger.DefineBudgetCommand;
import dev.tally.events.ledger.Priority;
import dev.tally.events.ledger.RemoveBudgetCommand;
import dev.tally.events.ledger.ReserveCreditCommand;
import dev.tally.events.ledger.Scope;
import dev.tally.events.ledger.ScopeLevel;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;

import static dev.tally.events.ledger.BudgetPeriod.DAILY;
import static dev.tally.events.ledger.BudgetPeriod.MONTHLY;
import static dev.tally.events.ledger.BudgetPeriod.TOTAL;
import static dev.tally.events.ledger.RejectionReason.BUDGET_EXCEEDED;
import static dev.tally.events.ledger.RejectionReason.INSUFFICIENT_CREDITS;
import static dev.tally.events.ledger.RejectionReason.INVALID_AMOUNT;
import static dev.tally.events.ledger.RejectionReason.INVALID_COMMAND;
import static dev.tally.events.ledger.RejectionReason.BUDGET_REMOVED;
import static dev.tally.events.ledger.RejectionReason.UNKNOWN_BUDGET;
import static dev.tally.ledger.domain.LedgerTestKit.ACTOR;
import static dev.tally.ledger.domain.LedgerTestKit.ALICE_SCOPE;
import static dev.tally.ledger.domain.LedgerTestKit.CHAIN;
import static dev.tally.ledger.domain.LedgerTestKit.FIRST_OF_NEXT_MONTH;
import static dev.tally.ledger.domain.LedgerTestKit.LAST_DAY_OF_MONTH;
import static dev.tally.ledger.domain.LedgerTestKit.LAST_SECOND_OF_DAY;
import static dev.tally.ledger.domain.LedgerTestKit.LATER_TODAY;
import static dev.tally.ledger.domain.LedgerTestKit.LEDGER;
import static dev.tally.ledger.domain.LedgerTestKit.NEXT_DAY;
import static dev.tally.ledger.domain.LedgerTestKit.NEXT_MONTH;
import static dev.tally.ledger.domain.LedgerTestKit.NEXT_YEAR;
import static dev.tally.ledger.domain.LedgerTestKit.NOW;
import static dev.tally.ledger.domain.LedgerTestKit.ORG;
import static dev.tally.ledger.domain.LedgerTestKit.ORG_SCOPE;
import static dev.tally.ledger.domain.LedgerTestKit.OTHER_TEAM_SCOPE;
import static dev.tally.ledger.domain.LedgerTestKit.TEAM_SCOPE;
import static dev.tally.ledger.domain.LedgerTestKit.THIS_MONTH;
import static dev.tally.ledger.domain.LedgerTestKit.TODAY;
import static dev.tally.ledger.domain.LedgerTestKit.TOMORROW;
import static dev.tally.ledger.domain.LedgerTestKit.TTL_SECONDS;
import static dev.tally.ledger.domain.LedgerTestKit.accepted;
import static dev.tally.ledger.domain.LedgerTestKit.budgetDefined;
import static dev.tally.ledger.domain.LedgerTestKit.defineBudget;
import static dev.tally.ledger.domain.LedgerTestKit.eventPayloads;
import static dev.tally.ledger.domain.LedgerTestKit.hold;
import static dev.tally.ledger.domain.LedgerTestKit.leg;
import static dev.tally.ledger.domain.LedgerTestKit.ledgerOpened;
import static dev.tally.ledger.domain.LedgerTestKit.newFixture;
import static dev.tally.ledger.domain.LedgerTestKit.payload;
import static dev.tally.ledger.domain.LedgerTestKit.purchased;
import static dev.tally.ledger.domain.LedgerTestKit.rejected;
import static dev.tally.ledger.domain.LedgerTestKit.rejectedFor;
import static dev.tally.ledger.domain.LedgerTestKit.release;
import static dev.tally.ledger.domain.LedgerTestKit.removeBudget;
import static dev.tally.ledger.domain.LedgerTestKit.reserve;
import static dev.tally.ledger.domain.LedgerTestKit.usage;

/** Defining and removing budgets, and how budgets cap reservations in their UTC windows. */
class BudgetTest {

    private static final String TEAM_BUDGET = "budget-team";
    private static final List<Integer> DEFAULT_THRESHOLDS = List.of(50, 75, 90, 100);

    private AggregateTestFixture<CreditLedger> fixture;

    @BeforeEach
    void setUp() {
        fixture = newFixture();
    }

    private static CreditReservedEvent reservedEvent(ReserveCreditCommand c, Instant at, BudgetHold... holds) {
        return new CreditReservedEvent(LEDGER, c.commandId(), at, c.reservationId(), c.credits(),
                List.of(leg(ORG, c.credits())), List.of(holds), CHAIN, Priority.NORMAL, at.plusSeconds(TTL_SECONDS));
    }

    private static String teamBudgetDetail(BudgetPeriod period, long left, long limit, long requested) {
        return "budget " + TEAM_BUDGET + " (" + period + " on GROUP support) has " + left + " of " + limit
                + " credits left, " + requested + " requested";
    }

    private static CreditReservationRejectedEvent budgetRejection(ReserveCreditCommand c, Instant at, String budgetId,
            String detail) {
        return new CreditReservationRejectedEvent(LEDGER, c.commandId(), at, c.reservationId(), c.credits(), CHAIN,
                BUDGET_EXCEEDED, budgetId, detail);
    }

    private static BudgetExhaustedEvent teamExhausted(ReserveCreditCommand c, Instant at, BudgetPeriod period,
            LocalDate window, long spent, long limit, boolean autoDisable) {
        return new BudgetExhaustedEvent(LEDGER, c.commandId(), at, TEAM_BUDGET, TEAM_SCOPE, period, window, spent,
                limit, autoDisable);
    }

    @Nested
    class DefineBudget {

        @Test
        void a_budget_without_thresholds_alerts_at_the_default_thresholds() {
            DefineBudgetCommand define = defineBudget(TEAM_BUDGET, TEAM_SCOPE, MONTHLY, 1_000);

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened())
                    .when(define)
                    .expectEvents(new BudgetDefinedEvent(LEDGER, define.commandId(), NOW, TEAM_BUDGET, TEAM_SCOPE,
                            MONTHLY, 1_000, DEFAULT_THRESHOLDS, false, ACTOR))
                    .expectResultMessagePayload(accepted(define, "BudgetDefined", 1_000));
        }

        @Test
        void a_budget_with_null_thresholds_alerts_at_the_default_thresholds() {
            DefineBudgetCommand define = defineBudget(TEAM_BUDGET, TEAM_SCOPE, MONTHLY, 1_000, null, false);

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened())
                    .when(define)
                    .expectEventsMatching(eventPayloads(payload(BudgetDefinedEvent.class, "default thresholds",
                            e -> e.thresholdsPercent().equals(DEFAULT_THRESHOLDS))));
        }

        @Test
        void custom_thresholds_are_sorted_and_deduplicated() {
            DefineBudgetCommand define = defineBudget(TEAM_BUDGET, TEAM_SCOPE, DAILY, 200, List.of(90, 50, 90, 75),
                    false);

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened())
                    .when(define)
                    .expectEvents(new BudgetDefinedEvent(LEDGER, define.commandId(), NOW, TEAM_BUDGET, TEAM_SCOPE,
                            DAILY, 200, List.of(50, 75, 90), false, ACTOR))
                    .expectResultMessagePayload(accepted(define, "BudgetDefined", 200));
        }

        @Test
        void thresholds_of_one_and_one_hundred_percent_are_allowed() {
            DefineBudgetCommand define = defineBudget(TEAM_BUDGET, TEAM_SCOPE, DAILY, 200, List.of(100, 1), false);

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened())
                    .when(define)
                    .expectEventsMatching(eventPayloads(payload(BudgetDefinedEvent.class, "thresholds [1, 100]",
                            e -> e.thresholdsPercent().equals(List.of(1, 100)))));
        }

        @Test
        void a_budget_records_that_its_exhaustion_disables_the_target() {
            DefineBudgetCommand define = defineBudget(TEAM_BUDGET, TEAM_SCOPE, TOTAL, 5_000, List.of(), true);

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened())
                    .when(define)
                    .expectEvents(new BudgetDefinedEvent(LEDGER, define.commandId(), NOW, TEAM_BUDGET, TEAM_SCOPE,
                            TOTAL, 5_000, DEFAULT_THRESHOLDS, true, ACTOR));
        }

        @Test
        void a_budget_with_a_zero_limit_is_rejected_as_an_invalid_amount() {
            DefineBudgetCommand define = defineBudget(TEAM_BUDGET, TEAM_SCOPE, DAILY, 0);

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened())
                    .when(define)
                    .expectNoEvents()
                    .expectResultMessagePayload(rejected(define, INVALID_AMOUNT,
                            "limit_credits must be positive, was 0"));
        }

        @Test
        void a_budget_with_a_negative_limit_is_rejected_as_an_invalid_amount() {
            DefineBudgetCommand define = defineBudget(TEAM_BUDGET, TEAM_SCOPE, DAILY, -100);

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened())
                    .when(define)
                    .expectNoEvents()
                    .expectResultMessagePayloadMatching(rejectedFor(define, INVALID_AMOUNT));
        }

        @Test
        void a_threshold_of_zero_percent_is_rejected_as_invalid() {
            DefineBudgetCommand define = defineBudget(TEAM_BUDGET, TEAM_SCOPE, DAILY, 100, List.of(0, 50), false);

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened())
                    .when(define)
                    .expectNoEvents()
                    .expectResultMessagePayload(rejected(define, INVALID_COMMAND,
                            "thresholds_percent must lie between 1 and 100"));
        }

        @Test
        void a_threshold_above_one_hundred_percent_is_rejected_as_invalid() {
            DefineBudgetCommand define = defineBudget(TEAM_BUDGET, TEAM_SCOPE, DAILY, 100, List.of(50, 101), false);

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened())
                    .when(define)
                    .expectNoEvents()
                    .expectResultMessagePayload(rejected(define, INVALID_COMMAND,
                            "thresholds_percent must lie between 1 and 100"));
        }

        /** A JSON {@code "thresholds_percent": [50, null]} gets a reply, not a NullPointerException from sorting. */
        @Test
        void a_missing_threshold_value_is_rejected_as_invalid() {
            DefineBudgetCommand define = defineBudget(TEAM_BUDGET, TEAM_SCOPE, DAILY, 100, Arrays.asList(50, null),
                    false);

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened())
                    .when(define)
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents()
                    .expectResultMessagePayloadMatching(rejectedFor(define, INVALID_COMMAND));
        }

        @Test
        void a_budget_without_a_scope_is_rejected_as_invalid() {
            DefineBudgetCommand define = defineBudget(TEAM_BUDGET, null, DAILY, 100);

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened())
                    .when(define)
                    .expectNoEvents()
                    .expectResultMessagePayload(rejected(define, INVALID_COMMAND,
                            "budget_id, scope (level and id) and period are required"));
        }

        @Test
        void a_budget_on_a_scope_without_a_level_is_rejected_as_invalid() {
            DefineBudgetCommand define = defineBudget(TEAM_BUDGET, new Scope(null, "support"), DAILY, 100);

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened())
                    .when(define)
                    .expectNoEvents()
                    .expectResultMessagePayloadMatching(rejectedFor(define, INVALID_COMMAND));
        }

        @Test
        void a_budget_on_a_scope_without_an_id_is_rejected_as_invalid() {
            DefineBudgetCommand define = defineBudget(TEAM_BUDGET, new Scope(ScopeLevel.GROUP, " "), DAILY, 100);

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened())
                    .when(define)
                    .expectNoEvents()
                    .expectResultMessagePayloadMatching(rejectedFor(define, INVALID_COMMAND));
        }

        @Test
        void a_budget_without_a_period_is_rejected_as_invalid() {
            DefineBudgetCommand define = defineBudget(TEAM_BUDGET, TEAM_SCOPE, null, 100);

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened())
                    .when(define)
                    .expectNoEvents()
                    .expectResultMessagePayloadMatching(rejectedFor(define, INVALID_COMMAND));
        }

        @Test
        void a_budget_without_an_id_is_rejected_as_invalid() {
            DefineBudgetCommand define = defineBudget("", TEAM_SCOPE, DAILY, 100);

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened())
                    .when(define)
                    .expectNoEvents()
                    .expectResultMessagePayloadMatching(rejectedFor(define, INVALID_COMMAND));
        }

        @Test
        void redefining_a_budget_keeps_the_spend_of_the_current_window() {
            ReserveCreditCommand reserve = reserve("res-2", 21);

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), purchased(ORG, 1_000), budgetDefined(TEAM_BUDGET, TEAM_SCOPE, DAILY, 100))
                    .andGivenCommands(reserve("res-1", 60), defineBudget(TEAM_BUDGET, TEAM_SCOPE, DAILY, 80))
                    .when(reserve)
                    .expectResultMessagePayload(
                            rejected(reserve, BUDGET_EXCEEDED, teamBudgetDetail(DAILY, 20, 80, 21), TEAM_BUDGET,
                                    60));
        }

        @Test
        void raising_a_budgets_limit_makes_room_for_more_spend_in_the_window() {
            ReserveCreditCommand reserve = reserve("res-2", 140);

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), purchased(ORG, 1_000), budgetDefined(TEAM_BUDGET, TEAM_SCOPE, DAILY, 100))
                    .andGivenCommands(reserve("res-1", 60), defineBudget(TEAM_BUDGET, TEAM_SCOPE, DAILY, 200))
                    .when(reserve)
                    .expectResultMessagePayload(accepted(reserve, "CreditReserved", 140));
        }

        /**
         * Regression: a redefinition that changes the period moves the window start but keeps the spend; a hold made
         * under the old period must still give its share back when released.
         */
        @Test
        void releasing_a_reservation_after_the_budget_period_changed_frees_its_share_of_the_budget() {
            ReserveCreditCommand reserve = reserve("res-2", 50);

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), purchased(ORG, 1_000), budgetDefined(TEAM_BUDGET, TEAM_SCOPE, DAILY, 100))
                    .andGivenCommands(reserve("res-1", 60), defineBudget(TEAM_BUDGET, TEAM_SCOPE, MONTHLY, 100),
                            release("res-1"))
                    .when(reserve)
                    .expectResultMessagePayload(accepted(reserve, "CreditReserved", 50));
        }
    }

    @Nested
    class RemoveBudget {

        @Test
        void removing_a_budget_records_its_removal() {
            RemoveBudgetCommand remove = removeBudget(TEAM_BUDGET);

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), budgetDefined(TEAM_BUDGET, TEAM_SCOPE, DAILY, 100))
                    .when(remove)
                    .expectEvents(new BudgetRemovedEvent(LEDGER, remove.commandId(), NOW, TEAM_BUDGET, ACTOR))
                    .expectResultMessagePayload(accepted(remove, "BudgetRemoved", 0));
        }

        /** Its definition may still be on the way (resent after the removal): the removal is kept as a tombstone. */
        @Test
        void removing_a_budget_not_defined_yet_records_its_removal() {
            RemoveBudgetCommand remove = removeBudget("budget-404");

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), budgetDefined(TEAM_BUDGET, TEAM_SCOPE, DAILY, 100))
                    .when(remove)
                    .expectEvents(new BudgetRemovedEvent(LEDGER, remove.commandId(), NOW, "budget-404", ACTOR))
                    .expectResultMessagePayload(accepted(remove, "BudgetRemoved", 0));
        }

        @Test
        void a_definition_arriving_after_its_removal_is_refused_and_caps_nothing() {
            DefineBudgetCommand define = defineBudget(TEAM_BUDGET, TEAM_SCOPE, DAILY, 100);

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), purchased(ORG, 1_000))
                    .andGivenCommands(removeBudget(TEAM_BUDGET))
                    .when(define)
                    .expectNoEvents()
                    .expectResultMessagePayload(rejected(define, BUDGET_REMOVED, "budget " + TEAM_BUDGET
                            + " was removed from ledger " + LEDGER + "; a removed budget's id cannot be defined again"));
        }

        @Test
        void a_budget_whose_removal_overtook_its_definition_does_not_cap_reservations() {
            ReserveCreditCommand reserve = reserve("res-1", 500);

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), purchased(ORG, 1_000))
                    .andGivenCommands(removeBudget(TEAM_BUDGET), defineBudget(TEAM_BUDGET, TEAM_SCOPE, DAILY, 100))
                    .when(reserve)
                    .expectEvents(reservedEvent(reserve, NOW))
                    .expectResultMessagePayload(accepted(reserve, "CreditReserved", 500));
        }

        @Test
        void removing_a_budget_twice_is_rejected_the_second_time() {
            RemoveBudgetCommand remove = new RemoveBudgetCommand("cmd-remove-again", LEDGER, TEAM_BUDGET, ACTOR);

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), budgetDefined(TEAM_BUDGET, TEAM_SCOPE, DAILY, 100))
                    .andGivenCommands(removeBudget(TEAM_BUDGET))
                    .when(remove)
                    .expectNoEvents()
                    .expectResultMessagePayloadMatching(rejectedFor(remove, UNKNOWN_BUDGET));
        }

        @Test
        void a_removed_budget_no_longer_caps_reservations() {
            ReserveCreditCommand reserve = reserve("res-1", 500);

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), purchased(ORG, 1_000), budgetDefined(TEAM_BUDGET, TEAM_SCOPE, DAILY, 100))
                    .andGivenCommands(removeBudget(TEAM_BUDGET))
                    .when(reserve)
                    .expectEvents(reservedEvent(reserve, NOW))
                    .expectResultMessagePayload(accepted(reserve, "CreditReserved", 500));
        }

        /**
         * A definition resent after the removal of a budget the ledger did know (its first definition arrived, a
         * redefinition was delayed) is refused as well: governance never reuses a removed budget's id.
         */
        @Test
        void a_budget_removed_after_its_definition_cannot_be_defined_again() {
            DefineBudgetCommand define = defineBudget(TEAM_BUDGET, TEAM_SCOPE, DAILY, 200);

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), purchased(ORG, 1_000), budgetDefined(TEAM_BUDGET, TEAM_SCOPE, DAILY, 100))
                    .andGivenCommands(reserve("res-1", 80), removeBudget(TEAM_BUDGET))
                    .when(define)
                    .expectNoEvents()
                    .expectResultMessagePayloadMatching(rejectedFor(define, BUDGET_REMOVED));
        }
    }

    @Nested
    class BudgetChecks {

        @Test
        void a_reservation_within_a_budget_holds_against_the_budgets_current_window() {
            ReserveCreditCommand reserve = reserve("res-1", 60);

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), purchased(ORG, 1_000), budgetDefined(TEAM_BUDGET, TEAM_SCOPE, DAILY, 100))
                    .when(reserve)
                    .expectEvents(reservedEvent(reserve, NOW, hold(TEAM_BUDGET, TODAY)))
                    .expectResultMessagePayload(accepted(reserve, "CreditReserved", 60));
        }

        @Test
        void a_reservation_may_use_a_budget_up_to_its_limit() {
            ReserveCreditCommand reserve = reserve("res-1", 100);

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), purchased(ORG, 1_000), budgetDefined(TEAM_BUDGET, TEAM_SCOPE, DAILY, 100))
                    .when(reserve)
                    .expectResultMessagePayload(accepted(reserve, "CreditReserved", 100));
        }

        @Test
        void reservation_beyond_budget_is_rejected_with_the_budget_id() {
            ReserveCreditCommand reserve = reserve("res-1", 101);
            String detail = teamBudgetDetail(DAILY, 100, 100, 101);

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), purchased(ORG, 1_000), budgetDefined(TEAM_BUDGET, TEAM_SCOPE, DAILY, 100))
                    .when(reserve)
                    .expectEvents(budgetRejection(reserve, NOW, TEAM_BUDGET, detail),
                            teamExhausted(reserve, NOW, DAILY, TODAY, 0, 100, false))
                    .expectResultMessagePayload(rejected(reserve, BUDGET_EXCEEDED, detail, TEAM_BUDGET));
        }

        @Test
        void the_budget_exhaustion_of_a_refusal_carries_auto_disable() {
            ReserveCreditCommand reserve = reserve("res-1", 101);

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), purchased(ORG, 1_000),
                            budgetDefined(TEAM_BUDGET, TEAM_SCOPE, DAILY, 100, DEFAULT_THRESHOLDS, true))
                    .when(reserve)
                    .expectEvents(budgetRejection(reserve, NOW, TEAM_BUDGET, teamBudgetDetail(DAILY, 100, 100, 101)),
                            teamExhausted(reserve, NOW, DAILY, TODAY, 0, 100, true));
        }

        @Test
        void a_budget_counts_open_reservations_in_its_window() {
            ReserveCreditCommand reserve = reserve("res-2", 41);
            String detail = teamBudgetDetail(DAILY, 40, 100, 41);

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), purchased(ORG, 1_000), budgetDefined(TEAM_BUDGET, TEAM_SCOPE, DAILY, 100))
                    .andGivenCommands(reserve("res-1", 60))
                    .when(reserve)
                    .expectEvents(budgetRejection(reserve, NOW, TEAM_BUDGET, detail),
                            teamExhausted(reserve, NOW, DAILY, TODAY, 60, 100, false));
        }

        @Test
        void a_budget_counts_charged_usage_in_its_window() {
            ReserveCreditCommand reserve = reserve("res-2", 41);

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), purchased(ORG, 1_000), budgetDefined(TEAM_BUDGET, TEAM_SCOPE, DAILY, 100))
                    .andGivenCommands(reserve("res-1", 70), usage("res-1", 60))
                    .when(reserve)
                    .expectEventsMatching(eventPayloads(
                            payload(CreditReservationRejectedEvent.class, "the team budget refused with 40 left",
                                    e -> e.detail().equals(teamBudgetDetail(DAILY, 40, 100, 41))),
                            payload(BudgetExhaustedEvent.class, "60 spent", e -> e.spentCredits() == 60)))
                    .expectResultMessagePayloadMatching(rejectedFor(reserve, BUDGET_EXCEEDED, TEAM_BUDGET));
        }

        @Test
        void a_budget_counts_charged_and_reserved_spend_together() {
            ReserveCreditCommand reserve = reserve("res-3", 31);

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), purchased(ORG, 1_000), budgetDefined(TEAM_BUDGET, TEAM_SCOPE, DAILY, 100))
                    .andGivenCommands(reserve("res-1", 40), usage("res-1", 40), reserve("res-2", 30))
                    .when(reserve)
                    .expectResultMessagePayload(
                            rejected(reserve, BUDGET_EXCEEDED, teamBudgetDetail(DAILY, 30, 100, 31), TEAM_BUDGET,
                                    30));
        }

        @Test
        void a_budget_no_longer_counts_a_released_reservation() {
            ReserveCreditCommand reserve = reserve("res-2", 100);

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), purchased(ORG, 1_000), budgetDefined(TEAM_BUDGET, TEAM_SCOPE, DAILY, 100))
                    .andGivenCommands(reserve("res-1", 60), release("res-1"))
                    .when(reserve)
                    .expectResultMessagePayload(accepted(reserve, "CreditReserved", 100));
        }

        @Test
        void a_budget_no_longer_counts_the_unused_rest_of_a_settled_reservation() {
            ReserveCreditCommand reserve = reserve("res-2", 80);

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), purchased(ORG, 1_000), budgetDefined(TEAM_BUDGET, TEAM_SCOPE, DAILY, 100))
                    .andGivenCommands(reserve("res-1", 60), usage("res-1", 20))
                    .when(reserve)
                    .expectResultMessagePayload(accepted(reserve, "CreditReserved", 80));
        }

        @Test
        void a_second_refusal_in_the_same_window_does_not_repeat_the_exhaustion() {
            ReserveCreditCommand again = reserve("res-2", 101);

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), purchased(ORG, 1_000), budgetDefined(TEAM_BUDGET, TEAM_SCOPE, DAILY, 100))
                    .andGivenCommands(reserve("res-1", 101))
                    .andGivenCurrentTime(LATER_TODAY)
                    .when(again)
                    .expectEvents(budgetRejection(again, LATER_TODAY, TEAM_BUDGET,
                            teamBudgetDetail(DAILY, 100, 100, 101)))
                    .expectResultMessagePayloadMatching(rejectedFor(again, BUDGET_EXCEEDED, TEAM_BUDGET));
        }

        @Test
        void a_refusal_after_usage_exhausted_the_budget_does_not_repeat_the_exhaustion() {
            ReserveCreditCommand reserve = reserve("res-2", 1);

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), purchased(ORG, 1_000), budgetDefined(TEAM_BUDGET, TEAM_SCOPE, DAILY, 100))
                    .andGivenCommands(reserve("res-1", 100), usage("res-1", 100))
                    .when(reserve)
                    .expectEvents(budgetRejection(reserve, NOW, TEAM_BUDGET, teamBudgetDetail(DAILY, 0, 100, 1)));
        }

        @Test
        void budgets_on_scopes_outside_the_chain_are_ignored() {
            ReserveCreditCommand reserve = reserve("res-1", 50);

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), purchased(ORG, 1_000),
                            budgetDefined("budget-marketing", OTHER_TEAM_SCOPE, DAILY, 10))
                    .when(reserve)
                    .expectEvents(reservedEvent(reserve, NOW));
        }

        @Test
        void a_reservation_holds_against_every_budget_on_its_chain() {
            ReserveCreditCommand reserve = reserve("res-1", 40);

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), purchased(ORG, 1_000),
                            budgetDefined("budget-org", ORG_SCOPE, MONTHLY, 1_000),
                            budgetDefined(TEAM_BUDGET, TEAM_SCOPE, DAILY, 100),
                            budgetDefined("budget-alice", ALICE_SCOPE, TOTAL, 50))
                    .when(reserve)
                    .expectEvents(reservedEvent(reserve, NOW, hold("budget-org", THIS_MONTH),
                            hold(TEAM_BUDGET, TODAY), hold("budget-alice", BudgetPeriod.ALL_TIME)));
        }

        @Test
        void every_budget_on_the_chain_must_fit_the_reservation() {
            ReserveCreditCommand reserve = reserve("res-1", 60);

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), purchased(ORG, 1_000),
                            budgetDefined("budget-org", ORG_SCOPE, MONTHLY, 1_000),
                            budgetDefined(TEAM_BUDGET, TEAM_SCOPE, DAILY, 100),
                            budgetDefined("budget-alice", ALICE_SCOPE, TOTAL, 50))
                    .when(reserve)
                    .expectEventsMatching(eventPayloads(
                            payload(CreditReservationRejectedEvent.class, "refused by budget-alice",
                                    e -> e.reason() == BUDGET_EXCEEDED && e.budgetId().equals("budget-alice")),
                            payload(BudgetExhaustedEvent.class, "budget-alice exhausted",
                                    e -> e.budgetId().equals("budget-alice") && e.scope().equals(ALICE_SCOPE)
                                            && e.windowStart().equals(BudgetPeriod.ALL_TIME))))
                    .expectResultMessagePayloadMatching(rejectedFor(reserve, BUDGET_EXCEEDED, "budget-alice"));
        }

        @Test
        void a_budget_refusal_takes_precedence_over_missing_credits() {
            ReserveCreditCommand reserve = reserve("res-1", 101);

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), purchased(ORG, 10), budgetDefined(TEAM_BUDGET, TEAM_SCOPE, DAILY, 100))
                    .when(reserve)
                    .expectResultMessagePayloadMatching(rejectedFor(reserve, BUDGET_EXCEEDED, TEAM_BUDGET));
        }

        @Test
        void a_reservation_within_budget_but_beyond_the_accounts_is_refused_for_credits_without_exhausting() {
            ReserveCreditCommand reserve = reserve("res-1", 50);
            String detail = "accounts [" + ORG + "] cannot cover 50 credits";

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), purchased(ORG, 10), budgetDefined(TEAM_BUDGET, TEAM_SCOPE, DAILY, 100))
                    .when(reserve)
                    .expectEvents(new CreditReservationRejectedEvent(LEDGER, reserve.commandId(), NOW, "res-1", 50,
                            CHAIN, INSUFFICIENT_CREDITS, null, detail))
                    .expectResultMessagePayload(rejected(reserve, INSUFFICIENT_CREDITS, detail));
        }
    }

    @Nested
    class BudgetWindowsInUtc {

        @Test
        void a_daily_budgets_spend_resets_the_next_utc_day() {
            ReserveCreditCommand tomorrow = reserve("res-2", 100);

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), purchased(ORG, 1_000), budgetDefined(TEAM_BUDGET, TEAM_SCOPE, DAILY, 100))
                    .andGivenCommands(reserve("res-1", 100), usage("res-1", 100))
                    .andGivenCurrentTime(NEXT_DAY)
                    .when(tomorrow)
                    .expectEvents(reservedEvent(tomorrow, NEXT_DAY, hold(TEAM_BUDGET, TOMORROW)))
                    .expectResultMessagePayload(accepted(tomorrow, "CreditReserved", 100));
        }

        @Test
        void a_daily_budgets_spend_lasts_until_utc_midnight() {
            ReserveCreditCommand lastSecond = reserve("res-2", 1);

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), purchased(ORG, 1_000), budgetDefined(TEAM_BUDGET, TEAM_SCOPE, DAILY, 100))
                    .andGivenCommands(reserve("res-1", 100), usage("res-1", 100))
                    .andGivenCurrentTime(LAST_SECOND_OF_DAY)
                    .when(lastSecond)
                    .expectResultMessagePayloadMatching(rejectedFor(lastSecond, BUDGET_EXCEEDED, TEAM_BUDGET));
        }

        @Test
        void a_daily_budgets_window_starts_exactly_at_utc_midnight() {
            ReserveCreditCommand atMidnight = reserve("res-2", 100);
            Instant midnight = Instant.parse("2025-03-15T00:00:00Z");

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), purchased(ORG, 1_000), budgetDefined(TEAM_BUDGET, TEAM_SCOPE, DAILY, 100))
                    .andGivenCommands(reserve("res-1", 100), usage("res-1", 100))
                    .andGivenCurrentTime(midnight)
                    .when(atMidnight)
                    .expectEvents(reservedEvent(atMidnight, midnight, hold(TEAM_BUDGET, TOMORROW)));
        }

        @Test
        void an_exhausted_budget_announces_its_exhaustion_again_in_a_new_window() {
            ReserveCreditCommand tomorrow = reserve("res-2", 101);

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), purchased(ORG, 1_000), budgetDefined(TEAM_BUDGET, TEAM_SCOPE, DAILY, 100))
                    .andGivenCommands(reserve("res-1", 101))
                    .andGivenCurrentTime(NEXT_DAY)
                    .when(tomorrow)
                    .expectEvents(budgetRejection(tomorrow, NEXT_DAY, TEAM_BUDGET,
                                    teamBudgetDetail(DAILY, 100, 100, 101)),
                            teamExhausted(tomorrow, NEXT_DAY, DAILY, TOMORROW, 0, 100, false));
        }

        @Test
        void a_monthly_budgets_spend_lasts_until_the_end_of_the_month() {
            ReserveCreditCommand endOfMonth = reserve("res-2", 1);

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), purchased(ORG, 1_000),
                            budgetDefined(TEAM_BUDGET, TEAM_SCOPE, MONTHLY, 100))
                    .andGivenCommands(reserve("res-1", 100), usage("res-1", 100))
                    .andGivenCurrentTime(LAST_DAY_OF_MONTH)
                    .when(endOfMonth)
                    .expectResultMessagePayload(
                            rejected(endOfMonth, BUDGET_EXCEEDED, teamBudgetDetail(MONTHLY, 0, 100, 1), TEAM_BUDGET));
        }

        @Test
        void a_monthly_budgets_spend_resets_on_the_first_of_the_month() {
            ReserveCreditCommand nextMonth = reserve("res-2", 100);

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), purchased(ORG, 1_000),
                            budgetDefined(TEAM_BUDGET, TEAM_SCOPE, MONTHLY, 100))
                    .andGivenCommands(reserve("res-1", 100), usage("res-1", 100))
                    .andGivenCurrentTime(FIRST_OF_NEXT_MONTH)
                    .when(nextMonth)
                    .expectEvents(reservedEvent(nextMonth, FIRST_OF_NEXT_MONTH, hold(TEAM_BUDGET, NEXT_MONTH)));
        }

        @Test
        void a_total_budgets_spend_never_resets() {
            ReserveCreditCommand nextYear = reserve("res-2", 1);

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), purchased(ORG, 1_000), budgetDefined(TEAM_BUDGET, TEAM_SCOPE, TOTAL, 100))
                    .andGivenCommands(reserve("res-1", 100), usage("res-1", 100))
                    .andGivenCurrentTime(NEXT_YEAR)
                    .when(nextYear)
                    .expectEvents(budgetRejection(nextYear, NEXT_YEAR, TEAM_BUDGET,
                            teamBudgetDetail(TOTAL, 0, 100, 1)))
                    .expectResultMessagePayloadMatching(rejectedFor(nextYear, BUDGET_EXCEEDED, TEAM_BUDGET));
        }

        @Test
        void a_reservation_left_open_over_midnight_does_not_count_in_the_new_day() {
            ReserveCreditCommand tomorrow = reserve("res-2", 100);

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), purchased(ORG, 1_000), budgetDefined(TEAM_BUDGET, TEAM_SCOPE, DAILY, 100))
                    .andGivenCurrentTime(LAST_SECOND_OF_DAY)
                    .andGivenCommands(reserve("res-1", 100))
                    .andGivenCurrentTime(NEXT_DAY)
                    .when(tomorrow)
                    .expectResultMessagePayload(accepted(tomorrow, "CreditReserved", 100));
        }

        @Test
        void releasing_yesterdays_reservation_does_not_free_todays_budget() {
            ReserveCreditCommand more = reserve("res-3", 1);

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), purchased(ORG, 1_000), budgetDefined(TEAM_BUDGET, TEAM_SCOPE, DAILY, 100))
                    .andGivenCurrentTime(LAST_SECOND_OF_DAY)
                    .andGivenCommands(reserve("res-1", 100))
                    .andGivenCurrentTime(NEXT_DAY)
                    .andGivenCommands(reserve("res-2", 100), release("res-1"))
                    .when(more)
                    .expectResultMessagePayloadMatching(rejectedFor(more, BUDGET_EXCEEDED, TEAM_BUDGET));
        }

        @Test
        void settling_yesterdays_reservation_does_not_charge_todays_budget() {
            ReserveCreditCommand more = reserve("res-3", 50);

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), purchased(ORG, 1_000), budgetDefined(TEAM_BUDGET, TEAM_SCOPE, DAILY, 100))
                    .andGivenCurrentTime(LAST_SECOND_OF_DAY)
                    .andGivenCommands(reserve("res-1", 100))
                    .andGivenCurrentTime(NEXT_DAY)
                    .andGivenCommands(reserve("res-2", 50), usage("res-1", 100))
                    .when(more)
                    .expectResultMessagePayload(accepted(more, "CreditReserved", 50));
        }
    }
}
