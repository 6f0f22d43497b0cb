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
import dev.tally.events.ledger.LedgerMessageTypes;
import dev.tally.events.ledger.Leg;
import dev.tally.events.ledger.ReservationExpiredEvent;
import dev.tally.events.ledger.ReservationReleasedEvent;
import dev.tally.events.ledger.Scope;
import dev.tally.events.ledger.TransferRefusedEvent;
import dev.tally.events.ledger.UsageRecordedEvent;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.Parameter;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Projects one ledger event into the tables, in one transaction with the row that marks its event id processed.
 * A re-delivered event (Kafka is at-least-once; the ledger re-sends with the same {@code ce_id}) finds its id and
 * changes nothing.
 */
@Component
public class LedgerProjector {

    private final DatabaseClient db;
    private final TransactionalOperator tx;

    public LedgerProjector(DatabaseClient db, TransactionalOperator tx) {
        this.db = db;
        this.tx = tx;
    }

    /** @return whether the event was new */
    public Mono<Boolean> project(String eventId, LedgerEvent event) {
        Mono<Boolean> work = db.sql("""
                        insert into processed_event (event_id, org_id, event_type) values (:id, :org, :type)
                        on conflict (event_id) do nothing""")
                .bind("id", eventId).bind("org", event.ledgerId())
                .bind("type", LedgerMessageTypes.nameOf(event))
                .fetch().rowsUpdated()
                .flatMap(inserted -> inserted == 0 ? Mono.just(false) : apply(eventId, event).thenReturn(true));
        return tx.transactional(work);
    }

    private Mono<Void> apply(String id, LedgerEvent event) {
        if (event instanceof CreditsPurchasedEvent e) {
            return entry(id, 0, e, e.accountId(), e.credits(), "PURCHASE");
        } else if (event instanceof BalanceAdjustedEvent e) {
            return entry(id, 0, e, e.accountId(), e.deltaCredits(), "ADJUSTMENT");
        } else if (event instanceof CreditsRefundedEvent e) {
            return entry(id, 0, e, e.accountId(), e.credits(), "REFUND");
        } else if (event instanceof CreditsTransferredEvent e) {
            return entry(id, 0, e, e.fromAccountId(), -e.credits(), "TRANSFER")
                    .then(entry(id, 1, e, e.toAccountId(), e.credits(), "TRANSFER"))
                    .then(transfer(id, e, e.fromAccountId(), e.toAccountId(), e.credits(), e.actor(), e.reason(),
                            false));
        } else if (event instanceof TransferRefusedEvent e) {
            return transfer(id, e, e.fromAccountId(), e.toAccountId(), e.credits(), null,
                    e.reason().name() + (e.detail() == null ? "" : ": " + e.detail()), true);
        } else if (event instanceof BudgetDefinedEvent e) {
            return budget(e);
        } else if (event instanceof BudgetRemovedEvent e) {
            return db.sql("update budget set removed = true where budget_id = :id").bind("id", e.budgetId()).then();
        } else if (event instanceof CreditReservedEvent e) {
            return db.sql("""
                            insert into open_reservation (reservation_id, org_id, credits, reserved_at)
                            values (:id, :org, :credits, :at) on conflict (reservation_id) do nothing""")
                    .bind("id", e.reservationId()).bind("org", e.ledgerId()).bind("credits", e.credits())
                    .bind("at", time(e.occurredAt())).then();
        } else if (event instanceof UsageRecordedEvent e) {
            return charge(id, e, e.charges(), e.scopeChain(), e.chargedCredits())
                    .then(closeReservation(e.reservationId()));
        } else if (event instanceof LeaseChargedEvent e) {
            // A lease stays open after a charge: it holds only what is left until it is released or expires.
            return charge(id, e, e.charges(), e.scopeChain(), e.chargedCredits())
                    .then(holdOnly(e.reservationId(), e.remainingCredits()));
        } else if (event instanceof ReservationReleasedEvent e) {
            return closeReservation(e.reservationId());
        } else if (event instanceof ReservationExpiredEvent e) {
            return closeReservation(e.reservationId());
        } else if (event instanceof BudgetThresholdCrossedEvent e) {
            return alert(id, e, e.budgetId(), "THRESHOLD", e.scope(), e.period().name(), e.windowStart(),
                    e.thresholdPercent(), e.spentCredits(), e.limitCredits());
        } else if (event instanceof BudgetExhaustedEvent e) {
            return alert(id, e, e.budgetId(), "EXHAUSTED", e.scope(), e.period().name(), e.windowStart(), null,
                    e.spentCredits(), e.limitCredits());
        }
        // Opening ledgers and accounts moves no credits; refused reservations show in the gateway's records.
        return Mono.empty();
    }

