package dev.tally.ledger.domain;

import dev.tally.events.ledger.ExpireReservationCommand;
import dev.tally.events.ledger.LeaseCharge;
import dev.tally.events.ledger.LeaseChargedEvent;
import dev.tally.events.ledger.LeaseSettlement;
import dev.tally.events.ledger.ReservationExpiredEvent;
import dev.tally.events.ledger.ReservationReleasedEvent;
import dev.tally.events.ledger.ReservationRenewedEvent;
import dev.tally.events.ledger.SettleLeasesCommand;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static dev.tally.events.ledger.RejectionReason.INVALID_COMMAND;
import static dev.tally.events.ledger.RejectionReason.RESERVATION_NOT_DUE;
import static dev.tally.ledger.domain.LedgerTestKit.CHAIN;
import static dev.tally.ledger.domain.LedgerTestKit.LEDGER;
import static dev.tally.ledger.domain.LedgerTestKit.NOW;
import static dev.tally.ledger.domain.LedgerTestKit.ORG;
import static dev.tally.ledger.domain.LedgerTestKit.TTL_SECONDS;
import static dev.tally.ledger.domain.LedgerTestKit.accepted;
import static dev.tally.ledger.domain.LedgerTestKit.charge;
import static dev.tally.ledger.domain.LedgerTestKit.chargeLease;
import static dev.tally.ledger.domain.LedgerTestKit.expire;
import static dev.tally.ledger.domain.LedgerTestKit.leg;
import static dev.tally.ledger.domain.LedgerTestKit.ledgerOpened;
import static dev.tally.ledger.domain.LedgerTestKit.newFixture;
import static dev.tally.ledger.domain.LedgerTestKit.purchased;
import static dev.tally.ledger.domain.LedgerTestKit.rejected;
import static dev.tally.ledger.domain.LedgerTestKit.rejectedFor;
import static dev.tally.ledger.domain.LedgerTestKit.reserved;

/**
 * One command settling many leases: each lease's charges, then its release, with the events a {@code ChargeLease}
 * and a {@code ReleaseReservation} of the same lease would have produced.
 */
class SettleLeasesTest {

    private AggregateTestFixture<CreditLedger> fixture;

    @BeforeEach
    void setUp() {
        fixture = newFixture();
    }

    private static LeaseChargedEvent charged(String command, String lease, String request, long credits,
            long remaining) {
        return new LeaseChargedEvent(LEDGER, command, NOW, lease, request, credits, credits, 0, remaining,
                List.of(leg(ORG, credits)), CHAIN, 1200, 300, "gpt-4o-mini", "openai");
    }

    @Test
    void each_lease_is_charged_then_released_in_order_and_the_reply_carries_the_total_charged() {
        SettleLeasesCommand settle = new SettleLeasesCommand("cmd-settle-1", LEDGER, List.of(
                new LeaseSettlement("lease-a", List.of(charge("req-1", 30), charge("req-2", 20)), true,
                        "lease returned"),
                new LeaseSettlement("lease-b", List.of(charge("req-3", 40)), false, null)));

        fixture.givenCurrentTime(NOW)
                .andGiven(ledgerOpened(), purchased(ORG, 1_000), reserved("lease-a", 100), reserved("lease-b", 100))
                .when(settle)
                .expectEvents(charged("cmd-settle-1", "lease-a", "req-1", 30, 70),
                        charged("cmd-settle-1", "lease-a", "req-2", 20, 50),
                        new ReservationReleasedEvent(LEDGER, "cmd-settle-1", NOW, "lease-a", 50, "lease returned"),
                        charged("cmd-settle-1", "lease-b", "req-3", 40, 60))
                .expectResultMessagePayload(accepted(settle, "LeaseCharged", 90));
    }

