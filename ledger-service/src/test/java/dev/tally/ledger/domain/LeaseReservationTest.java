package dev.tally.ledger.domain;

import dev.tally.events.ledger.BudgetExhaustedEvent;
import dev.tally.events.ledger.BudgetPeriod;
import dev.tally.events.ledger.CommandAcceptedReply;
import dev.tally.events.ledger.CommandRejectedReply;
import dev.tally.events.ledger.CreditReservedEvent;
import dev.tally.events.ledger.LedgerEvent;
import dev.tally.events.ledger.Priority;
import dev.tally.events.ledger.RejectionReason;
import dev.tally.events.ledger.ReserveCreditCommand;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.tally.ledger.domain.LedgerTestKit.ALICE_SCOPE;
import static dev.tally.ledger.domain.LedgerTestKit.CHAIN;
import static dev.tally.ledger.domain.LedgerTestKit.LEDGER;
import static dev.tally.ledger.domain.LedgerTestKit.NOW;
import static dev.tally.ledger.domain.LedgerTestKit.ORG;
import static dev.tally.ledger.domain.LedgerTestKit.TTL_SECONDS;
import static dev.tally.ledger.domain.LedgerTestKit.budgetDefined;
import static dev.tally.ledger.domain.LedgerTestKit.ledgerOpened;
import static dev.tally.ledger.domain.LedgerTestKit.purchased;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A reservation with a minimum (a gateway's credit lease) holds as much as fits between the minimum and what was asked,
 * and is refused only when not even the minimum fits: so a lease near a budget's end neither fails needlessly nor
 * reports the budget exhausted while the request it was for still fits.
 */
class LeaseReservationTest {

    private static ReserveCreditCommand lease(String id, long upTo, long atLeast, Priority priority) {
        return new ReserveCreditCommand("cmd-" + id, LEDGER, id, CHAIN, List.of(ORG), upTo, priority, TTL_SECONDS,
                atLeast);
    }

    private static LedgerState ledger(long purchased, long overdraft, LedgerEvent... more) {
        LedgerState state = new LedgerState();
        state.apply(ledgerOpened(overdraft));
        if (purchased > 0) {
            state.apply(purchased(ORG, purchased));
        }
        for (LedgerEvent event : more) {
            state.apply(event);
        }
        return state;
    }

    private static long granted(Decision decision) {
        assertThat(decision.reply()).isInstanceOf(CommandAcceptedReply.class);
        CreditReservedEvent reserved = (CreditReservedEvent) decision.events().get(0);
        assertThat(((CommandAcceptedReply) decision.reply()).credits()).isEqualTo(reserved.credits());
        return reserved.credits();
    }

    @Test
    void a_lease_gets_what_is_asked_when_everything_fits() {
        assertThat(granted(LedgerRules.decide(ledger(1_000, 0), lease("l1", 50, 5, Priority.NORMAL), NOW)))
                .isEqualTo(50);
    }

    @Test
    void a_lease_is_cut_to_the_room_left_in_the_tightest_budget() {
        LedgerState state = ledger(1_000, 0, budgetDefined("b-alice", ALICE_SCOPE, BudgetPeriod.MONTHLY, 30));
        Decision first = LedgerRules.decide(state, lease("l1", 50, 5, Priority.NORMAL), NOW);
        assertThat(granted(first)).isEqualTo(30);
        first.events().forEach(state::apply);

        assertThat(state.snapshot().budgets()).singleElement()
                .satisfies(b -> assertThat(b.reservedCredits()).isEqualTo(30));
    }

    @Test
    void a_lease_is_cut_to_what_the_accounts_hold() {
        assertThat(granted(LedgerRules.decide(ledger(12, 0), lease("l1", 50, 5, Priority.NORMAL), NOW)))
                .isEqualTo(12);
    }

    @Test
    void a_critical_lease_may_take_the_overdraft_room_too() {
        assertThat(granted(LedgerRules.decide(ledger(10, 20), lease("l1", 50, 5, Priority.CRITICAL), NOW)))
                .isEqualTo(30);
    }

    @Test
    void a_lease_is_refused_only_below_its_minimum_and_then_the_budget_is_reported_exhausted_for_that_minimum() {
        LedgerState state = ledger(1_000, 0, budgetDefined("b-alice", ALICE_SCOPE, BudgetPeriod.MONTHLY, 30));
        LedgerRules.decide(state, lease("l1", 27, 27, Priority.NORMAL), NOW).events().forEach(state::apply);

        Decision fits = LedgerRules.decide(state, lease("l2", 50, 3, Priority.NORMAL), NOW);
        assertThat(granted(fits)).isEqualTo(3);
        assertThat(fits.events()).noneMatch(BudgetExhaustedEvent.class::isInstance);

        Decision refused = LedgerRules.decide(state, lease("l3", 50, 4, Priority.NORMAL), NOW);
        assertThat(refused.reply()).isInstanceOfSatisfying(CommandRejectedReply.class, r -> {
            assertThat(r.reason()).isEqualTo(RejectionReason.BUDGET_EXCEEDED);
            assertThat(r.detail()).contains("3 of 30 credits left, 4 requested");
        });
        assertThat(refused.events()).hasAtLeastOneElementOfType(BudgetExhaustedEvent.class);
    }

    @Test
    void without_a_minimum_a_reservation_is_all_or_nothing_as_before() {
        LedgerState state = ledger(1_000, 0, budgetDefined("b-alice", ALICE_SCOPE, BudgetPeriod.MONTHLY, 30));
        Decision decision = LedgerRules.decide(state, lease("r1", 50, 0, Priority.NORMAL), NOW);
        assertThat(decision.reply()).isInstanceOfSatisfying(CommandRejectedReply.class,
                r -> assertThat(r.reason()).isEqualTo(RejectionReason.BUDGET_EXCEEDED));
    }

    @Test
    void accounts_that_cannot_cover_the_minimum_refuse_the_lease() {
        Decision decision = LedgerRules.decide(ledger(4, 0), lease("l1", 50, 5, Priority.NORMAL), NOW);
        assertThat(decision.reply()).isInstanceOfSatisfying(CommandRejectedReply.class, r -> {
            assertThat(r.reason()).isEqualTo(RejectionReason.INSUFFICIENT_CREDITS);
            assertThat(r.detail()).contains("cannot cover 5 credits");
        });
    }
}
