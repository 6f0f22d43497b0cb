package dev.tally.notification.alert;

import dev.tally.events.alert.Alert;
import dev.tally.events.alert.AlertKind;
import dev.tally.events.alert.AlertSeverity;
import dev.tally.events.ledger.BudgetExhaustedEvent;
import dev.tally.events.ledger.BudgetThresholdCrossedEvent;
import dev.tally.events.ledger.CreditOverdrawnEvent;
import dev.tally.events.ledger.Scope;
import dev.tally.events.ledger.ScopeLevel;

import java.util.Locale;
import java.util.Optional;

/**
 * The ledger's budget events as alerts. Thresholds below 75 % are INFO, below 90 % WARNING, from 90 % CRITICAL
 * (the replaced products used 50/75/80/90 %). A threshold of 100 % makes no alert of its own: the ledger reports
 * the same moment as BudgetExhausted, which is the CRITICAL alert.
 */
public final class LedgerAlerts {

    private LedgerAlerts() {
    }

    public static Optional<Alert> of(BudgetThresholdCrossedEvent e) {
        if (e.thresholdPercent() >= 100) {
            return Optional.empty();
        }
        AlertSeverity severity = e.thresholdPercent() >= 90 ? AlertSeverity.CRITICAL
                : e.thresholdPercent() >= 75 ? AlertSeverity.WARNING : AlertSeverity.INFO;
        return Optional.of(new Alert(AlertIds.budgetThreshold(e.ledgerId(), e.budgetId(), e.windowStart(),
                e.thresholdPercent()), e.ledgerId(), AlertKind.BUDGET_THRESHOLD, severity,
                "Budget " + e.budgetId() + " at " + e.thresholdPercent() + " %",
                e.spentCredits() + " of " + e.limitCredits() + " credits spent in the " + e.period()
                        + " window starting " + e.windowStart() + " (" + describe(e.scope()) + ").",
                e.budgetId(), id(e.scope(), ScopeLevel.GROUP), id(e.scope(), ScopeLevel.MEMBER), null,
                e.occurredAt()));
    }

    public static Alert of(BudgetExhaustedEvent e) {
        return new Alert(AlertIds.budgetExhausted(e.ledgerId(), e.budgetId(), e.windowStart()), e.ledgerId(),
                AlertKind.BUDGET_EXHAUSTED, AlertSeverity.CRITICAL, "Budget " + e.budgetId() + " exhausted",
                e.spentCredits() + " of " + e.limitCredits() + " credits spent in the " + e.period()
                        + " window starting " + e.windowStart() + " (" + describe(e.scope()) + "). "
                        + (e.autoDisable() ? "Its target is disabled until the window resets."
                        : "Requests charged to it are refused until the window resets or the limit is raised."),
                e.budgetId(), id(e.scope(), ScopeLevel.GROUP), id(e.scope(), ScopeLevel.MEMBER), null,
                e.occurredAt());
    }

    /**
     * A request billed beyond its hold and charged to an account anyway: WARNING, CRITICAL once the account is below
     * zero. One alert per request, whichever replay reports it.
     */
    public static Alert of(CreditOverdrawnEvent e) {
        boolean negative = e.availableCredits() < 0;
        String who = e.memberScope() == null ? "account " + e.accountId() : "member " + e.memberScope().id();
        return new Alert(AlertIds.creditOverdrawn(e.ledgerId(), e.reservationId(), e.requestId()), e.ledgerId(),
                AlertKind.CREDIT_OVERDRAWN, negative ? AlertSeverity.CRITICAL : AlertSeverity.WARNING,
                "Request billed " + e.overdraftCredits() + " credits beyond its hold",
                "Request " + e.requestId() + " cost " + e.overdraftCredits() + " credits more than was held for it;"
                        + " they were charged to " + who + " (account " + e.accountId() + "), which now has "
                        + e.availableCredits() + " credits available"
                        + (negative ? ": it is overdrawn until credits are added." : "."),
                null, null, e.memberScope() == null ? null : e.memberScope().id(), null, e.occurredAt());
    }

    private static String describe(Scope scope) {
        return scope.level().name().toLowerCase(Locale.ROOT) + " " + scope.id();
    }

    private static String id(Scope scope, ScopeLevel level) {
        return scope.level() == level ? scope.id() : null;
    }
}