    @Test
    void a_lease_only_released_gives_back_what_earlier_charges_left() {
        SettleLeasesCommand settle = new SettleLeasesCommand("cmd-settle-2", LEDGER, List.of(
                new LeaseSettlement("lease-a", List.of(), true, "lease returned")));

        fixture.givenCurrentTime(NOW)
                .andGiven(ledgerOpened(), purchased(ORG, 1_000), reserved("lease-a", 100))
                .andGivenCommands(chargeLease("cmd-charge-1", "lease-a", charge("req-1", 30)))
                .when(settle)
                .expectEvents(new ReservationReleasedEvent(LEDGER, "cmd-settle-2", NOW, "lease-a", 70,
                        "lease returned"))
                .expectResultMessagePayload(accepted(settle, "ReservationReleased", 0));
    }

    @Test
    void a_lease_that_already_expired_is_skipped_and_the_others_are_settled() {
        SettleLeasesCommand settle = new SettleLeasesCommand("cmd-settle-3", LEDGER, List.of(
                new LeaseSettlement("lease-gone", List.of(charge("req-1", 30)), true, "lease returned"),
                new LeaseSettlement("lease-b", List.of(charge("req-2", 10)), true, "lease returned")));

        fixture.givenCurrentTime(NOW)
                .andGiven(ledgerOpened(), purchased(ORG, 1_000), reserved("lease-b", 100))
                .when(settle)
                .expectEvents(charged("cmd-settle-3", "lease-b", "req-2", 10, 90),
                        new ReservationReleasedEvent(LEDGER, "cmd-settle-3", NOW, "lease-b", 90, "lease returned"))
                .expectResultMessagePayload(accepted(settle, "LeaseCharged", 10));
    }

    @Test
    void a_lease_named_twice_is_refused_whole_before_anything_is_applied() {
        SettleLeasesCommand settle = new SettleLeasesCommand("cmd-settle-4", LEDGER, List.of(
                new LeaseSettlement("lease-a", List.of(charge("req-1", 30)), false, null),
                new LeaseSettlement("lease-a", List.of(charge("req-2", 30)), true, "lease returned")));

        fixture.givenCurrentTime(NOW)
                .andGiven(ledgerOpened(), purchased(ORG, 1_000), reserved("lease-a", 100))
                .when(settle)
                .expectNoEvents()
                .expectResultMessagePayload(rejected(settle, INVALID_COMMAND,
                        "each lease may be settled once per command"));
    }

    @Test
    void an_invalid_charge_of_any_lease_refuses_the_whole_settlement() {
        SettleLeasesCommand settle = new SettleLeasesCommand("cmd-settle-5", LEDGER, List.of(
                new LeaseSettlement("lease-a", List.of(charge("req-1", 30)), true, "lease returned"),
                new LeaseSettlement("lease-b", List.of(charge("req-2", 5), charge("req-2", 5)), false, null)));

        fixture.givenCurrentTime(NOW)
                .andGiven(ledgerOpened(), purchased(ORG, 1_000), reserved("lease-a", 100), reserved("lease-b", 100))
                .when(settle)
                .expectNoEvents()
                .expectResultMessagePayload(rejected(settle, INVALID_COMMAND,
                        "lease lease-b: each request_id may be charged once per command"));
    }

    @Test
    void a_lease_with_neither_charges_nor_release_is_refused() {
        SettleLeasesCommand settle = new SettleLeasesCommand("cmd-settle-6", LEDGER, List.of(
                new LeaseSettlement("lease-a", List.of(), false, null)));

        fixture.givenCurrentTime(NOW)
                .andGiven(ledgerOpened(), purchased(ORG, 1_000), reserved("lease-a", 100))
                .when(settle)
                .expectNoEvents()
                .expectResultMessagePayload(rejected(settle, INVALID_COMMAND,
                        "at least one lease, each with a reservation_id and charges, a release or a renewal, is required"));
    }

    @Nested
    class Renewal {

        private final Instant later = NOW.plusSeconds(200);

        private SettleLeasesCommand renewing(String commandId, long ttlSeconds, LeaseCharge... charges) {
            return new SettleLeasesCommand(commandId, LEDGER, List.of(
                    new LeaseSettlement("lease-a", List.of(charges), false, null, ttlSeconds)));
        }

