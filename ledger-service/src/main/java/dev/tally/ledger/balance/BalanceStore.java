package dev.tally.ledger.balance;

import dev.tally.events.ledger.AccountKind;
import dev.tally.events.ledger.BudgetPeriod;
import dev.tally.events.ledger.Priority;
import dev.tally.events.ledger.Scope;
import dev.tally.events.ledger.ScopeLevel;
import dev.tally.ledger.domain.LedgerChanges;
import dev.tally.ledger.domain.LedgerSnapshot;
import dev.tally.ledger.domain.LedgerSnapshot.AccountBalance;
import dev.tally.ledger.domain.LedgerSnapshot.BudgetWindow;
import dev.tally.ledger.domain.LedgerSnapshot.OpenReservation;
import dev.tally.ledger.domain.LedgerState;
import dev.tally.ledger.domain.LedgerStateJson;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The projection's tables: one row per account, open reservation and budget window, plus the folded state written
 * every so many events (a checkpoint).
 */
@Repository
public class BalanceStore {

    private final JdbcTemplate jdbc;

    public BalanceStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The ledger's last written state, or empty when the projection has not seen the ledger yet. */
    Optional<Checkpoint> checkpoint(String ledgerId) {
        return jdbc.query("SELECT state, state_events, events_applied FROM ledger_view WHERE ledger_id = ?",
                (rs, row) -> new Checkpoint(LedgerStateJson.read(rs.getBytes(1)), rs.getLong(2), rs.getLong(3)),
                ledgerId).stream().findFirst();
    }

    /** The state as written, holding the first {@code stateEvents} events; the rows hold {@code eventsApplied}. */
    record Checkpoint(LedgerState state, long stateEvents, long eventsApplied) {
    }

    public long eventsApplied(String ledgerId) {
        return jdbc.query("SELECT events_applied FROM ledger_view WHERE ledger_id = ?",
                (rs, row) -> rs.getLong(1), ledgerId).stream().findFirst().orElse(0L);
    }

    /**
     * Writes the rows {@code changes} names (a row that no longer exists is deleted) and the ledger's progress; the
     * folded state itself only when {@code withState}, as it is the whole ledger.
     */
    void write(LedgerState state, LedgerChanges changes, long eventsApplied, Instant lastEventAt, boolean withState) {
        if (!state.isOpen()) {
            return;
        }
        String ledgerId = state.ledgerId();
        if (withState) {
            jdbc.update("""
                    INSERT INTO ledger_view (ledger_id, critical_overdraft_limit, events_applied, last_event_at, state,
                        state_events) VALUES (?, ?, ?, ?, ?, ?)
                    ON CONFLICT (ledger_id) DO UPDATE SET critical_overdraft_limit = excluded.critical_overdraft_limit,
                        events_applied = excluded.events_applied, last_event_at = excluded.last_event_at,
                        state = excluded.state, state_events = excluded.state_events""",
                    ledgerId, state.criticalOverdraftLimit(), eventsApplied, Timestamp.from(lastEventAt),
                    LedgerStateJson.write(state), eventsApplied);
        } else {
            jdbc.update("""
                    UPDATE ledger_view SET critical_overdraft_limit = ?, events_applied = ?, last_event_at = ?
                    WHERE ledger_id = ?""",
                    state.criticalOverdraftLimit(), eventsApplied, Timestamp.from(lastEventAt), ledgerId);
        }
        writeAccounts(ledgerId, state, changes.accounts());
        writeReservations(ledgerId, state, changes.reservations());
        writeBudgets(ledgerId, state, changes.budgets());
    }

    private void writeAccounts(String ledgerId, LedgerState state, Collection<String> ids) {
        // Accounts are never closed: every id has a row.
        List<Object[]> rows = ids.stream().map(state::accountRow).flatMap(Optional::stream)
                .map(a -> new Object[] {ledgerId, a.accountId(), a.kind().name(), a.balance(), a.reserved()})
                .toList();
        batch("""
                INSERT INTO ledger_account (ledger_id, account_id, kind, balance, reserved) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (ledger_id, account_id) DO UPDATE SET kind = excluded.kind,
                    balance = excluded.balance, reserved = excluded.reserved""", rows);
    }

