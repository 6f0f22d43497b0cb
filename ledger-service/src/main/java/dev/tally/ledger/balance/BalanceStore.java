package dev.tally.ledger.balance;

import dev.tally.events.ledger.AccountKind;
import dev.tally.events.ledger.BudgetPeriod;
import dev.tally.events.ledger.Priority;
import dev.tally.events.ledger.Scope;
import dev.tally.events.ledger.ScopeLevel;
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
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The projection's tables: one row per account, open reservation and budget window, plus the folded state. */
@Repository
public class BalanceStore {

    private final JdbcTemplate jdbc;

    public BalanceStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    Optional<LedgerState> loadState(String ledgerId) {
        return jdbc.query("SELECT state FROM ledger_view WHERE ledger_id = ?",
                (rs, row) -> LedgerStateJson.read(rs.getBytes(1)), ledgerId).stream().findFirst();
    }

    public long eventsApplied(String ledgerId) {
        return jdbc.query("SELECT events_applied FROM ledger_view WHERE ledger_id = ?",
                (rs, row) -> rs.getLong(1), ledgerId).stream().findFirst().orElse(0L);
    }

    void write(LedgerSnapshot before, LedgerState state, long eventsApplied, Instant lastEventAt) {
        if (!state.isOpen()) {
            return;
        }
        LedgerSnapshot after = state.snapshot();
        String ledgerId = after.ledgerId();
        jdbc.update("""
                INSERT INTO ledger_view (ledger_id, critical_overdraft_limit, events_applied, last_event_at, state)
                VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (ledger_id) DO UPDATE SET critical_overdraft_limit = excluded.critical_overdraft_limit,
                    events_applied = excluded.events_applied, last_event_at = excluded.last_event_at,
                    state = excluded.state""",
                ledgerId, after.criticalOverdraftLimit(), eventsApplied, Timestamp.from(lastEventAt),
                LedgerStateJson.write(state));
        LedgerSnapshot old = before != null ? before : new LedgerSnapshot(ledgerId, 0, List.of(), List.of(), List.of());
        writeAccounts(ledgerId, old.accounts(), after.accounts());
        writeReservations(ledgerId, old.reservations(), after.reservations());
        writeBudgets(ledgerId, old.budgets(), after.budgets());
    }

    private void writeAccounts(String ledgerId, List<AccountBalance> before, List<AccountBalance> after) {
        Map<String, AccountBalance> old = index(before, AccountBalance::accountId);
        for (AccountBalance account : after) {
            if (!account.equals(old.get(account.accountId()))) {
                jdbc.update("""
                        INSERT INTO ledger_account (ledger_id, account_id, kind, balance, reserved) VALUES (?, ?, ?, ?, ?)
                        ON CONFLICT (ledger_id, account_id) DO UPDATE SET kind = excluded.kind,
                            balance = excluded.balance, reserved = excluded.reserved""",
                        ledgerId, account.accountId(), account.kind().name(), account.balance(), account.reserved());
            }
        }
    }

    private void writeReservations(String ledgerId, List<OpenReservation> before, List<OpenReservation> after) {
        Map<String, OpenReservation> now = index(after, OpenReservation::reservationId);
        Map<String, OpenReservation> old = index(before, OpenReservation::reservationId);
        old.keySet().stream().filter(id -> !now.containsKey(id)).forEach(id -> jdbc.update(
                "DELETE FROM ledger_reservation WHERE ledger_id = ? AND reservation_id = ?", ledgerId, id));
        // A charged lease stays open with fewer credits, so an open reservation's row can change too.
        now.values().stream().filter(r -> !r.equals(old.get(r.reservationId()))).forEach(r -> jdbc.update("""
                INSERT INTO ledger_reservation (ledger_id, reservation_id, credits, priority, expires_at)
                VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (ledger_id, reservation_id) DO UPDATE SET credits = excluded.credits,
                    priority = excluded.priority, expires_at = excluded.expires_at""",
                ledgerId, r.reservationId(), r.credits(), r.priority().name(), Timestamp.from(r.expiresAt())));
    }

    private void writeBudgets(String ledgerId, List<BudgetWindow> before, List<BudgetWindow> after) {
        Map<String, BudgetWindow> now = index(after, BudgetWindow::budgetId);
        Map<String, BudgetWindow> old = index(before, BudgetWindow::budgetId);
        old.keySet().stream().filter(id -> !now.containsKey(id)).forEach(id -> jdbc.update(
                "DELETE FROM ledger_budget WHERE ledger_id = ? AND budget_id = ?", ledgerId, id));
        now.values().stream().filter(b -> !Objects.equals(b, old.get(b.budgetId()))).forEach(b -> jdbc.update("""
                INSERT INTO ledger_budget (ledger_id, budget_id, scope_level, scope_id, period, limit_credits,
                    window_start, charged_credits, reserved_credits) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (ledger_id, budget_id) DO UPDATE SET scope_level = excluded.scope_level,
                    scope_id = excluded.scope_id, period = excluded.period, limit_credits = excluded.limit_credits,
                    window_start = excluded.window_start, charged_credits = excluded.charged_credits,
                    reserved_credits = excluded.reserved_credits""",
                ledgerId, b.budgetId(), b.scope().level().name(), b.scope().id(), b.period().name(), b.limitCredits(),
                java.sql.Date.valueOf(b.windowStart()), b.chargedCredits(), b.reservedCredits()));
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

    private static <T> Map<String, T> index(List<T> rows, Function<T, String> id) {
        return rows.stream().collect(Collectors.toMap(id, Function.identity()));
    }
}
