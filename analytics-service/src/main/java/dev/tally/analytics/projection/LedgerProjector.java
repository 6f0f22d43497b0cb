package dev.tally.analytics.projection;

import dev.tally.events.ledger.BudgetDefinedEvent;
import dev.tally.events.ledger.LedgerMessageTypes;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static dev.tally.analytics.projection.Columns.of;

/**
 * Projects ledger events into the tables, a whole poll in one transaction with the rows that mark their event ids
 * processed: one multi-row statement per table instead of a transaction and several round trips per event. A
 * re-delivered event (Kafka is at-least-once; the ledger re-sends with the same {@code ce_id}) finds its id and
 * changes nothing, whether it was projected in an earlier poll or earlier in the same one.
 */
@Component
public class LedgerProjector {

    private final DatabaseClient db;
    private final TransactionalOperator tx;

    public LedgerProjector(DatabaseClient db, TransactionalOperator tx) {
        this.db = db;
        this.tx = tx;
    }

    /**
     * @param records events in topic order
     * @return how many were new
     */
    public Mono<Integer> project(List<LedgerEventRecord> records) {
        List<LedgerEventRecord> distinct = firstOfEachId(records);
        if (distinct.isEmpty()) {
            return Mono.just(0);
        }
        Mono<Integer> work = markProcessed(distinct).flatMap(fresh -> {
            List<LedgerEventRecord> news = distinct.stream().filter(r -> fresh.contains(r.eventId())).toList();
            return write(LedgerRows.of(news)).thenReturn(news.size());
        });
        return tx.transactional(work);
    }

    /** A poll may hold an event and its re-send: the first one counts. */
    private static List<LedgerEventRecord> firstOfEachId(List<LedgerEventRecord> records) {
        Map<String, LedgerEventRecord> first = new LinkedHashMap<>();
        records.forEach(r -> first.putIfAbsent(r.eventId(), r));
        return new ArrayList<>(first.values());
    }

    /** @return the ids that were not processed before */
    private Mono<Set<String>> markProcessed(List<LedgerEventRecord> records) {
        return db.sql("""
                        insert into processed_event (event_id, org_id, event_type)
                        select * from unnest(cast(:ids as text[]), cast(:orgs as text[]), cast(:types as text[]))
                        on conflict (event_id) do nothing
                        returning event_id""")
                .bind("ids", of(records, LedgerEventRecord::eventId, String[]::new))
                .bind("orgs", of(records, r -> r.event().ledgerId(), String[]::new))
                .bind("types", of(records, r -> LedgerMessageTypes.nameOf(r.event()), String[]::new))
                .map(row -> row.get(0, String.class)).all().collect(Collectors.toCollection(HashSet::new));
    }

    private Mono<Void> write(LedgerRows rows) {
        return entries(rows.entries).then(spends(rows.spends)).then(transfers(rows.transfers))
                .then(alerts(rows.alerts)).then(budgets(rows.budgets)).then(reservations(rows.reservations));
    }

    private Mono<Void> entries(List<LedgerRows.Entry> rows) {
        if (rows.isEmpty()) {
            return Mono.empty();
        }
        return db.sql("""
                        insert into ledger_entry (event_id, leg, org_id, account_id, delta, kind, occurred_at)
                        select * from unnest(cast(:ids as text[]), cast(:legs as int[]), cast(:orgs as text[]),
                            cast(:accounts as text[]), cast(:deltas as bigint[]), cast(:kinds as text[]),
                            cast(:ats as timestamptz[]))""")
                .bind("ids", of(rows, LedgerRows.Entry::eventId, String[]::new))
                .bind("legs", of(rows, LedgerRows.Entry::leg, Integer[]::new))
                .bind("orgs", of(rows, LedgerRows.Entry::orgId, String[]::new))
                .bind("accounts", of(rows, LedgerRows.Entry::accountId, String[]::new))
                .bind("deltas", of(rows, LedgerRows.Entry::delta, Long[]::new))
                .bind("kinds", of(rows, LedgerRows.Entry::kind, String[]::new))
                .bind("ats", of(rows, LedgerRows.Entry::at, OffsetDateTime[]::new))
                .then();
    }

