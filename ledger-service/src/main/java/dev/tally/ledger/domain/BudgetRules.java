package dev.tally.ledger.domain;

import dev.tally.events.ledger.BudgetDefinedEvent;
import dev.tally.events.ledger.BudgetRemovedEvent;
import dev.tally.events.ledger.DefineBudgetCommand;
import dev.tally.events.ledger.RemoveBudgetCommand;

import java.time.Instant;
import java.util.List;

import static dev.tally.events.ledger.RejectionReason.BUDGET_REMOVED;
import static dev.tally.events.ledger.RejectionReason.INVALID_COMMAND;
import static dev.tally.events.ledger.RejectionReason.UNKNOWN_BUDGET;
import static dev.tally.ledger.domain.LedgerRules.DEFAULT_THRESHOLDS;
import static dev.tally.ledger.domain.LedgerRules.blank;
import static dev.tally.ledger.domain.LedgerRules.requirePositive;

/**
 * The rules of budgets: defining one, and removing it for good (a tombstone).
 */
final class BudgetRules {

    private BudgetRules() {
    }

    static Decision defineBudget(LedgerState state, DefineBudgetCommand c, Instant now) {
        if (blank(c.budgetId()) || c.scope() == null || c.scope().level() == null || blank(c.scope().id())
                || c.period() == null) {
            return Decision.invalid(c, INVALID_COMMAND, "budget_id, scope (level and id) and period are required");
        }
        Decision invalid = requirePositive(c, c.limitCredits(), "limit_credits");
        if (invalid != null) {
            return invalid;
        }
        if (state.wasRemoved(c.budgetId())) {
            // A definition resent after its removal overtook it: governance deleted this budget, so it stays deleted.
            return Decision.invalid(c, BUDGET_REMOVED, "budget " + c.budgetId() + " was removed from ledger "
                    + c.ledgerId() + "; a removed budget's id cannot be defined again");
        }
        if (c.thresholdsPercent() != null && c.thresholdsPercent().stream().anyMatch(t -> t == null || t < 1 || t > 100)) {
            return Decision.invalid(c, INVALID_COMMAND, "thresholds_percent must lie between 1 and 100");
        }
        List<Integer> thresholds = c.thresholdsPercent() == null || c.thresholdsPercent().isEmpty()
                ? DEFAULT_THRESHOLDS
                : c.thresholdsPercent().stream().distinct().sorted().toList();
        return Decision.accept(c, c.limitCredits(), new BudgetDefinedEvent(c.ledgerId(), c.commandId(), now,
                c.budgetId(), c.scope(), c.period(), c.limitCredits(), thresholds, c.autoDisable(), c.actor()));
    }

    static Decision removeBudget(LedgerState state, RemoveBudgetCommand c, Instant now) {
        if (blank(c.budgetId()) || state.wasRemoved(c.budgetId())) {
            return Decision.invalid(c, UNKNOWN_BUDGET, "no budget " + c.budgetId() + " in ledger " + c.ledgerId());
        }
        // A removal of a budget not defined (yet) is recorded too, as a tombstone: its definition may still be on the
        // way, and must not take effect when it arrives.
        return Decision.accept(c, 0, new BudgetRemovedEvent(c.ledgerId(), c.commandId(), now, c.budgetId(),
                c.actor()));
    }
}
