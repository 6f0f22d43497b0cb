package dev.tally.ledger.domain;

import dev.tally.events.ledger.AccountKind;
import dev.tally.events.ledger.BudgetExhaustedEvent;
import dev.tally.events.ledger.BudgetThresholdCrossedEvent;
import dev.tally.events.ledger.ChargeLeaseCommand;
import dev.tally.events.ledger.CreditOverdrawnEvent;
import dev.tally.events.ledger.CommandAcceptedReply;
import dev.tally.events.ledger.LeaseCharge;
import dev.tally.events.ledger.LeaseChargedEvent;
import dev.tally.events.ledger.LedgerCommand;
import dev.tally.events.ledger.LedgerEvent;
import dev.tally.events.ledger.Leg;
import dev.tally.events.ledger.ReservationExpiredEvent;
import dev.tally.events.ledger.ReservationReleasedEvent;
import dev.tally.events.ledger.ReserveCreditCommand;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static dev.tally.events.ledger.BudgetPeriod.DAILY;
import static dev.tally.events.ledger.RejectionReason.BUDGET_EXCEEDED;
import static dev.tally.events.ledger.RejectionReason.INSUFFICIENT_CREDITS;
import static dev.tally.events.ledger.RejectionReason.INVALID_AMOUNT;
import static dev.tally.events.ledger.RejectionReason.INVALID_COMMAND;
import static dev.tally.events.ledger.RejectionReason.UNKNOWN_RESERVATION;
import static dev.tally.ledger.domain.LedgerTestKit.ALICE;
import static dev.tally.ledger.domain.LedgerTestKit.ALICE_SCOPE;
import static dev.tally.ledger.domain.LedgerTestKit.CHAIN;
import static dev.tally.ledger.domain.LedgerTestKit.LEDGER;
import static dev.tally.ledger.domain.LedgerTestKit.NOW;
import static dev.tally.ledger.domain.LedgerTestKit.ORG;
import static dev.tally.ledger.domain.LedgerTestKit.TEAM;
import static dev.tally.ledger.domain.LedgerTestKit.TEAM_SCOPE;
import static dev.tally.ledger.domain.LedgerTestKit.TODAY;
import static dev.tally.ledger.domain.LedgerTestKit.TTL_SECONDS;
import static dev.tally.ledger.domain.LedgerTestKit.accepted;
import static dev.tally.ledger.domain.LedgerTestKit.accountOpened;
import static dev.tally.ledger.domain.LedgerTestKit.budgetDefined;
import static dev.tally.ledger.domain.LedgerTestKit.charge;
import static dev.tally.ledger.domain.LedgerTestKit.chargeLease;
import static dev.tally.ledger.domain.LedgerTestKit.defineBudget;
import static dev.tally.ledger.domain.LedgerTestKit.expire;
import static dev.tally.ledger.domain.LedgerTestKit.hold;
import static dev.tally.ledger.domain.LedgerTestKit.leg;
import static dev.tally.ledger.domain.LedgerTestKit.ledgerOpened;
import static dev.tally.ledger.domain.LedgerTestKit.newFixture;
import static dev.tally.ledger.domain.LedgerTestKit.openAccount;
import static dev.tally.ledger.domain.LedgerTestKit.openLedger;
import static dev.tally.ledger.domain.LedgerTestKit.purchase;
import static dev.tally.ledger.domain.LedgerTestKit.purchased;
import static dev.tally.ledger.domain.LedgerTestKit.rejected;
import static dev.tally.ledger.domain.LedgerTestKit.rejectedFor;
import static dev.tally.ledger.domain.LedgerTestKit.release;
import static dev.tally.ledger.domain.LedgerTestKit.reserve;
import static dev.tally.ledger.domain.LedgerTestKit.reserved;
import static dev.tally.ledger.domain.LedgerTestKit.usage;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Leases: a reservation that a gateway charges request by request, which stays open with what is left until it is
 * released or expires. Accounts and budgets must see a lease exactly like a reservation of the same size.
 */
class LeaseChargeTest {

