package dev.tally.ledger.domain;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import dev.tally.events.ledger.BudgetPeriod;
import dev.tally.events.ledger.Scope;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.TreeSet;

/**
 * A budget and its spend in the current window. The window rolls lazily, when an event from a later window touches
 * it, so no reset job can race a reservation.
 */
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE)
final class Budget {

    Scope scope;
    BudgetPeriod period;
    long limit;
    List<Integer> thresholds;
    boolean autoDisable;
    LocalDate windowStart;
    long charged;
    long reserved;
    TreeSet<Integer> crossed = new TreeSet<>();
    boolean exhausted;
    /**
     * The open reservations counted in {@code reserved}. Only these may give their share back or book their charge
     * here: a reservation from an earlier window, or made under a removed budget of the same id, must not.
     */
    java.util.Set<String> holding = new java.util.HashSet<>();

    Budget() {
    }

    Budget(Scope scope, BudgetPeriod period, long limit, List<Integer> thresholds, boolean autoDisable,
            Instant definedAt) {
        this.scope = scope;
        this.period = period;
        this.limit = limit;
        this.thresholds = thresholds;
        this.autoDisable = autoDisable;
        this.windowStart = period.windowStart(definedAt);
    }

    /** Spend as the budget sees it at {@code at}: nothing yet when {@code at} lies in a later window. */
    long spentAt(Instant at) {
        return isCurrent(period.windowStart(at)) ? Math.addExact(charged, reserved) : 0;
    }

    /** Takes a reservation's share out of this budget; true when the budget was holding it. */
    boolean release(Reservation reservation) {
        if (holding.remove(reservation.id())) {
            reserved = Math.subtractExact(reserved, reservation.credits());
            return true;
        }
        return false;
    }

    /**
     * Turns part of a held reservation (a lease) from reserved into charged spend, if this budget holds it:
     * {@code held} leaves the hold, {@code charged} (the held part plus any overdraft beyond it) is spent.
     */
    void charge(Reservation reservation, long held, long charged) {
        if (holding.contains(reservation.id())) {
            reserved = Math.subtractExact(reserved, held);
            this.charged = Math.addExact(this.charged, charged);
        }
    }

    boolean isCurrent(LocalDate window) {
        return window.equals(windowStart);
    }

    void rollTo(Instant at) {
        LocalDate window = period.windowStart(at);
        if (window.isAfter(windowStart)) {
            windowStart = window;
            charged = 0;
            reserved = 0;
            holding.clear();
            crossed.clear();
            exhausted = false;
        }
    }
}