    /**
     * Adds the poll's spends to their scopes' seconds (one row per scope and second, however many charges it had):
     * folded here first, since one statement may not update a row twice.
     */
    private Mono<Void> spends(List<LedgerRows.Spend> rows) {
        if (rows.isEmpty()) {
            return Mono.empty();
        }
        List<SecondOfSpend> seconds = SecondOfSpend.fold(rows);
        return db.sql("""
                        insert into scope_spend (org_id, scope_level, scope_id, at_second, credits, last_at)
                        select * from unnest(cast(:orgs as text[]), cast(:levels as text[]), cast(:scopes as text[]),
                            cast(:seconds as timestamptz[]), cast(:credits as bigint[]), cast(:lasts as timestamptz[]))
                        on conflict (org_id, scope_level, scope_id, at_second) do update
                        set credits = scope_spend.credits + excluded.credits,
                            last_at = greatest(scope_spend.last_at, excluded.last_at)""")
                .bind("orgs", of(seconds, SecondOfSpend::orgId, String[]::new))
                .bind("levels", of(seconds, SecondOfSpend::scopeLevel, String[]::new))
                .bind("scopes", of(seconds, SecondOfSpend::scopeId, String[]::new))
                .bind("seconds", of(seconds, SecondOfSpend::second, OffsetDateTime[]::new))
                .bind("credits", of(seconds, SecondOfSpend::credits, Long[]::new))
                .bind("lasts", of(seconds, SecondOfSpend::lastAt, OffsetDateTime[]::new))
                .then();
    }

    private Mono<Void> transfers(List<LedgerRows.Transfer> rows) {
        if (rows.isEmpty()) {
            return Mono.empty();
        }
        return db.sql("""
                        insert into transfer (event_id, org_id, from_account_id, to_account_id, credits, actor, reason,
                                              refused, occurred_at)
                        select * from unnest(cast(:ids as text[]), cast(:orgs as text[]), cast(:froms as text[]),
                            cast(:tos as text[]), cast(:credits as bigint[]), cast(:actors as text[]),
                            cast(:reasons as text[]), cast(:refused as boolean[]), cast(:ats as timestamptz[]))""")
                .bind("ids", of(rows, LedgerRows.Transfer::eventId, String[]::new))
                .bind("orgs", of(rows, LedgerRows.Transfer::orgId, String[]::new))
                .bind("froms", of(rows, LedgerRows.Transfer::fromAccountId, String[]::new))
                .bind("tos", of(rows, LedgerRows.Transfer::toAccountId, String[]::new))
                .bind("credits", of(rows, LedgerRows.Transfer::credits, Long[]::new))
                .bind("actors", of(rows, LedgerRows.Transfer::actor, String[]::new))
                .bind("reasons", of(rows, LedgerRows.Transfer::reason, String[]::new))
                .bind("refused", of(rows, LedgerRows.Transfer::refused, Boolean[]::new))
                .bind("ats", of(rows, LedgerRows.Transfer::at, OffsetDateTime[]::new))
                .then();
    }

    private Mono<Void> alerts(List<LedgerRows.Alert> rows) {
        if (rows.isEmpty()) {
            return Mono.empty();
        }
        return db.sql("""
                        insert into budget_alert (event_id, org_id, budget_id, kind, scope_level, scope_id, period,
                                                  window_start, threshold_percent, spent_credits, limit_credits,
                                                  occurred_at)
                        select * from unnest(cast(:ids as text[]), cast(:orgs as text[]), cast(:budgets as text[]),
                            cast(:kinds as text[]), cast(:levels as text[]), cast(:scopes as text[]),
                            cast(:periods as text[]), cast(:windows as date[]), cast(:thresholds as int[]),
                            cast(:spent as bigint[]), cast(:limits as bigint[]), cast(:ats as timestamptz[]))""")
                .bind("ids", of(rows, LedgerRows.Alert::eventId, String[]::new))
                .bind("orgs", of(rows, LedgerRows.Alert::orgId, String[]::new))
                .bind("budgets", of(rows, LedgerRows.Alert::budgetId, String[]::new))
                .bind("kinds", of(rows, LedgerRows.Alert::kind, String[]::new))
                .bind("levels", of(rows, LedgerRows.Alert::scopeLevel, String[]::new))
                .bind("scopes", of(rows, LedgerRows.Alert::scopeId, String[]::new))
                .bind("periods", of(rows, LedgerRows.Alert::period, String[]::new))
                .bind("windows", of(rows, LedgerRows.Alert::windowStart, LocalDate[]::new))
                .bind("thresholds", of(rows, LedgerRows.Alert::thresholdPercent, Integer[]::new))
                .bind("spent", of(rows, LedgerRows.Alert::spent, Long[]::new))
                .bind("limits", of(rows, LedgerRows.Alert::limit, Long[]::new))
                .bind("ats", of(rows, LedgerRows.Alert::at, OffsetDateTime[]::new))
                .then();
    }