    private static final String LEASE = "lease-1";
    private static final String TEAM_BUDGET = "budget-team";

    private AggregateTestFixture<CreditLedger> fixture;

    @BeforeEach
    void setUp() {
        fixture = newFixture();
    }

    /** The event for the {@code index}th charge of {@code c}, charged {@code charged} and leaving {@code remaining}. */
    private static LeaseChargedEvent leaseCharged(ChargeLeaseCommand c, int index, long charged, long remaining,
            Leg... legs) {
        LeaseCharge charge = c.charges().get(index);
        return new LeaseChargedEvent(LEDGER, c.commandId(), NOW, c.reservationId(), charge.requestId(),
                charge.actualCredits(), charged, charge.actualCredits() - charged, remaining, List.of(legs), CHAIN,
                charge.tokensIn(), charge.tokensOut(), charge.model(), charge.provider());
    }

    /**
     * The events for the {@code index}th charge of {@code c} beyond its hold: {@code held} from the lease's
     * {@code legs}, the rest of its cost overdrawn on {@code account}, whose balance and availability end as given.
     */
    private static List<LedgerEvent> overdrawnCharge(ChargeLeaseCommand c, int index, long held, long remaining,
            String account, long balance, long available, Leg... legs) {
        LeaseCharge charge = c.charges().get(index);
        long overdraft = charge.actualCredits() - held;
        return List.of(new LeaseChargedEvent(LEDGER, c.commandId(), NOW, c.reservationId(), charge.requestId(),
                        charge.actualCredits(), charge.actualCredits(), 0, remaining, List.of(legs), CHAIN,
                        charge.tokensIn(), charge.tokensOut(), charge.model(), charge.provider(), overdraft, account),
                new CreditOverdrawnEvent(LEDGER, c.commandId(), NOW, c.reservationId(), charge.requestId(), account,
                        ALICE_SCOPE, overdraft, balance, available));
    }

    private static Object[] events(Object... eventsOrLists) {
        List<Object> flat = new ArrayList<>();
        for (Object e : eventsOrLists) {
            if (e instanceof List<?> list) {
                flat.addAll(list);
            } else {
                flat.add(e);
            }
        }
        return flat.toArray();
    }

    @Nested
    class Charging {

