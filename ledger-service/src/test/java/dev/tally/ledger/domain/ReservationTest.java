package dev.tally.ledger.domain;

import dev.tally.events.ledger.AccountKind;
import dev.tally.events.ledger.CreditReservationRejectedEvent;
import dev.tally.events.ledger.CreditReservedEvent;
import dev.tally.events.ledger.Leg;
import dev.tally.events.ledger.ExpireReservationCommand;
import dev.tally.events.ledger.Priority;
import dev.tally.events.ledger.ReleaseReservationCommand;
import dev.tally.events.ledger.ReservationExpiredEvent;
import dev.tally.events.ledger.ReservationReleasedEvent;
import dev.tally.events.ledger.ReserveCreditCommand;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static dev.tally.events.ledger.RejectionReason.DUPLICATE_RESERVATION;
import static dev.tally.events.ledger.RejectionReason.INSUFFICIENT_CREDITS;
import static dev.tally.events.ledger.RejectionReason.INVALID_AMOUNT;
import static dev.tally.events.ledger.RejectionReason.INVALID_COMMAND;
import static dev.tally.events.ledger.RejectionReason.RESERVATION_NOT_DUE;
import static dev.tally.events.ledger.RejectionReason.UNKNOWN_ACCOUNT;
import static dev.tally.events.ledger.RejectionReason.UNKNOWN_RESERVATION;
import static dev.tally.ledger.domain.LedgerTestKit.ALICE;
import static dev.tally.ledger.domain.LedgerTestKit.CHAIN;
import static dev.tally.ledger.domain.LedgerTestKit.LEDGER;
import static dev.tally.ledger.domain.LedgerTestKit.NOW;
import static dev.tally.ledger.domain.LedgerTestKit.ORG;
import static dev.tally.ledger.domain.LedgerTestKit.TEAM;
import static dev.tally.ledger.domain.LedgerTestKit.TTL_SECONDS;
import static dev.tally.ledger.domain.LedgerTestKit.accepted;
import static dev.tally.ledger.domain.LedgerTestKit.accountOpened;
import static dev.tally.ledger.domain.LedgerTestKit.eventPayloads;
import static dev.tally.ledger.domain.LedgerTestKit.expire;
import static dev.tally.ledger.domain.LedgerTestKit.leg;
import static dev.tally.ledger.domain.LedgerTestKit.ledgerOpened;
import static dev.tally.ledger.domain.LedgerTestKit.newFixture;
import static dev.tally.ledger.domain.LedgerTestKit.payload;
import static dev.tally.ledger.domain.LedgerTestKit.purchased;
import static dev.tally.ledger.domain.LedgerTestKit.rejected;
import static dev.tally.ledger.domain.LedgerTestKit.rejectedFor;
import static dev.tally.ledger.domain.LedgerTestKit.release;
import static dev.tally.ledger.domain.LedgerTestKit.reserve;
import static dev.tally.ledger.domain.LedgerTestKit.reserveCritical;
import static dev.tally.ledger.domain.LedgerTestKit.reserved;
import static dev.tally.ledger.domain.LedgerTestKit.usage;

/** Holding credits (without budgets), and giving holds back by release or expiry. */
class ReservationTest {

    private static final Instant EXPIRES_AT = NOW.plusSeconds(TTL_SECONDS);

    private AggregateTestFixture<CreditLedger> fixture;

    @BeforeEach
    void setUp() {
        fixture = newFixture();
    }

    private static CreditReservedEvent reservedEvent(ReserveCreditCommand c, Instant at, Leg... legs) {
        return new CreditReservedEvent(LEDGER, c.commandId(), at, c.reservationId(), c.credits(), List.of(legs),
                List.of(), c.scopeChain(), c.priority(), at.plusSeconds(c.ttlSeconds()));
    }

    private static CreditReservationRejectedEvent insufficient(ReserveCreditCommand c, String detail) {
        return new CreditReservationRejectedEvent(LEDGER, c.commandId(), NOW, c.reservationId(), c.credits(),
                c.scopeChain(), INSUFFICIENT_CREDITS, null, detail);
    }

    @Nested
    class ReserveCredit {

