package dev.tally.ledger.domain;

import dev.tally.events.ledger.AccountOpenedEvent;
import dev.tally.events.ledger.AdjustBalanceCommand;
import dev.tally.events.ledger.BalanceAdjustedEvent;
import dev.tally.events.ledger.CreditsPurchasedEvent;
import dev.tally.events.ledger.CreditsRefundedEvent;
import dev.tally.events.ledger.CreditsTransferredEvent;
import dev.tally.events.ledger.LedgerOpenedEvent;
import dev.tally.events.ledger.OpenAccountCommand;
import dev.tally.events.ledger.OpenLedgerCommand;
import dev.tally.events.ledger.PurchaseCreditsCommand;
import dev.tally.events.ledger.RefundCreditsCommand;
import dev.tally.events.ledger.TransferCreditsCommand;
import dev.tally.events.ledger.TransferRefusedEvent;

import java.time.Instant;

import static dev.tally.events.ledger.RejectionReason.ACCOUNT_ALREADY_OPEN;
import static dev.tally.events.ledger.RejectionReason.INSUFFICIENT_CREDITS;
import static dev.tally.events.ledger.RejectionReason.INVALID_AMOUNT;
import static dev.tally.events.ledger.RejectionReason.INVALID_COMMAND;
import static dev.tally.events.ledger.RejectionReason.LEDGER_ALREADY_OPEN;
import static dev.tally.ledger.domain.LedgerRules.blank;
import static dev.tally.ledger.domain.LedgerRules.requireAccount;
import static dev.tally.ledger.domain.LedgerRules.requirePositive;

/**
 * The rules of accounts and their balances: opening the ledger and its accounts, purchases, transfers, adjustments
 * and refunds.
 */
final class AccountRules {

    private AccountRules() {
    }

    static Decision openLedger(LedgerState state, OpenLedgerCommand c, Instant now) {
        if (state.isOpen()) {
            return Decision.invalid(c, LEDGER_ALREADY_OPEN, "ledger " + c.ledgerId() + " is already open");
        }
        if (blank(c.ledgerId()) || blank(c.orgAccountId())) {
            return Decision.invalid(c, INVALID_COMMAND, "ledger_id and org_account_id are required");
        }
        if (c.criticalOverdraftLimit() < 0) {
            return Decision.invalid(c, INVALID_AMOUNT, "critical_overdraft_limit must not be negative");
        }
        return Decision.accept(c, 0, new LedgerOpenedEvent(c.ledgerId(), c.commandId(), now, c.orgAccountId(),
                c.criticalOverdraftLimit(), c.actor()));
    }

    static Decision openAccount(LedgerState state, OpenAccountCommand c, Instant now) {
        if (blank(c.accountId()) || c.kind() == null) {
            return Decision.invalid(c, INVALID_COMMAND, "account_id and kind are required");
        }
        if (state.accounts.containsKey(c.accountId())) {
            return Decision.invalid(c, ACCOUNT_ALREADY_OPEN, "account " + c.accountId() + " is already open");
        }
        return Decision.accept(c, 0, new AccountOpenedEvent(c.ledgerId(), c.commandId(), now, c.accountId(), c.kind(),
                c.actor()));
    }

    static Decision purchase(LedgerState state, PurchaseCreditsCommand c, Instant now) {
        Decision invalid = requirePositive(c, c.credits(), "credits");
        if (invalid == null) {
            invalid = requireAccount(state, c, c.accountId());
        }
        if (invalid != null) {
            return invalid;
        }
        Math.addExact(state.accounts.get(c.accountId()).balance, c.credits());
        return Decision.accept(c, c.credits(), new CreditsPurchasedEvent(c.ledgerId(), c.commandId(), now,
                c.accountId(), c.credits(), c.actor(), c.reference()));
    }

    static Decision transfer(LedgerState state, TransferCreditsCommand c, Instant now) {
        Decision invalid = requirePositive(c, c.credits(), "credits");
        if (invalid == null) {
            invalid = requireAccount(state, c, c.fromAccountId());
        }
        if (invalid == null) {
            invalid = requireAccount(state, c, c.toAccountId());
        }
        if (invalid != null) {
            return invalid;
        }
        if (c.fromAccountId().equals(c.toAccountId())) {
            return Decision.invalid(c, INVALID_COMMAND, "from_account_id and to_account_id must differ");
        }
        long available = state.accounts.get(c.fromAccountId()).available();
        if (available < c.credits()) {
            String detail = "account " + c.fromAccountId() + " has " + available + " credits available, "
                    + c.credits() + " requested";
            return Decision.refuse(c, INSUFFICIENT_CREDITS, detail, null, new TransferRefusedEvent(c.ledgerId(),
                    c.commandId(), now, c.fromAccountId(), c.toAccountId(), c.credits(), INSUFFICIENT_CREDITS, detail));
        }
        Math.addExact(state.accounts.get(c.toAccountId()).balance, c.credits());
        return Decision.accept(c, c.credits(), new CreditsTransferredEvent(c.ledgerId(), c.commandId(), now,
                c.fromAccountId(), c.toAccountId(), c.credits(), c.actor(), c.reason()));
    }

    static Decision adjust(LedgerState state, AdjustBalanceCommand c, Instant now) {
        Decision invalid = requireAccount(state, c, c.accountId());
        if (invalid != null) {
            return invalid;
        }
        if (c.deltaCredits() == 0) {
            return Decision.invalid(c, INVALID_AMOUNT, "delta_credits must not be zero");
        }
        Account account = state.accounts.get(c.accountId());
        long available = account.available();
        Math.addExact(account.balance, c.deltaCredits());
        if (c.deltaCredits() < 0 && Math.addExact(available, c.deltaCredits()) < 0) {
            return Decision.invalid(c, INSUFFICIENT_CREDITS, "account " + c.accountId() + " has " + available
                    + " credits available, cannot adjust by " + c.deltaCredits());
        }
        return Decision.accept(c, Math.absExact(c.deltaCredits()), new BalanceAdjustedEvent(c.ledgerId(), c.commandId(),
                now, c.accountId(), c.deltaCredits(), c.actor(), c.reason()));
    }

    static Decision refund(LedgerState state, RefundCreditsCommand c, Instant now) {
        Decision invalid = requirePositive(c, c.credits(), "credits");
        if (invalid == null) {
            invalid = requireAccount(state, c, c.accountId());
        }
        if (invalid != null) {
            return invalid;
        }
        Math.addExact(state.accounts.get(c.accountId()).balance, c.credits());
        return Decision.accept(c, c.credits(), new CreditsRefundedEvent(c.ledgerId(), c.commandId(), now,
                c.accountId(), c.credits(), c.reservationId(), c.actor(), c.reason()));
    }
}