        @Test
        void a_renewal_moves_the_expiry_to_now_plus_its_time_to_live_before_the_charges() {
            SettleLeasesCommand settle = renewing("cmd-settle-7", 600, charge("req-1", 30));

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), purchased(ORG, 1_000), reserved("lease-a", 100))
                    .andGivenCurrentTime(later)
                    .when(settle)
                    .expectEvents(new ReservationRenewedEvent(LEDGER, "cmd-settle-7", later, "lease-a",
                                    later.plusSeconds(600)),
                            new LeaseChargedEvent(LEDGER, "cmd-settle-7", later, "lease-a", "req-1", 30, 30, 0, 70,
                                    List.of(leg(ORG, 30)), CHAIN, 1200, 300, "gpt-4o-mini", "openai"))
                    .expectResultMessagePayload(accepted(settle, "ReservationRenewed", 30));
        }

        @Test
        void a_settlement_may_only_renew_a_lease() {
            SettleLeasesCommand settle = renewing("cmd-settle-8", 600);

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), purchased(ORG, 1_000), reserved("lease-a", 100))
                    .andGivenCurrentTime(later)
                    .when(settle)
                    .expectEvents(new ReservationRenewedEvent(LEDGER, "cmd-settle-8", later, "lease-a",
                            later.plusSeconds(600)))
                    .expectResultMessagePayload(accepted(settle, "ReservationRenewed", 0));
        }

        @Test
        void an_expiry_before_the_renewed_deadline_is_refused_as_not_due() {
            ExpireReservationCommand expire = expire("lease-a");

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), purchased(ORG, 1_000), reserved("lease-a", 100))
                    .andGivenCurrentTime(later)
                    .andGivenCommands(renewing("cmd-settle-9", 600))
                    .andGivenCurrentTime(NOW.plusSeconds(TTL_SECONDS))
                    .when(expire)
                    .expectNoEvents()
                    .expectResultMessagePayloadMatching(rejectedFor(expire, RESERVATION_NOT_DUE));
        }

        @Test
        void a_renewed_lease_expires_at_its_new_deadline() {
            Instant due = later.plusSeconds(600);

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), purchased(ORG, 1_000), reserved("lease-a", 100))
                    .andGivenCurrentTime(later)
                    .andGivenCommands(renewing("cmd-settle-10", 600))
                    .andGivenCurrentTime(due)
                    .when(expire("lease-a"))
                    .expectEvents(new ReservationExpiredEvent(LEDGER, "cmd-expire-lease-a", due, "lease-a", 100, due));
        }

        @Test
        void a_renewal_never_brings_the_expiry_earlier() {
            SettleLeasesCommand settle = renewing("cmd-settle-11", 10);

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), purchased(ORG, 1_000), reserved("lease-a", 100))
                    .andGivenCurrentTime(later)
                    .when(settle)
                    .expectNoEvents()
                    .expectResultMessagePayload(accepted(settle, "Nothing", 0));
        }

        @Test
        void a_renewal_of_a_lease_that_already_ended_is_skipped() {
            SettleLeasesCommand settle = renewing("cmd-settle-12", 600);

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), purchased(ORG, 1_000))
                    .when(settle)
                    .expectNoEvents()
                    .expectResultMessagePayload(accepted(settle, "Nothing", 0));
        }

        @Test
        void a_renewal_beyond_the_longest_time_to_live_refuses_the_whole_settlement() {
            SettleLeasesCommand settle = new SettleLeasesCommand("cmd-settle-13", LEDGER, List.of(
                    new LeaseSettlement("lease-b", List.of(charge("req-1", 30)), true, "lease returned"),
                    new LeaseSettlement("lease-a", List.of(), false, null, LedgerRules.MAX_TTL_SECONDS + 1)));

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), purchased(ORG, 1_000), reserved("lease-a", 100),
                            reserved("lease-b", 100))
                    .when(settle)
                    .expectNoEvents()
                    .expectResultMessagePayloadMatching(rejectedFor(settle, INVALID_COMMAND));
        }
    }
}