        @Test
        void a_reservation_holds_credits_of_the_account_until_its_time_to_live_ends() {
            ReserveCreditCommand reserve = reserve("res-1", 40);

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), purchased(ORG, 1_000))
                    .when(reserve)
                    .expectEvents(reservedEvent(reserve, NOW, leg(ORG, 40)))
                    .expectResultMessagePayload(accepted(reserve, "CreditReserved", 40));
        }

        @Test
        void a_reservation_expires_its_time_to_live_after_now() {
            ReserveCreditCommand reserve = LedgerTestKit.reserve("res-1", CHAIN, List.of(ORG), 40, Priority.NORMAL, 90);

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), purchased(ORG, 1_000))
                    .when(reserve)
                    .expectEventsMatching(eventPayloads(payload(CreditReservedEvent.class, "expires_at is now + 90 s",
                            e -> e.expiresAt().equals(Instant.parse("2025-03-14T10:01:30Z")))));
        }

        @Test
        void a_reservation_draws_from_the_accounts_in_order_splitting_into_legs() {
            ReserveCreditCommand reserve = reserve("res-1", 80, List.of(ALICE, TEAM, ORG));

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), accountOpened(TEAM, AccountKind.GROUP),
                            accountOpened(ALICE, AccountKind.MEMBER), purchased(ORG, 1_000), purchased(TEAM, 100),
                            purchased(ALICE, 30))
                    .when(reserve)
                    .expectEvents(reservedEvent(reserve, NOW, leg(ALICE, 30), leg(TEAM, 50)))
                    .expectResultMessagePayload(accepted(reserve, "CreditReserved", 80));
        }

        @Test
        void a_reservation_skips_accounts_with_nothing_available() {
            ReserveCreditCommand reserve = reserve("res-1", 80, List.of(ALICE, ORG));

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), accountOpened(ALICE, AccountKind.MEMBER), purchased(ORG, 1_000))
                    .when(reserve)
                    .expectEvents(reservedEvent(reserve, NOW, leg(ORG, 80)));
        }

        @Test
        void a_reservation_draws_only_what_is_left_after_open_reservations() {
            ReserveCreditCommand reserve = reserve("res-2", 50, List.of(ALICE, ORG));

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), accountOpened(ALICE, AccountKind.MEMBER), purchased(ORG, 1_000),
                            purchased(ALICE, 30),
                            reserved("res-1", 20, NOW, List.of(leg(ALICE, 20)), List.of()))
                    .when(reserve)
                    .expectEvents(reservedEvent(reserve, NOW, leg(ALICE, 10), leg(ORG, 40)));
        }

        @Test
        void a_reservation_the_accounts_cannot_cover_is_rejected_with_an_event() {
            ReserveCreditCommand reserve = reserve("res-1", 1_001, List.of(ALICE, ORG));
            String detail = "accounts [" + ALICE + ", " + ORG + "] cannot cover 1001 credits";

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), accountOpened(ALICE, AccountKind.MEMBER), purchased(ORG, 900),
                            purchased(ALICE, 100))
                    .when(reserve)
                    .expectEvents(insufficient(reserve, detail))
                    .expectResultMessagePayload(rejected(reserve, INSUFFICIENT_CREDITS, detail));
        }

        @Test
        void a_reservation_is_not_covered_by_accounts_it_does_not_list() {
            ReserveCreditCommand reserve = reserve("res-1", 1, List.of(ALICE));

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), accountOpened(ALICE, AccountKind.MEMBER), purchased(ORG, 1_000))
                    .when(reserve)
                    .expectResultMessagePayloadMatching(rejectedFor(reserve, INSUFFICIENT_CREDITS));
        }

        @Test
        void a_rejected_reservation_holds_nothing() {
            ReserveCreditCommand everything = reserve("res-2", 100);

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), purchased(ORG, 100))
                    .andGivenCommands(reserve("res-1", 101))
                    .when(everything)
                    .expectResultMessagePayload(accepted(everything, "CreditReserved", 100));
        }

        @Test
        void a_normal_reservation_may_not_overdraw_even_when_the_ledger_allows_overdraft() {
            ReserveCreditCommand reserve = reserve("res-1", 81, List.of(TEAM, ORG));

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(100), accountOpened(TEAM, AccountKind.GROUP), purchased(TEAM, 30),
                            purchased(ORG, 50))
                    .when(reserve)
                    .expectEvents(insufficient(reserve, "accounts [" + TEAM + ", " + ORG + "] cannot cover 81 credits"))
                    .expectResultMessagePayloadMatching(rejectedFor(reserve, INSUFFICIENT_CREDITS));
        }

        @Test
        void a_critical_reservation_overdraws_the_last_account_within_the_overdraft_limit() {
            ReserveCreditCommand reserve = reserveCritical("res-1", 150, List.of(TEAM, ORG));

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(100), accountOpened(TEAM, AccountKind.GROUP), purchased(TEAM, 30),
                            purchased(ORG, 50))
                    .when(reserve)
                    .expectEvents(reservedEvent(reserve, NOW, leg(TEAM, 30), leg(ORG, 120)))
                    .expectResultMessagePayload(accepted(reserve, "CreditReserved", 150));
        }

        @Test
        void a_critical_reservation_puts_the_shortfall_on_the_last_listed_account() {
            ReserveCreditCommand reserve = reserveCritical("res-1", 80, List.of(ORG, TEAM));

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(100), accountOpened(TEAM, AccountKind.GROUP), purchased(ORG, 50))
                    .when(reserve)
                    .expectEvents(reservedEvent(reserve, NOW, leg(ORG, 50), leg(TEAM, 30)));
        }

        @Test
        void a_critical_reservation_may_use_the_whole_overdraft_limit() {
            ReserveCreditCommand reserve = reserveCritical("res-1", 180, List.of(TEAM, ORG));

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(100), accountOpened(TEAM, AccountKind.GROUP), purchased(TEAM, 30),
                            purchased(ORG, 50))
                    .when(reserve)
                    .expectEvents(reservedEvent(reserve, NOW, leg(TEAM, 30), leg(ORG, 150)));
        }

        @Test
        void a_critical_reservation_beyond_the_overdraft_limit_is_rejected() {
            ReserveCreditCommand reserve = reserveCritical("res-1", 181, List.of(TEAM, ORG));

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(100), accountOpened(TEAM, AccountKind.GROUP), purchased(TEAM, 30),
                            purchased(ORG, 50))
                    .when(reserve)
                    .expectEvents(insufficient(reserve,
                            "accounts [" + TEAM + ", " + ORG + "] cannot cover 181 credits"))
                    .expectResultMessagePayloadMatching(rejectedFor(reserve, INSUFFICIENT_CREDITS));
        }

        @Test
        void a_critical_reservation_only_gets_the_overdraft_other_critical_reservations_left() {
            ReserveCreditCommand reserve = reserveCritical("res-2", 31, List.of(ORG));

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(100), accountOpened(TEAM, AccountKind.GROUP))
                    .andGivenCommands(reserveCritical("res-1", 70, List.of(TEAM)))
                    .when(reserve)
                    .expectResultMessagePayloadMatching(rejectedFor(reserve, INSUFFICIENT_CREDITS));
        }

        @Test
        void a_critical_reservation_may_take_the_overdraft_other_critical_reservations_left() {
            ReserveCreditCommand reserve = reserveCritical("res-2", 30, List.of(ORG));

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(100), accountOpened(TEAM, AccountKind.GROUP))
                    .andGivenCommands(reserveCritical("res-1", 70, List.of(TEAM)))
                    .when(reserve)
                    .expectEvents(reservedEvent(reserve, NOW, leg(ORG, 30)));
        }

        @Test
        void a_critical_reservation_on_a_ledger_without_overdraft_cannot_overdraw() {
            ReserveCreditCommand reserve = reserveCritical("res-1", 51, List.of(ORG));

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(0), purchased(ORG, 50))
                    .when(reserve)
                    .expectResultMessagePayloadMatching(rejectedFor(reserve, INSUFFICIENT_CREDITS));
        }

        @Test
        void a_reservation_without_a_priority_is_normal() {
            ReserveCreditCommand reserve = LedgerTestKit.reserve("res-1", CHAIN, List.of(ORG), 40, null, TTL_SECONDS);

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), purchased(ORG, 1_000))
                    .when(reserve)
                    .expectEventsMatching(eventPayloads(payload(CreditReservedEvent.class, "priority is NORMAL",
                            e -> e.priority() == Priority.NORMAL)));
        }

        @Test
        void a_reservation_whose_id_is_already_open_is_rejected_without_events() {
            ReserveCreditCommand reserve = reserve("res-1", 10);

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), purchased(ORG, 1_000), reserved("res-1", 40))
                    .when(reserve)
                    .expectNoEvents()
                    .expectResultMessagePayload(rejected(reserve, DUPLICATE_RESERVATION,
                            "reservation res-1 is already open"));
        }

        @Test
        void a_reservation_with_a_zero_time_to_live_is_rejected_as_invalid() {
            ReserveCreditCommand reserve = LedgerTestKit.reserve("res-1", CHAIN, List.of(ORG), 10, Priority.NORMAL, 0);

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), purchased(ORG, 1_000))
                    .when(reserve)
                    .expectNoEvents()
                    .expectResultMessagePayloadMatching(rejectedFor(reserve, INVALID_COMMAND));
        }

        @Test
        void a_reservation_with_a_negative_time_to_live_is_rejected_as_invalid() {
            ReserveCreditCommand reserve = LedgerTestKit.reserve("res-1", CHAIN, List.of(ORG), 10, Priority.NORMAL, -5);

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), purchased(ORG, 1_000))
                    .when(reserve)
                    .expectNoEvents()
                    .expectResultMessagePayloadMatching(rejectedFor(reserve, INVALID_COMMAND));
        }

        /**
         * Regression: {@code expires_at = now + ttl} overflows for an absurd ttl; the command must be refused as
         * INVALID_COMMAND rather than let an ArithmeticException escape the aggregate.
         */
        @Test
        void a_reservation_whose_time_to_live_overflows_the_clock_is_rejected_as_invalid() {
            ReserveCreditCommand reserve = LedgerTestKit.reserve("res-1", CHAIN, List.of(ORG), 10, Priority.NORMAL,
                    Long.MAX_VALUE);

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), purchased(ORG, 1_000))
                    .when(reserve)
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents()
                    .expectResultMessagePayloadMatching(rejectedFor(reserve, INVALID_COMMAND));
        }

        @Test
        void a_reservation_without_accounts_is_rejected_as_invalid() {
            ReserveCreditCommand reserve = reserve("res-1", 10, List.of());

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), purchased(ORG, 1_000))
                    .when(reserve)
                    .expectNoEvents()
                    .expectResultMessagePayload(rejected(reserve, INVALID_COMMAND,
                            "reservation_id, at least one of account_ids and a ttl_seconds between 1 and 604800 are required"));
        }

        @Test
        void a_reservation_without_an_id_is_rejected_as_invalid() {
            ReserveCreditCommand reserve = reserve("", 10);

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), purchased(ORG, 1_000))
                    .when(reserve)
                    .expectNoEvents()
                    .expectResultMessagePayloadMatching(rejectedFor(reserve, INVALID_COMMAND));
        }

        @Test
        void a_reservation_on_an_unknown_account_is_rejected() {
            ReserveCreditCommand reserve = reserve("res-1", 10, List.of(ORG, "acct-nobody"));

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), purchased(ORG, 1_000))
                    .when(reserve)
                    .expectNoEvents()
                    .expectResultMessagePayload(rejected(reserve, UNKNOWN_ACCOUNT,
                            "no account acct-nobody in ledger " + LEDGER));
        }

        @Test
        void a_reservation_of_zero_credits_is_rejected_as_an_invalid_amount() {
            ReserveCreditCommand reserve = reserve("res-1", 0);

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), purchased(ORG, 1_000))
                    .when(reserve)
                    .expectNoEvents()
                    .expectResultMessagePayload(rejected(reserve, INVALID_AMOUNT, "credits must be positive, was 0"));
        }

        @Test
        void a_reservation_of_negative_credits_is_rejected_as_an_invalid_amount() {
            ReserveCreditCommand reserve = reserve("res-1", -10);

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), purchased(ORG, 1_000))
                    .when(reserve)
                    .expectNoEvents()
                    .expectResultMessagePayloadMatching(rejectedFor(reserve, INVALID_AMOUNT));
        }
    }

    @Nested
    class ReleaseReservation {

        @Test
        void releasing_a_reservation_gives_back_all_its_credits() {
            ReleaseReservationCommand release = release("res-1");

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), purchased(ORG, 1_000), reserved("res-1", 40))
                    .when(release)
                    .expectEvents(new ReservationReleasedEvent(LEDGER, release.commandId(), NOW, "res-1", 40,
                            release.reason()))
                    .expectResultMessagePayload(accepted(release, "ReservationReleased", 40));
        }

        @Test
        void released_credits_are_available_again() {
            ReserveCreditCommand again = reserve("res-2", 100);

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), purchased(ORG, 100), reserved("res-1", 100))
                    .andGivenCommands(release("res-1"))
                    .when(again)
                    .expectResultMessagePayload(accepted(again, "CreditReserved", 100));
        }

        @Test
        void releasing_an_unknown_reservation_is_rejected() {
            ReleaseReservationCommand release = release("res-404");

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), purchased(ORG, 1_000))
                    .when(release)
                    .expectNoEvents()
                    .expectResultMessagePayload(rejected(release, UNKNOWN_RESERVATION,
                            "reservation res-404 is not open"));
        }

        @Test
        void releasing_a_reservation_twice_is_rejected_the_second_time() {
            ReleaseReservationCommand second = new ReleaseReservationCommand("cmd-release-again", LEDGER, "res-1",
                    "double click");

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), purchased(ORG, 1_000), reserved("res-1", 40))
                    .andGivenCommands(release("res-1"))
                    .when(second)
                    .expectNoEvents()
                    .expectResultMessagePayloadMatching(rejectedFor(second, UNKNOWN_RESERVATION));
        }

        @Test
        void releasing_a_settled_reservation_is_rejected() {
            ReleaseReservationCommand release = release("res-1");

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), purchased(ORG, 1_000), reserved("res-1", 40))
                    .andGivenCommands(usage("res-1", 30))
                    .when(release)
                    .expectNoEvents()
                    .expectResultMessagePayloadMatching(rejectedFor(release, UNKNOWN_RESERVATION));
        }
    }

    @Nested
    class ExpireReservation {

        @Test
        void expiring_a_reservation_before_it_is_due_is_rejected() {
            ExpireReservationCommand expire = expire("res-1");

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), purchased(ORG, 1_000), reserved("res-1", 40))
                    .andGivenCurrentTime(EXPIRES_AT.minusSeconds(1))
                    .when(expire)
                    .expectNoEvents()
                    .expectResultMessagePayload(rejected(expire, RESERVATION_NOT_DUE,
                            "reservation res-1 expires at 2025-03-14T10:05:00Z"));
        }

        @Test
        void expiring_a_reservation_when_it_is_due_gives_back_its_credits() {
            ExpireReservationCommand expire = expire("res-1");

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), purchased(ORG, 1_000), reserved("res-1", 40))
                    .andGivenCurrentTime(EXPIRES_AT)
                    .when(expire)
                    .expectEvents(new ReservationExpiredEvent(LEDGER, expire.commandId(), EXPIRES_AT, "res-1", 40,
                            EXPIRES_AT))
                    .expectResultMessagePayload(accepted(expire, "ReservationExpired", 40));
        }

        @Test
        void expiring_a_reservation_after_it_is_due_gives_back_its_credits() {
            ExpireReservationCommand expire = expire("res-1");
            Instant anHourLate = EXPIRES_AT.plusSeconds(3_600);

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), purchased(ORG, 1_000), reserved("res-1", 40))
                    .andGivenCurrentTime(anHourLate)
                    .when(expire)
                    .expectEvents(new ReservationExpiredEvent(LEDGER, expire.commandId(), anHourLate, "res-1", 40,
                            EXPIRES_AT))
                    .expectResultMessagePayload(accepted(expire, "ReservationExpired", 40));
        }

        @Test
        void expired_credits_are_available_again() {
            ReserveCreditCommand again = reserve("res-2", 100);

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), purchased(ORG, 100), reserved("res-1", 100))
                    .andGivenCurrentTime(EXPIRES_AT)
                    .andGivenCommands(expire("res-1"))
                    .when(again)
                    .expectResultMessagePayload(accepted(again, "CreditReserved", 100));
        }

        @Test
        void expiring_an_unknown_reservation_is_rejected() {
            ExpireReservationCommand expire = expire("res-404");

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), purchased(ORG, 1_000))
                    .when(expire)
                    .expectNoEvents()
                    .expectResultMessagePayload(rejected(expire, UNKNOWN_RESERVATION,
                            "reservation res-404 is not open"));
        }

        @Test
        void expiring_a_reservation_that_was_settled_in_time_is_rejected() {
            ExpireReservationCommand expire = expire("res-1");

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), purchased(ORG, 1_000), reserved("res-1", 40))
                    .andGivenCommands(usage("res-1", 40))
                    .andGivenCurrentTime(EXPIRES_AT)
                    .when(expire)
                    .expectNoEvents()
                    .expectResultMessagePayloadMatching(rejectedFor(expire, UNKNOWN_RESERVATION));
        }
    }
}