    private void writeReservations(String ledgerId, LedgerState state, Collection<String> ids) {
        List<Object[]> open = new ArrayList<>();
        List<Object[]> ended = new ArrayList<>();
        for (String id : ids) {
            state.reservationRow(id).ifPresentOrElse(
                    r -> open.add(new Object[] {ledgerId, r.reservationId(), r.credits(), r.priority().name(),
                            Timestamp.from(r.expiresAt())}),
                    () -> ended.add(new Object[] {ledgerId, id}));
        }
        batch("DELETE FROM ledger_reservation WHERE ledger_id = ? AND reservation_id = ?", ended);
        // A charged lease stays open with fewer credits, so an open reservation's row can change too.
        batch("""
                INSERT INTO ledger_reservation (ledger_id, reservation_id, credits, priority, expires_at)
                VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (ledger_id, reservation_id) DO UPDATE SET credits = excluded.credits,
                    priority = excluded.priority, expires_at = excluded.expires_at""", open);
    }

    private void writeBudgets(String ledgerId, LedgerState state, Collection<String> ids) {
        List<Object[]> present = new ArrayList<>();
        List<Object[]> removed = new ArrayList<>();
        for (String id : ids) {
            state.budgetRow(id).ifPresentOrElse(
                    b -> present.add(new Object[] {ledgerId, b.budgetId(), b.scope().level().name(), b.scope().id(),
                            b.period().name(), b.limitCredits(), java.sql.Date.valueOf(b.windowStart()),
                            b.chargedCredits(), b.reservedCredits()}),
                    () -> removed.add(new Object[] {ledgerId, id}));
        }
        batch("DELETE FROM ledger_budget WHERE ledger_id = ? AND budget_id = ?", removed);
        batch("""
                INSERT INTO ledger_budget (ledger_id, budget_id, scope_level, scope_id, period, limit_credits,
                    window_start, charged_credits, reserved_credits) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (ledger_id, budget_id) DO UPDATE SET scope_level = excluded.scope_level,
                    scope_id = excluded.scope_id, period = excluded.period, limit_credits = excluded.limit_credits,
                    window_start = excluded.window_start, charged_credits = excluded.charged_credits,
                    reserved_credits = excluded.reserved_credits""", present);
    }

    private void batch(String sql, List<Object[]> rows) {
        if (!rows.isEmpty()) {
            jdbc.batchUpdate(sql, rows);
        }
    }

    /** The projection's picture of a ledger, read from the tables (not from the stored state). */
    public Optional<LedgerSnapshot> read(String ledgerId) {
        List<Long> overdraft = jdbc.query("SELECT critical_overdraft_limit FROM ledger_view WHERE ledger_id = ?",
                (rs, row) -> rs.getLong(1), ledgerId);
        if (overdraft.isEmpty()) {
            return Optional.empty();
        }
        List<AccountBalance> accounts = jdbc.query("""
                SELECT account_id, kind, balance, reserved FROM ledger_account WHERE ledger_id = ? ORDER BY account_id""",
                (rs, row) -> new AccountBalance(rs.getString(1), AccountKind.valueOf(rs.getString(2)), rs.getLong(3),
                        rs.getLong(4)), ledgerId);
        List<OpenReservation> reservations = jdbc.query("""
                SELECT reservation_id, credits, priority, expires_at FROM ledger_reservation WHERE ledger_id = ?
                ORDER BY reservation_id""",
                (rs, row) -> new OpenReservation(rs.getString(1), rs.getLong(2), Priority.valueOf(rs.getString(3)),
                        rs.getTimestamp(4).toInstant()), ledgerId);
        List<BudgetWindow> budgets = jdbc.query("""
                SELECT budget_id, scope_level, scope_id, period, limit_credits, window_start, charged_credits,
                    reserved_credits FROM ledger_budget WHERE ledger_id = ? ORDER BY budget_id""",
                (rs, row) -> new BudgetWindow(rs.getString(1),
                        new Scope(ScopeLevel.valueOf(rs.getString(2)), rs.getString(3)),
                        BudgetPeriod.valueOf(rs.getString(4)), rs.getLong(5), rs.getDate(6).toLocalDate(),
                        rs.getLong(7), rs.getLong(8)), ledgerId);
        return Optional.of(new LedgerSnapshot(ledgerId, overdraft.get(0), accounts, reservations, budgets));
    }

    /** Open reservations whose time to live has passed, oldest first. */
    public List<String[]> overdueReservations(Instant now, int limit) {
        return jdbc.query("""
                SELECT ledger_id, reservation_id FROM ledger_reservation WHERE expires_at <= ?
                ORDER BY expires_at LIMIT ?""",
                (rs, row) -> new String[] {rs.getString(1), rs.getString(2)}, Timestamp.from(now), limit);
    }

    void deleteAll() {
        jdbc.update("TRUNCATE ledger_view, ledger_account, ledger_reservation, ledger_budget");
    }
}
