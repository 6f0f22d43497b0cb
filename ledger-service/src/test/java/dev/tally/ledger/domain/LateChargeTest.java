package dev.tally.ledger.domain;

import dev.tally.events.ledger.BudgetExhaustedEvent;
import dev.tally.events.ledger.ChargeLeaseCommand;
import dev.tally.events.ledger.CreditOverdrawnEvent;
import dev.tally.events.ledger.LeaseChargedEvent;
import dev.tally.events.ledger.LeaseSettlement;
import dev.tally.events.ledger.LedgerEvent;
import dev.tally.events.ledger.ReserveCreditCommand;
import dev.tally.events.ledger.ReservationExpiredEvent;
import dev.tally.events.ledger.SettleLeasesCommand;
import dev.tally.events.json.TallyJson;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static dev.tally.events.ledger.BudgetPeriod.DAILY;
import static dev.tally.events.ledger.RejectionReason.BUDGET_EXCEEDED;
import static dev.tally.events.ledger.RejectionReason.UNKNOWN_RESERVATION;
import static dev.tally.ledger.domain.LedgerTestKit.ALICE_SCOPE;
import static dev.tally.ledger.domain.LedgerTestKit.CHAIN;
import static dev.tally.ledger.domain.LedgerTestKit.LEDGER;
import static dev.tally.ledger.domain.LedgerTestKit.NEXT_DAY;
import static dev.tally.ledger.domain.LedgerTestKit.NOW;
import static dev.tally.ledger.domain.LedgerTestKit.ORG;
import static dev.tally.ledger.domain.LedgerTestKit.TEAM_SCOPE;
import static dev.tally.ledger.domain.LedgerTestKit.TODAY;
import static dev.tally.ledger.domain.LedgerTestKit.TOMORROW;
import static dev.tally.ledger.domain.LedgerTestKit.TTL_SECONDS;
import static dev.tally.ledger.domain.LedgerTestKit.accepted;
import static dev.tally.ledger.domain.LedgerTestKit.budgetDefined;
import static dev.tally.ledger.domain.LedgerTestKit.charge;
import static dev.tally.ledger.domain.LedgerTestKit.chargeLease;
import static dev.tally.ledger.domain.LedgerTestKit.hold;
import static dev.tally.ledger.domain.LedgerTestKit.leg;
import static dev.tally.ledger.domain.LedgerTestKit.ledgerOpened;
import static dev.tally.ledger.domain.LedgerTestKit.newFixture;
import static dev.tally.ledger.domain.LedgerTestKit.purchased;
import static dev.tally.ledger.domain.LedgerTestKit.rejectedFor;
import static dev.tally.ledger.domain.LedgerTestKit.reserve;
import static dev.tally.ledger.domain.LedgerTestKit.reserved;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Charges that arrive after their lease expired: a gateway replica down for longer than the lease's time to live sends
 * them from its journal when it comes back. The requests were answered, so they are charged, outside any hold.
 */
class LateChargeTest {

    private static final String LEASE = "lease-1";
    private static final String TEAM_BUDGET = "budget-team";
    private static final Instant EXPIRED_AT = NOW.plusSeconds(TTL_SECONDS);
    private static final Instant BACK_AT = EXPIRED_AT.plusSeconds(90);

    private AggregateTestFixture<CreditLedger> fixture;

    @BeforeEach
    void setUp() {
        fixture = newFixture();
    }

    private static ReservationExpiredEvent expired(long credits) {
        return new ReservationExpiredEvent(LEDGER, "cmd-expire-" + LEASE, EXPIRED_AT, LEASE, credits, EXPIRED_AT);
    }

    private static LeaseChargedEvent lateCharged(ChargeLeaseCommand c, Instant at, String requestId, long credits) {
        return new LeaseChargedEvent(LEDGER, c.commandId(), at, LEASE, requestId, credits, credits, 0, 0, List.of(),
                CHAIN, 1200, 300, "gpt-4o-mini", "openai", credits, ORG);
    }