    /** A charge of usage or of a lease: the same ledger entries and the same spend on every scope of its chain. */
    private Mono<Void> charge(String id, LedgerEvent e, List<Leg> legs, List<Scope> chain, long charged) {
        Mono<Void> charges = Flux.range(0, legs.size())
                .concatMap(i -> entry(id, i, e, legs.get(i).accountId(), -legs.get(i).credits(), "CHARGE"))
                .then();
        // A scope may appear twice in a chain (e.g. a project that is also the member's own); count it once.
        List<Scope> scopes = List.copyOf(new LinkedHashSet<>(chain == null ? List.of() : chain));
        Mono<Void> spend = charged == 0 ? Mono.empty() : Flux.fromIterable(scopes)
                .concatMap(scope -> db.sql("""
                                insert into scope_spend (event_id, org_id, scope_level, scope_id, credits, occurred_at)
                                values (:id, :org, :level, :scope, :credits, :at)""")
                        .bind("id", id).bind("org", e.ledgerId()).bind("level", scope.level().name())
                        .bind("scope", scope.id()).bind("credits", charged)
                        .bind("at", time(e.occurredAt())).then())
                .then();
        return charges.then(spend);
    }

    private Mono<Void> entry(String id, int leg, LedgerEvent e, String accountId, long delta, String kind) {
        return db.sql("""
                        insert into ledger_entry (event_id, leg, org_id, account_id, delta, kind, occurred_at)
                        values (:id, :leg, :org, :account, :delta, :kind, :at)""")
                .bind("id", id).bind("leg", leg).bind("org", e.ledgerId()).bind("account", accountId)
                .bind("delta", delta).bind("kind", kind).bind("at", time(e.occurredAt())).then();
    }

    private Mono<Void> transfer(String id, LedgerEvent e, String from, String to, long credits, String actor,
            String reason, boolean refused) {
        return db.sql("""
                        insert into transfer (event_id, org_id, from_account_id, to_account_id, credits, actor, reason,
                                              refused, occurred_at)
                        values (:id, :org, :from, :to, :credits, :actor, :reason, :refused, :at)""")
                .bind("id", id).bind("org", e.ledgerId()).bind("from", from).bind("to", to).bind("credits", credits)
                .bind("actor", Parameter.fromOrEmpty(actor, String.class))
                .bind("reason", Parameter.fromOrEmpty(reason, String.class))
                .bind("refused", refused).bind("at", time(e.occurredAt())).then();
    }

    private Mono<Void> budget(BudgetDefinedEvent e) {
        String thresholds = e.thresholdsPercent() == null ? "" : e.thresholdsPercent().stream()
                .map(String::valueOf).collect(Collectors.joining(","));
        return db.sql("""
                        insert into budget (budget_id, org_id, scope_level, scope_id, period, limit_credits,
                                            thresholds_percent, auto_disable, removed, defined_at)
                        values (:id, :org, :level, :scope, :period, :limit, :thresholds, :auto, false, :at)
                        on conflict (budget_id) do update set scope_level = excluded.scope_level,
                            scope_id = excluded.scope_id, period = excluded.period,
                            limit_credits = excluded.limit_credits, thresholds_percent = excluded.thresholds_percent,
                            auto_disable = excluded.auto_disable, removed = false, defined_at = excluded.defined_at""")
                .bind("id", e.budgetId()).bind("org", e.ledgerId()).bind("level", e.scope().level().name())
                .bind("scope", e.scope().id()).bind("period", e.period().name()).bind("limit", e.limitCredits())
                .bind("thresholds", thresholds).bind("auto", e.autoDisable()).bind("at", time(e.occurredAt()))
                .then();
    }

    private Mono<Void> alert(String id, LedgerEvent e, String budgetId, String kind, Scope scope, String period,
            LocalDate windowStart, Integer threshold, long spent, long limit) {
        return db.sql("""
                        insert into budget_alert (event_id, org_id, budget_id, kind, scope_level, scope_id, period,
                                                  window_start, threshold_percent, spent_credits, limit_credits,
                                                  occurred_at)
                        values (:id, :org, :budget, :kind, :level, :scope, :period, :window, :threshold, :spent,
                                :limit, :at)""")
                .bind("id", id).bind("org", e.ledgerId()).bind("budget", budgetId).bind("kind", kind)
                .bind("level", scope.level().name()).bind("scope", scope.id()).bind("period", period)
                .bind("window", windowStart).bind("threshold", Parameter.fromOrEmpty(threshold, Integer.class))
                .bind("spent", spent).bind("limit", limit).bind("at", time(e.occurredAt())).then();
    }

    private Mono<Void> holdOnly(String reservationId, long credits) {
        return db.sql("update open_reservation set credits = :credits where reservation_id = :id")
                .bind("credits", credits).bind("id", reservationId).then();
    }

    private Mono<Void> closeReservation(String reservationId) {
        return db.sql("delete from open_reservation where reservation_id = :id").bind("id", reservationId).then();
    }

    static OffsetDateTime time(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