        @Test
        void a_charge_takes_the_actual_cost_from_the_lease_and_keeps_the_rest_open() {
            ChargeLeaseCommand c = chargeLease("cmd-charge-1", LEASE, charge("req-1", 30));

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), purchased(ORG, 1_000), reserved(LEASE, 100))
                    .when(c)
                    .expectEvents(new LeaseChargedEvent(LEDGER, "cmd-charge-1", NOW, LEASE, "req-1", 30, 30, 0, 70,
                            List.of(leg(ORG, 30)), CHAIN, 1200, 300, "gpt-4o-mini", "openai"))
                    .expectResultMessagePayload(accepted(c, "LeaseCharged", 30));
        }

        @Test
        void each_request_is_one_event_in_order_and_the_reply_carries_their_total() {
            ChargeLeaseCommand c = chargeLease("cmd-charge-1", LEASE, charge("req-1", 30), charge("req-2", 20));

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), purchased(ORG, 1_000), reserved(LEASE, 100))
                    .when(c)
                    .expectEvents(leaseCharged(c, 0, 30, 70, leg(ORG, 30)), leaseCharged(c, 1, 20, 50, leg(ORG, 20)))
                    .expectResultMessagePayload(accepted(c, "LeaseCharged", 50));
        }

        @Test
        void a_later_command_charges_what_the_earlier_ones_left() {
            ChargeLeaseCommand later = chargeLease("cmd-charge-2", LEASE, charge("req-2", 50));

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), purchased(ORG, 1_000), reserved(LEASE, 100))
                    .andGivenCommands(chargeLease("cmd-charge-1", LEASE, charge("req-1", 30)))
                    .when(later)
                    .expectEvents(leaseCharged(later, 0, 50, 20, leg(ORG, 50)));
        }

        @Test
        void charges_are_taken_from_the_lease_legs_in_order_across_commands() {
            ChargeLeaseCommand later = chargeLease("cmd-charge-2", LEASE, charge("req-2", 40));

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), accountOpened(TEAM, AccountKind.GROUP),
                            accountOpened(ALICE, AccountKind.MEMBER), purchased(ALICE, 30), purchased(TEAM, 50),
                            purchased(ORG, 1_000),
                            reserved(LEASE, 100, NOW, List.of(leg(ALICE, 30), leg(TEAM, 50), leg(ORG, 20)), List.of()))
                    .andGivenCommands(chargeLease("cmd-charge-1", LEASE, charge("req-1", 20)))
                    .when(later)
                    .expectEvents(leaseCharged(later, 0, 40, 40, leg(ALICE, 10), leg(TEAM, 30)));
        }

        @Test
        void a_charge_beyond_what_the_lease_still_holds_takes_the_rest_and_overdraws_the_excess() {
            ChargeLeaseCommand later = chargeLease("cmd-charge-2", LEASE, charge("req-2", 50));

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), purchased(ORG, 1_000), reserved(LEASE, 100))
                    .andGivenCommands(chargeLease("cmd-charge-1", LEASE, charge("req-1", 80)))
                    .when(later)
                    .expectEvents(new LeaseChargedEvent(LEDGER, "cmd-charge-2", NOW, LEASE, "req-2", 50, 50, 0, 0,
                                    List.of(leg(ORG, 20)), CHAIN, 1200, 300, "gpt-4o-mini", "openai", 30L, ORG),
                            new CreditOverdrawnEvent(LEDGER, "cmd-charge-2", NOW, LEASE, "req-2", ORG, ALICE_SCOPE,
                                    30, 870, 870))
                    .expectResultMessagePayload(accepted(later, "LeaseCharged", 50));
        }

        @Test
        void a_charge_beyond_what_the_gateway_held_for_it_overdraws_even_when_the_lease_holds_more() {
            ChargeLeaseCommand c = chargeLease("cmd-charge-1", LEASE,
                    new LeaseCharge("req-1", 30, 45, 1200, 300, "gpt-4o-mini", "openai"));

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), purchased(ORG, 1_000), reserved(LEASE, 100))
                    .when(c)
                    .expectEvents(events(overdrawnCharge(c, 0, 30, 70, ORG, 955, 885, leg(ORG, 30))))
                    .expectResultMessagePayload(accepted(c, "LeaseCharged", 45));
        }

        @Test
        void a_charge_within_what_the_gateway_held_overdraws_nothing() {
            ChargeLeaseCommand c = chargeLease("cmd-charge-1", LEASE,
                    new LeaseCharge("req-1", 30, 30, 1200, 300, "gpt-4o-mini", "openai"));

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), purchased(ORG, 1_000), reserved(LEASE, 100))
                    .when(c)
                    .expectEvents(new LeaseChargedEvent(LEDGER, "cmd-charge-1", NOW, LEASE, "req-1", 30, 30, 0, 70,
                            List.of(leg(ORG, 30)), CHAIN, 1200, 300, "gpt-4o-mini", "openai", 0L, null))
                    .expectResultMessagePayload(accepted(c, "LeaseCharged", 30));
        }

        @Test
        void the_overdraft_goes_to_the_account_the_lease_drew_from_first_even_once_its_leg_is_used_up() {
            ChargeLeaseCommand later = chargeLease("cmd-charge-2", LEASE, charge("req-2", 90));

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), accountOpened(TEAM, AccountKind.GROUP),
                            accountOpened(ALICE, AccountKind.MEMBER), purchased(ALICE, 30), purchased(TEAM, 50),
                            purchased(ORG, 1_000),
                            reserved(LEASE, 100, NOW, List.of(leg(ALICE, 30), leg(TEAM, 50), leg(ORG, 20)), List.of()))
                    .andGivenCommands(chargeLease("cmd-charge-1", LEASE, charge("req-1", 40)))
                    .when(later)
                    .expectEvents(events(overdrawnCharge(later, 0, 60, 0, ALICE, -30, -30, leg(TEAM, 40),
                            leg(ORG, 20))))
                    .expectResultMessagePayload(accepted(later, "LeaseCharged", 90));
        }

        @Test
        void each_charge_of_a_command_takes_what_the_charges_before_it_left_and_overdraws_the_rest() {
            ChargeLeaseCommand c = chargeLease("cmd-charge-1", LEASE, charge("req-1", 70), charge("req-2", 70));

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), purchased(ORG, 1_000), reserved(LEASE, 100))
                    .when(c)
                    .expectEvents(events(leaseCharged(c, 0, 70, 30, leg(ORG, 70)),
                            overdrawnCharge(c, 1, 30, 0, ORG, 860, 860, leg(ORG, 30))))
                    .expectResultMessagePayload(accepted(c, "LeaseCharged", 140));
        }

        @Test
        void a_lease_charged_down_to_zero_stays_open_and_overdraws_later_requests_in_full() {
            ChargeLeaseCommand later = chargeLease("cmd-charge-2", LEASE, charge("req-2", 10));

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), purchased(ORG, 1_000), reserved(LEASE, 100))
                    .andGivenCommands(chargeLease("cmd-charge-1", LEASE, charge("req-1", 100)))
                    .when(later)
                    .expectEvents(events(overdrawnCharge(later, 0, 0, 0, ORG, 890, 890)))
                    .expectResultMessagePayload(accepted(later, "LeaseCharged", 10));
        }

        @Test
        void a_lease_charge_recorded_before_overdrafts_replays_with_its_excess_forgiven() {
            ReserveCreditCommand rest = reserve("res-2", 900);
            LeaseChargedEvent forgiving = new LeaseChargedEvent(LEDGER, "cmd-charge-old", NOW, LEASE, "req-1", 130,
                    100, 30, 0, List.of(leg(ORG, 100)), CHAIN, 1200, 300, "gpt-4o-mini", "openai");

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), purchased(ORG, 1_000), reserved(LEASE, 100), forgiving)
                    .andGivenCommands(release(LEASE))
                    .when(rest)
                    .expectResultMessagePayload(accepted(rest, "CreditReserved", 900));
        }

        @Test
        void a_charge_of_zero_credits_is_still_recorded_for_its_tokens() {
            ChargeLeaseCommand c = chargeLease("cmd-charge-1", LEASE, charge("req-1", 0));

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), purchased(ORG, 1_000), reserved(LEASE, 100))
                    .when(c)
                    .expectEvents(leaseCharged(c, 0, 0, 100))
                    .expectResultMessagePayload(accepted(c, "LeaseCharged", 0));
        }
    }

    @Nested
    class Balances {

        @Test
        void while_the_lease_is_open_its_uncharged_rest_stays_held() {
            ReserveCreditCommand next = reserve("res-2", 1);

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), purchased(ORG, 100), reserved(LEASE, 100))
                    .andGivenCommands(chargeLease("cmd-charge-1", LEASE, charge("req-1", 60)))
                    .when(next)
                    .expectResultMessagePayloadMatching(rejectedFor(next, INSUFFICIENT_CREDITS));
        }

        @Test
        void releasing_a_charged_lease_gives_back_only_what_is_left() {
            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), purchased(ORG, 1_000), reserved(LEASE, 100))
                    .andGivenCommands(chargeLease("cmd-charge-1", LEASE, charge("req-1", 60)))
                    .when(release(LEASE))
                    .expectEvents(new ReservationReleasedEvent(LEDGER, "cmd-release-" + LEASE, NOW, LEASE, 40,
                            "request cancelled"))
                    .expectResultMessagePayload(accepted(release(LEASE), "ReservationReleased", 40));
        }

        @Test
        void an_expiring_lease_gives_back_only_what_is_left() {
            Instant due = NOW.plusSeconds(TTL_SECONDS);

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), purchased(ORG, 1_000), reserved(LEASE, 100))
                    .andGivenCommands(chargeLease("cmd-charge-1", LEASE, charge("req-1", 60)))
                    .andGivenCurrentTime(due)
                    .when(expire(LEASE))
                    .expectEvents(new ReservationExpiredEvent(LEDGER, "cmd-expire-" + LEASE, due, LEASE, 40, due));
        }

        @Test
        void the_charged_credits_leave_the_balance_once_the_lease_is_released() {
            ReserveCreditCommand next = reserve("res-2", 41);

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), purchased(ORG, 100), reserved(LEASE, 100))
                    .andGivenCommands(chargeLease("cmd-charge-1", LEASE, charge("req-1", 35)),
                            chargeLease("cmd-charge-2", LEASE, charge("req-2", 25)), release(LEASE))
                    .when(next)
                    .expectResultMessagePayloadMatching(rejectedFor(next, INSUFFICIENT_CREDITS));
        }

        @Test
        void the_uncharged_rest_is_available_again_once_the_lease_is_released() {
            ReserveCreditCommand next = reserve("res-2", 40);

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), purchased(ORG, 100), reserved(LEASE, 100))
                    .andGivenCommands(chargeLease("cmd-charge-1", LEASE, charge("req-1", 35)),
                            chargeLease("cmd-charge-2", LEASE, charge("req-2", 25)), release(LEASE))
                    .when(next)
                    .expectResultMessagePayload(accepted(next, "CreditReserved", 40));
        }
    }

    @Nested
    class Refusals {

        @Test
        void a_charge_against_an_unknown_lease_is_rejected() {
            ChargeLeaseCommand c = chargeLease("cmd-charge-1", "lease-404", charge("req-1", 10));

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), purchased(ORG, 1_000))
                    .when(c)
                    .expectNoEvents()
                    .expectResultMessagePayload(rejected(c, UNKNOWN_RESERVATION,
                            "lease lease-404 is not open: never made, already settled or released, or expired too long ago"));
        }

        @Test
        void a_charge_after_the_lease_was_released_is_rejected() {
            ChargeLeaseCommand c = chargeLease("cmd-charge-2", LEASE, charge("req-2", 10));

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), purchased(ORG, 1_000), reserved(LEASE, 100))
                    .andGivenCommands(chargeLease("cmd-charge-1", LEASE, charge("req-1", 10)), release(LEASE))
                    .when(c)
                    .expectNoEvents()
                    .expectResultMessagePayloadMatching(rejectedFor(c, UNKNOWN_RESERVATION));
        }

        @Test
        void a_charge_against_a_reservation_settled_by_usage_is_rejected() {
            ChargeLeaseCommand c = chargeLease("cmd-charge-1", LEASE, charge("req-1", 10));

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), purchased(ORG, 1_000), reserved(LEASE, 100))
                    .andGivenCommands(usage(LEASE, 10))
                    .when(c)
                    .expectNoEvents()
                    .expectResultMessagePayloadMatching(rejectedFor(c, UNKNOWN_RESERVATION));
        }

        @Test
        void a_command_without_charges_is_rejected_as_invalid() {
            ChargeLeaseCommand c = chargeLease("cmd-charge-1", LEASE);

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), purchased(ORG, 1_000), reserved(LEASE, 100))
                    .when(c)
                    .expectNoEvents()
                    .expectResultMessagePayload(rejected(c, INVALID_COMMAND,
                            "at least one charge, each with a request_id, is required"));
        }

        @Test
        void a_charge_without_a_request_id_is_rejected_as_invalid() {
            ChargeLeaseCommand c = chargeLease("cmd-charge-1", LEASE, charge("req-1", 10), charge(" ", 10));

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), purchased(ORG, 1_000), reserved(LEASE, 100))
                    .when(c)
                    .expectNoEvents()
                    .expectResultMessagePayloadMatching(rejectedFor(c, INVALID_COMMAND));
        }

        @Test
        void the_same_request_twice_in_one_command_is_rejected_as_invalid() {
            ChargeLeaseCommand c = chargeLease("cmd-charge-1", LEASE, charge("req-1", 10), charge("req-1", 10));

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), purchased(ORG, 1_000), reserved(LEASE, 100))
                    .when(c)
                    .expectNoEvents()
                    .expectResultMessagePayload(rejected(c, INVALID_COMMAND,
                            "each request_id may be charged once per command"));
        }

        @Test
        void a_negative_cost_is_rejected_as_an_invalid_amount() {
            ChargeLeaseCommand c = chargeLease("cmd-charge-1", LEASE, charge("req-1", 10), charge("req-2", -1));

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), purchased(ORG, 1_000), reserved(LEASE, 100))
                    .when(c)
                    .expectNoEvents()
                    .expectResultMessagePayload(rejected(c, INVALID_AMOUNT,
                            "held_credits, actual_credits and token counts must not be negative"));
        }

        @Test
        void a_negative_token_count_is_rejected_as_an_invalid_amount() {
            ChargeLeaseCommand c = chargeLease("cmd-charge-1", LEASE,
                    new LeaseCharge("req-1", 10, 10, 5, -1, "gpt-4o-mini", "openai"));

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), purchased(ORG, 1_000), reserved(LEASE, 100))
                    .when(c)
                    .expectNoEvents()
                    .expectResultMessagePayloadMatching(rejectedFor(c, INVALID_AMOUNT));
        }

        @Test
        void a_rejected_command_charges_none_of_its_requests() {
            ChargeLeaseCommand corrected = chargeLease("cmd-charge-2", LEASE, charge("req-1", 100));

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), purchased(ORG, 1_000), reserved(LEASE, 100))
                    .andGivenCommands(chargeLease("cmd-charge-1", LEASE, charge("req-1", 60), charge("req-2", -1)))
                    .when(corrected)
                    .expectEvents(leaseCharged(corrected, 0, 100, 0, leg(ORG, 100)));
        }
    }

    @Nested
    class Budgets {

        private static final long LIMIT = 100;

        private Object teamBudget(List<Integer> thresholds, boolean autoDisable) {
            return budgetDefined(TEAM_BUDGET, TEAM_SCOPE, DAILY, LIMIT, thresholds, autoDisable);
        }

        private Object leaseOnTeamBudget(long credits) {
            return reserved(LEASE, credits, NOW, List.of(leg(ORG, credits)), List.of(hold(TEAM_BUDGET, TODAY)));
        }

        private BudgetThresholdCrossedEvent teamCrossed(LedgerCommand c, int threshold, long spent) {
            return new BudgetThresholdCrossedEvent(LEDGER, c.commandId(), NOW, TEAM_BUDGET, TEAM_SCOPE, DAILY, TODAY,
                    threshold, spent, LIMIT);
        }

        @Test
        void while_the_lease_is_open_the_budget_counts_all_of_it() {
            ReserveCreditCommand next = reserve("res-2", 1);

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), purchased(ORG, 1_000),
                            teamBudget(LedgerRules.DEFAULT_THRESHOLDS, false), leaseOnTeamBudget(100))
                    .andGivenCommands(chargeLease("cmd-charge-1", LEASE, charge("req-1", 60)))
                    .when(next)
                    .expectResultMessagePayloadMatching(rejectedFor(next, BUDGET_EXCEEDED, TEAM_BUDGET));
        }

        @Test
        void once_the_lease_is_released_the_budget_counts_what_it_charged() {
            ReserveCreditCommand tooMuch = reserve("res-2", 41);

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), purchased(ORG, 1_000),
                            teamBudget(LedgerRules.DEFAULT_THRESHOLDS, false), leaseOnTeamBudget(100))
                    .andGivenCommands(chargeLease("cmd-charge-1", LEASE, charge("req-1", 35)),
                            chargeLease("cmd-charge-2", LEASE, charge("req-2", 25)), release(LEASE))
                    .when(tooMuch)
                    .expectResultMessagePayloadMatching(rejectedFor(tooMuch, BUDGET_EXCEEDED, TEAM_BUDGET));
        }

        @Test
        void once_the_lease_is_released_its_uncharged_rest_is_budget_again() {
            ReserveCreditCommand rest = reserve("res-2", 40);

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), purchased(ORG, 1_000),
                            teamBudget(LedgerRules.DEFAULT_THRESHOLDS, false), leaseOnTeamBudget(100))
                    .andGivenCommands(chargeLease("cmd-charge-1", LEASE, charge("req-1", 35)),
                            chargeLease("cmd-charge-2", LEASE, charge("req-2", 25)), release(LEASE))
                    .when(rest)
                    .expectResultMessagePayload(accepted(rest, "CreditReserved", 40));
        }

        @Test
        void a_threshold_fires_when_the_lease_charges_together_cross_it() {
            ChargeLeaseCommand c = chargeLease("cmd-charge-2", LEASE, charge("req-2", 15));

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), purchased(ORG, 1_000),
                            teamBudget(LedgerRules.DEFAULT_THRESHOLDS, false), leaseOnTeamBudget(100))
                    .andGivenCommands(chargeLease("cmd-charge-1", LEASE, charge("req-1", 40)))
                    .when(c)
                    .expectEvents(leaseCharged(c, 0, 15, 45, leg(ORG, 15)), teamCrossed(c, 50, 55));
        }

        @Test
        void a_threshold_crossed_by_earlier_charges_does_not_fire_again() {
            ChargeLeaseCommand c = chargeLease("cmd-charge-3", LEASE, charge("req-3", 10));

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), purchased(ORG, 1_000),
                            teamBudget(LedgerRules.DEFAULT_THRESHOLDS, false), leaseOnTeamBudget(100))
                    .andGivenCommands(chargeLease("cmd-charge-1", LEASE, charge("req-1", 40)),
                            chargeLease("cmd-charge-2", LEASE, charge("req-2", 15)))
                    .when(c)
                    .expectEvents(leaseCharged(c, 0, 10, 35, leg(ORG, 10)));
        }

        @Test
        void a_command_alerts_once_on_its_total_after_all_its_charges() {
            ChargeLeaseCommand c = chargeLease("cmd-charge-1", LEASE, charge("req-1", 30), charge("req-2", 30));

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), purchased(ORG, 1_000),
                            teamBudget(LedgerRules.DEFAULT_THRESHOLDS, false), leaseOnTeamBudget(100))
                    .when(c)
                    .expectEvents(leaseCharged(c, 0, 30, 70, leg(ORG, 30)), leaseCharged(c, 1, 30, 40, leg(ORG, 30)),
                            teamCrossed(c, 50, 60));
        }

        @Test
        void charging_the_lease_up_to_the_limit_and_beyond_its_hold_exhausts_the_budget_once() {
            ChargeLeaseCommand c = chargeLease("cmd-charge-2", LEASE, charge("req-2", 10), charge("req-3", 5));

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), purchased(ORG, 1_000), teamBudget(List.of(100), true),
                            leaseOnTeamBudget(100))
                    .andGivenCommands(chargeLease("cmd-charge-1", LEASE, charge("req-1", 90)))
                    .when(c)
                    .expectEvents(events(leaseCharged(c, 0, 10, 0, leg(ORG, 10)),
                            overdrawnCharge(c, 1, 0, 0, ORG, 895, 895),
                            teamCrossed(c, 100, 105),
                            new BudgetExhaustedEvent(LEDGER, c.commandId(), NOW, TEAM_BUDGET, TEAM_SCOPE, DAILY, TODAY,
                                    105, LIMIT, true)));
        }
    }

    /** The state itself, folded from decided events: what the balances projection and the audit see. */
    @Nested
    class State {

        /** A member, team and org account with a team budget; each test reserves 200 credits across all three. */
        private Ledger ledger() {
            Ledger ledger = new Ledger();
            ledger.run(openLedger(0));
            ledger.run(openAccount(ALICE, AccountKind.MEMBER));
            ledger.run(openAccount(TEAM, AccountKind.GROUP));
            ledger.run(purchase(ALICE, 30));
            ledger.run(purchase(TEAM, 50));
            ledger.run(purchase(ORG, 1_000));
            ledger.run(defineBudget(TEAM_BUDGET, TEAM_SCOPE, DAILY, 500));
            return ledger;
        }

        private static ReserveCreditCommand reserveAll(String reservationId) {
            return reserve(reservationId, 200, List.of(ALICE, TEAM, ORG));
        }

        @Test
        void an_open_charged_lease_leaves_availability_and_budget_spend_as_its_reservation_did() {
            Ledger reservedOnly = ledger();
            reservedOnly.run(reserveAll(LEASE));
            Ledger charged = ledger();
            charged.run(reserveAll(LEASE));
            charged.run(chargeLease("cmd-charge-1", LEASE, charge("req-1", 25), charge("req-2", 40)));

            assertThat(charged.state.reservations.get(LEASE).credits()).isEqualTo(135);
            assertThat(charged.state.reservations.get(LEASE).legs()).containsExactly(leg(TEAM, 15), leg(ORG, 120));
            assertThat(available(charged.state)).isEqualTo(available(reservedOnly.state));
            assertThat(spent(charged.state)).isEqualTo(spent(reservedOnly.state)).isEqualTo(200);
            assertThat(charged.state.budgets.get(TEAM_BUDGET).charged).isEqualTo(65);
        }

        @Test
        void charges_and_a_release_leave_balances_and_budgets_as_one_usage_of_their_total() {
            Ledger leased = ledger();
            leased.run(reserveAll(LEASE));
            leased.run(chargeLease("cmd-charge-1", LEASE, charge("req-1", 25), charge("req-2", 40)));
            leased.run(chargeLease("cmd-charge-2", LEASE, charge("req-3", 35)));
            leased.run(release(LEASE));
            Ledger settled = ledger();
            settled.run(reserveAll("res-1"));
            settled.run(usage("res-1", 100));

            assertThat(leased.state.snapshot()).isEqualTo(settled.state.snapshot());
            assertThat(leased.state.snapshot().accounts()).extracting(LedgerSnapshot.AccountBalance::balance)
                    .containsExactlyInAnyOrder(0L, 0L, 980L);
            assertThat(leased.state.budgets.get(TEAM_BUDGET).charged).isEqualTo(100);
            assertThat(leased.state.budgets.get(TEAM_BUDGET).reserved).isZero();
        }

        @Test
        void replaying_the_events_of_a_charged_lease_gives_the_live_state() {
            Ledger ledger = ledger();
            ledger.run(reserveAll(LEASE));
            ledger.run(chargeLease("cmd-charge-1", LEASE, charge("req-1", 25), charge("req-2", 40)));
            ledger.run(chargeLease("cmd-charge-2", LEASE, charge("req-3", 180)));
            ledger.run(reserve("res-2", 50, List.of(ORG)));

            LedgerState replayed = LedgerState.replay(ledger.events);

            assertThat(ledger.state.reservations.get(LEASE).credits()).isZero();
            assertThat(replayed.snapshot()).isEqualTo(ledger.state.snapshot());
            assertThat(replayed.reservations).isEqualTo(ledger.state.reservations);
            assertThat(json(replayed)).isEqualTo(json(ledger.state));
        }

        private static List<Long> available(LedgerState state) {
            return state.snapshot().accounts().stream().map(LedgerSnapshot.AccountBalance::available).toList();
        }

        private static long spent(LedgerState state) {
            Budget budget = state.budgets.get(TEAM_BUDGET);
            return budget.charged + budget.reserved;
        }

        private static String json(LedgerState state) {
            return new String(LedgerStateJson.write(state), StandardCharsets.UTF_8);
        }
    }

    /** Decides and applies commands at {@link LedgerTestKit#NOW}, as the aggregate does, keeping the events. */
    private static final class Ledger {

        final LedgerState state = new LedgerState();
        final List<LedgerEvent> events = new ArrayList<>();

        void run(LedgerCommand command) {
            Decision decision = LedgerRules.decide(state, command, NOW);
            assertThat(decision.reply()).as("reply to %s", command).isInstanceOf(CommandAcceptedReply.class);
            decision.events().forEach(event -> {
                events.add(event);
                state.apply(event);
            });
        }
    }
}
