package dev.tally.analytics.projection;

import dev.tally.events.ledger.BalanceAdjustedEvent;
import dev.tally.events.ledger.BudgetDefinedEvent;
import dev.tally.events.ledger.BudgetExhaustedEvent;
import dev.tally.events.ledger.BudgetRemovedEvent;
import dev.tally.events.ledger.BudgetThresholdCrossedEvent;
import dev.tally.events.ledger.CreditReservedEvent;
import dev.tally.events.ledger.CreditsPurchasedEvent;
import dev.tally.events.ledger.CreditsRefundedEvent;
import dev.tally.events.ledger.CreditsTransferredEvent;
import dev.tally.events.ledger.LeaseChargedEvent;
import dev.tally.events.ledger.LedgerEvent;
import dev.tally.events.ledger.Leg;
import dev.tally.events.ledger.ReservationExpiredEvent;
import dev.tally.events.ledger.ReservationReleasedEvent;
import dev.tally.events.ledger.Scope;
import dev.tally.events.ledger.TransferRefusedEvent;
import dev.tally.events.ledger.UsageRecordedEvent;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * The rows that new ledger events add to or change in the projection tables, built in memory in topic order so that
 * {@link LedgerProjector} writes a whole poll with one statement per table.
 */
final class LedgerRows {

    final List<Entry> entries = new ArrayList<>();
    final List<Spend> spends = new ArrayList<>();
    final List<Transfer> transfers = new ArrayList<>();
    final List<Alert> alerts = new ArrayList<>();
    final ReservationChanges reservations = new ReservationChanges();
    final BudgetChanges budgets = new BudgetChanges();

    /** A movement on one account: one leg of a ledger event. */
    record Entry(String eventId, int leg, String orgId, String accountId, long delta, String kind,
            OffsetDateTime at) {
    }

    /** A charge as one scope of its chain sees it. */
    record Spend(String orgId, String scopeLevel, String scopeId, long credits, OffsetDateTime at) {
    }

    record Transfer(String eventId, String orgId, String fromAccountId, String toAccountId, long credits,
            String actor, String reason, boolean refused, OffsetDateTime at) {
    }

    record Alert(String eventId, String orgId, String budgetId, String kind, String scopeLevel, String scopeId,
            String period, LocalDate windowStart, Integer thresholdPercent, long spent, long limit,
            OffsetDateTime at) {
    }

    /** @param events events not projected before, in topic order */
    static LedgerRows of(List<LedgerEventRecord> events) {
        LedgerRows rows = new LedgerRows();
        events.forEach(r -> rows.add(r.eventId(), r.event()));
        return rows;
    }

    private void add(String id, LedgerEvent event) {
        if (event instanceof CreditsPurchasedEvent e) {
            entry(id, 0, e, e.accountId(), e.credits(), "PURCHASE");
        } else if (event instanceof BalanceAdjustedEvent e) {
            entry(id, 0, e, e.accountId(), e.deltaCredits(), "ADJUSTMENT");
        } else if (event instanceof CreditsRefundedEvent e) {
            entry(id, 0, e, e.accountId(), e.credits(), "REFUND");
        } else if (event instanceof CreditsTransferredEvent e) {
            entry(id, 0, e, e.fromAccountId(), -e.credits(), "TRANSFER");
            entry(id, 1, e, e.toAccountId(), e.credits(), "TRANSFER");
            transfers.add(new Transfer(id, e.ledgerId(), e.fromAccountId(), e.toAccountId(), e.credits(), e.actor(),
                    e.reason(), false, time(e.occurredAt())));
        } else if (event instanceof TransferRefusedEvent e) {
            transfers.add(new Transfer(id, e.ledgerId(), e.fromAccountId(), e.toAccountId(), e.credits(), null,
                    e.reason().name() + (e.detail() == null ? "" : ": " + e.detail()), true, time(e.occurredAt())));
        } else if (event instanceof BudgetDefinedEvent e) {
            budgets.define(e);
        } else if (event instanceof BudgetRemovedEvent e) {
            budgets.remove(e.budgetId());
        } else if (event instanceof CreditReservedEvent e) {
            reservations.open(e.reservationId(), e.ledgerId(), e.credits(), time(e.occurredAt()));
        } else if (event instanceof UsageRecordedEvent e) {
            charge(id, e, withOverdraft(e.charges(), e.overdraftAccountId(), e.overdraftCredits()), e.scopeChain(),
                    e.chargedCredits());
            reservations.close(e.reservationId());
        } else if (event instanceof LeaseChargedEvent e) {
            // A lease stays open after a charge: it holds only what is left until it is released or expires.
            charge(id, e, withOverdraft(e.charges(), e.overdraftAccountId(), e.overdraftCredits()), e.scopeChain(),
                    e.chargedCredits());
            reservations.holdOnly(e.reservationId(), e.remainingCredits());
        } else if (event instanceof ReservationReleasedEvent e) {
            reservations.close(e.reservationId());
        } else if (event instanceof ReservationExpiredEvent e) {
            reservations.close(e.reservationId());
        } else if (event instanceof BudgetThresholdCrossedEvent e) {
            alerts.add(new Alert(id, e.ledgerId(), e.budgetId(), "THRESHOLD", e.scope().level().name(),
                    e.scope().id(), e.period().name(), e.windowStart(), e.thresholdPercent(), e.spentCredits(),
                    e.limitCredits(), time(e.occurredAt())));
        } else if (event instanceof BudgetExhaustedEvent e) {
            alerts.add(new Alert(id, e.ledgerId(), e.budgetId(), "EXHAUSTED", e.scope().level().name(),
                    e.scope().id(), e.period().name(), e.windowStart(), null, e.spentCredits(), e.limitCredits(),
                    time(e.occurredAt())));
        }
        // Opening ledgers and accounts moves no credits; refused reservations show in the gateway's records.
    }

    /**
     * A charge's legs and, after them, the overdraft: the part of the cost beyond the hold, charged to one account
     * outside the hold, so the entries of an account sum to what it paid. {@code charged_credits} already includes it.
     */
    private static List<Leg> withOverdraft(List<Leg> legs, String accountId, long overdraft) {
        if (overdraft == 0) {
            return legs;
        }
        List<Leg> all = new ArrayList<>(legs);
        all.add(new Leg(accountId, overdraft));
        return all;
    }

    /** A charge of usage or of a lease: the same ledger entries and the same spend on every scope of its chain. */
    private void charge(String id, LedgerEvent e, List<Leg> legs, List<Scope> chain, long charged) {
        for (int i = 0; i < legs.size(); i++) {
            entry(id, i, e, legs.get(i).accountId(), -legs.get(i).credits(), "CHARGE");
        }
        if (charged == 0) {
            return;
        }
        // A scope may appear twice in a chain (e.g. a project that is also the member's own); count it once.
        for (Scope scope : new LinkedHashSet<>(chain == null ? List.<Scope>of() : chain)) {
            spends.add(new Spend(e.ledgerId(), scope.level().name(), scope.id(), charged, time(e.occurredAt())));
        }
    }

    private void entry(String id, int leg, LedgerEvent e, String accountId, long delta, String kind) {
        entries.add(new Entry(id, leg, e.ledgerId(), accountId, delta, kind, time(e.occurredAt())));
    }

    static OffsetDateTime time(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