    @Test
    void a_charge_after_the_lease_expired_is_charged_whole_to_the_account_the_lease_drew_from_first() {
        ChargeLeaseCommand c = chargeLease("cmd-charge-late", LEASE, charge("req-1", 30), charge("req-2", 20));

        fixture.givenCurrentTime(NOW)
                .andGiven(ledgerOpened(), purchased(ORG, 1_000), reserved(LEASE, 100), expired(100))
                .andGivenCurrentTime(BACK_AT)
                .when(c)
                .expectEvents(lateCharged(c, BACK_AT, "req-1", 30),
                        new CreditOverdrawnEvent(LEDGER, c.commandId(), BACK_AT, LEASE, "req-1", ORG, ALICE_SCOPE, 30,
                                970, 970),
                        lateCharged(c, BACK_AT, "req-2", 20),
                        new CreditOverdrawnEvent(LEDGER, c.commandId(), BACK_AT, LEASE, "req-2", ORG, ALICE_SCOPE, 20,
                                950, 950))
                .expectResultMessagePayload(accepted(c, "LeaseCharged", 50));
    }

    @Test
    void a_settlement_after_the_expiry_takes_the_charges_and_skips_the_renewal_and_the_release() {
        SettleLeasesCommand settle = new SettleLeasesCommand("cmd-settle-late", LEDGER,
                List.of(new LeaseSettlement(LEASE, List.of(charge("req-1", 30)), true, "lease returned", 60L)));
        ChargeLeaseCommand asCharge = chargeLease(settle.commandId(), LEASE, charge("req-1", 30));

        fixture.givenCurrentTime(NOW)
                .andGiven(ledgerOpened(), purchased(ORG, 1_000), reserved(LEASE, 100), expired(100))
                .andGivenCurrentTime(BACK_AT)
                .when(settle)
                .expectEvents(lateCharged(asCharge, BACK_AT, "req-1", 30),
                        new CreditOverdrawnEvent(LEDGER, settle.commandId(), BACK_AT, LEASE, "req-1", ORG,
                                ALICE_SCOPE, 30, 970, 970))
                .expectResultMessagePayload(accepted(settle, "LeaseCharged", 30));
    }

    @Test
    void a_late_charge_counts_in_the_budgets_the_lease_counted_in_and_can_exhaust_them() {
        ChargeLeaseCommand c = chargeLease("cmd-charge-late", LEASE, charge("req-1", 100));

        fixture.givenCurrentTime(NOW)
                .andGiven(ledgerOpened(), purchased(ORG, 1_000),
                        budgetDefined(TEAM_BUDGET, TEAM_SCOPE, DAILY, 100, List.of(), false),
                        reserved(LEASE, 60, NOW, List.of(leg(ORG, 60)), List.of(hold(TEAM_BUDGET, TODAY))),
                        expired(60))
                .andGivenCurrentTime(BACK_AT)
                .when(c)
                .expectEvents(lateCharged(c, BACK_AT, "req-1", 100),
                        new CreditOverdrawnEvent(LEDGER, c.commandId(), BACK_AT, LEASE, "req-1", ORG, ALICE_SCOPE,
                                100, 900, 900),
                        new BudgetExhaustedEvent(LEDGER, c.commandId(), BACK_AT, TEAM_BUDGET, TEAM_SCOPE, DAILY, TODAY,
                                100, 100, false));
    }

    @Test
    void after_a_late_charge_the_budget_refuses_what_it_no_longer_has_room_for() {
        ReserveCreditCommand next = reserve("res-2", 41);

        fixture.givenCurrentTime(NOW)
                .andGiven(ledgerOpened(), purchased(ORG, 1_000),
                        budgetDefined(TEAM_BUDGET, TEAM_SCOPE, DAILY, 100, List.of(), false),
                        reserved(LEASE, 60, NOW, List.of(leg(ORG, 60)), List.of(hold(TEAM_BUDGET, TODAY))),
                        expired(60))
                .andGivenCurrentTime(BACK_AT)
                .andGivenCommands(chargeLease("cmd-charge-late", LEASE, charge("req-1", 60)))
                .when(next)
                .expectResultMessagePayloadMatching(rejectedFor(next, BUDGET_EXCEEDED, TEAM_BUDGET));
    }

