package dev.tally.events.ledger.view;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.tally.events.ledger.AccountKind;
import dev.tally.events.ledger.BudgetPeriod;
import dev.tally.events.ledger.Priority;
import dev.tally.events.ledger.Scope;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * A ledger's balances as {@code GET /ledgers/{id}} answers them (snake_case JSON): its accounts, its open holds and
 * its budgets' current windows, as of {@code eventsApplied} events. The ledger writes this record and its readers (the
 * gateway's quota, governance's balances) read it, so the contract is one type on both sides. Named snake_case by
 * its annotations, whatever the reader's mapper does; fields a newer ledger adds are ignored.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonIgnoreProperties(ignoreUnknown = true)
public record LedgerView(String ledgerId, long criticalOverdraftLimit, long eventsApplied, List<Account> accounts,
        List<OpenReservation> reservations, List<BudgetWindow> budgets) {

    public LedgerView {
        accounts = accounts == null ? List.of() : List.copyOf(accounts);
        reservations = reservations == null ? List.of() : List.copyOf(reservations);
        budgets = budgets == null ? List.of() : List.copyOf(budgets);
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Account(String accountId, AccountKind kind, long balance, long reserved, long available) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record OpenReservation(String reservationId, long credits, Priority priority, Instant expiresAt) {
    }

    /** A budget's spend in the window the ledger last touched ({@code windowStart}). */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record BudgetWindow(String budgetId, Scope scope, BudgetPeriod period, long limitCredits,
            LocalDate windowStart, long chargedCredits, long reservedCredits) {
    }

    public Optional<Account> account(String accountId) {
        return accounts.stream().filter(a -> a.accountId().equals(accountId)).findFirst();
    }

    public Optional<BudgetWindow> budget(String budgetId) {
        return budgets.stream().filter(b -> b.budgetId().equals(budgetId)).findFirst();
    }
}