    private Mono<Void> budgets(BudgetChanges changes) {
        List<BudgetChanges.Change> definitions = changes.definitions();
        List<String> removals = changes.removals();
        Mono<Void> define = definitions.isEmpty() ? Mono.empty() : db.sql("""
                        insert into budget (budget_id, org_id, scope_level, scope_id, period, limit_credits,
                                            thresholds_percent, auto_disable, removed, defined_at)
                        select * from unnest(cast(:ids as text[]), cast(:orgs as text[]), cast(:levels as text[]),
                            cast(:scopes as text[]), cast(:periods as text[]), cast(:limits as bigint[]),
                            cast(:thresholds as text[]), cast(:autos as boolean[]), cast(:removed as boolean[]),
                            cast(:ats as timestamptz[]))
                        on conflict (budget_id) do update set scope_level = excluded.scope_level,
                            scope_id = excluded.scope_id, period = excluded.period,
                            limit_credits = excluded.limit_credits, thresholds_percent = excluded.thresholds_percent,
                            auto_disable = excluded.auto_disable, removed = excluded.removed,
                            defined_at = excluded.defined_at""")
                .bind("ids", of(definitions, c -> c.definition().budgetId(), String[]::new))
                .bind("orgs", of(definitions, c -> c.definition().ledgerId(), String[]::new))
                .bind("levels", of(definitions, c -> c.definition().scope().level().name(), String[]::new))
                .bind("scopes", of(definitions, c -> c.definition().scope().id(), String[]::new))
                .bind("periods", of(definitions, c -> c.definition().period().name(), String[]::new))
                .bind("limits", of(definitions, c -> c.definition().limitCredits(), Long[]::new))
                .bind("thresholds", of(definitions, c -> thresholds(c.definition()), String[]::new))
                .bind("autos", of(definitions, c -> c.definition().autoDisable(), Boolean[]::new))
                .bind("removed", of(definitions, BudgetChanges.Change::removed, Boolean[]::new))
                .bind("ats", of(definitions, c -> LedgerRows.time(c.definition().occurredAt()),
                        OffsetDateTime[]::new))
                .then();
        Mono<Void> remove = removals.isEmpty() ? Mono.empty()
                : db.sql("update budget set removed = true where budget_id = any(cast(:ids as text[]))")
                        .bind("ids", removals.toArray(String[]::new)).then();
        return define.then(remove);
    }

    /** Closes, then lease charges of rows open before the poll, then opens: see {@link ReservationChanges}. */
    private Mono<Void> reservations(ReservationChanges changes) {
        List<String> closes = changes.closes();
        List<ReservationChanges.Opening> updates = changes.updates();
        List<ReservationChanges.Opening> openings = changes.openings();
        Mono<Void> close = closes.isEmpty() ? Mono.empty()
                : db.sql("delete from open_reservation where reservation_id = any(cast(:ids as text[]))")
                        .bind("ids", closes.toArray(String[]::new)).then();
        Mono<Void> update = updates.isEmpty() ? Mono.empty() : db.sql("""
                        update open_reservation r set credits = u.credits
                        from unnest(cast(:ids as text[]), cast(:credits as bigint[])) as u(id, credits)
                        where r.reservation_id = u.id""")
                .bind("ids", of(updates, ReservationChanges.Opening::reservationId, String[]::new))
                .bind("credits", of(updates, ReservationChanges.Opening::credits, Long[]::new))
                .then();
        Mono<Void> open = openings.isEmpty() ? Mono.empty() : db.sql("""
                        insert into open_reservation (reservation_id, org_id, credits, reserved_at)
                        select * from unnest(cast(:ids as text[]), cast(:orgs as text[]), cast(:credits as bigint[]),
                            cast(:ats as timestamptz[]))
                        on conflict (reservation_id) do nothing""")
                .bind("ids", of(openings, ReservationChanges.Opening::reservationId, String[]::new))
                .bind("orgs", of(openings, ReservationChanges.Opening::orgId, String[]::new))
                .bind("credits", of(openings, ReservationChanges.Opening::credits, Long[]::new))
                .bind("ats", of(openings, ReservationChanges.Opening::reservedAt, OffsetDateTime[]::new))
                .then();
        return close.then(update).then(open);
    }

    private static String thresholds(BudgetDefinedEvent e) {
        return e.thresholdsPercent() == null ? "" : e.thresholdsPercent().stream().map(String::valueOf)
                .collect(Collectors.joining(","));
    }
}