    @Test
    void a_late_charge_on_a_later_day_counts_in_that_days_window() {
        LedgerState state = LedgerState.replay(List.of(ledgerOpened(), purchased(ORG, 1_000),
                budgetDefined(TEAM_BUDGET, TEAM_SCOPE, DAILY, 100, List.of(), false),
                reserved(LEASE, 60, NOW, List.of(leg(ORG, 60)), List.of(hold(TEAM_BUDGET, TODAY))), expired(60)));

        decideAndApply(state, chargeLease("cmd-charge-late", LEASE, charge("req-1", 25)), NEXT_DAY);

        assertThat(state.budgetRow(TEAM_BUDGET).orElseThrow())
                .satisfies(b -> assertThat(b.windowStart()).isEqualTo(TOMORROW))
                .satisfies(b -> assertThat(b.chargedCredits()).isEqualTo(25))
                .satisfies(b -> assertThat(b.reservedCredits()).isZero());
        assertThat(state.accountRow(ORG).orElseThrow().balance()).isEqualTo(975);
    }

    @Test
    void a_lease_expired_longer_ago_than_the_ledger_keeps_it_is_unknown() {
        ChargeLeaseCommand c = chargeLease("cmd-charge-late", LEASE, charge("req-1", 30));
        // Another expiry, past the time a lease is kept, is what makes the ledger forget the first one.
        Instant muchLater = EXPIRED_AT.plus(ExpiredLease.KEPT_FOR).plusSeconds(1);

        fixture.givenCurrentTime(NOW)
                .andGiven(ledgerOpened(), purchased(ORG, 1_000), reserved(LEASE, 100), expired(100),
                        reserved("lease-2", 10, muchLater.minusSeconds(TTL_SECONDS), List.of(leg(ORG, 10)), List.of()),
                        new ReservationExpiredEvent(LEDGER, "cmd-expire-lease-2", muchLater, "lease-2", 10,
                                muchLater))
                .andGivenCurrentTime(muchLater)
                .when(c)
                .expectNoEvents()
                .expectResultMessagePayloadMatching(rejectedFor(c, UNKNOWN_RESERVATION));
    }

    @Test
    void the_ledger_keeps_at_most_a_bounded_number_of_expired_leases_oldest_forgotten_first() {
        List<LedgerEvent> events = new ArrayList<>(List.of(ledgerOpened(), purchased(ORG, 1_000_000_000)));
        for (int i = 0; i <= ExpiredLease.MAX_KEPT; i++) {
            Instant at = NOW.plusMillis(i);
            events.add(reserved("lease-" + i, 1, at, List.of(leg(ORG, 1)), List.of()));
            events.add(new ReservationExpiredEvent(LEDGER, "cmd-expire-" + i, at.plusSeconds(TTL_SECONDS),
                    "lease-" + i, 1, at.plusSeconds(TTL_SECONDS)));
        }

        LedgerState state = LedgerState.replay(events);

        assertThat(state.expiredLeases).hasSize(ExpiredLease.MAX_KEPT).doesNotContainKey("lease-0")
                .containsKey("lease-1").containsKey("lease-" + ExpiredLease.MAX_KEPT);
    }

    @Test
    void a_state_saved_with_expired_leases_reads_back_equal_and_one_saved_before_them_reads_with_none() {
        LedgerState state = LedgerState.replay(List.of(ledgerOpened(), purchased(ORG, 1_000),
                reserved(LEASE, 100), expired(100)));

        LedgerState read = LedgerStateJson.read(LedgerStateJson.write(state));
        ObjectNode older = (ObjectNode) TallyJson.mapper().readTree(LedgerStateJson.write(state));
        older.remove("expired_leases");

        assertThat(state.expiredLeases).containsOnlyKeys(LEASE);
        assertThat(read.expiredLeases).isEqualTo(state.expiredLeases);
        assertThat(LedgerStateJson.read(TallyJson.mapper().writeValueAsBytes(older)).expiredLeases).isEmpty();
    }

    private static void decideAndApply(LedgerState state, ChargeLeaseCommand c, Instant at) {
        Decision decision = LedgerRules.decide(state, c, at);
        decision.events().forEach(state::apply);
    }
}
