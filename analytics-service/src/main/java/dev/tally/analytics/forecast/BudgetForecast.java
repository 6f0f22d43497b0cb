package dev.tally.analytics.forecast;

import dev.tally.events.ledger.BudgetPeriod;

import java.math.BigInteger;
import java.math.RoundingMode;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * Where a budget's spend will stand at the end of its horizon if the last seven days' pace continues. The horizon is
 * the end of the current UTC day for DAILY budgets and the end of the current UTC month for MONTHLY and TOTAL ones
 * (a TOTAL budget never resets, so "by month end" is the useful question). Seven days smooth out weekends; a budget
 * whose scope spent nothing in seven days is projected to stay where it is. An exhausted budget is projected to stay
 * at its limit: the ledger lets nothing more through until the window resets.
 */
public final class BudgetForecast {

    static final Duration PACE_WINDOW = Duration.ofDays(7);

    private BudgetForecast() {
    }

    /**
     * @param spentInWindow what the budget's current window has been charged so far
     * @param spentLast7d   what the budget's scope was charged in the seven days before {@code now}
     * @param exhaustedAt   when the budget was exhausted in its current window (the ledger's BudgetExhausted, or the
     *                      charge that reached the limit); null while it is not
     */
    public static Result forecast(String period, long limitCredits, long spentInWindow, long spentLast7d,
            Instant exhaustedAt, Instant now) {
        Instant horizon = horizon(period, now);
        if (exhaustedAt != null || spentInWindow >= limitCredits) {
            // The ledger refuses every reservation that would go past the limit until the window resets, so the
            // window ends where it stands: at the limit (or above it, if charges went over before the refusals).
            long projected = Math.max(spentInWindow, limitCredits);
            return new Result(horizon, projected, percent(projected, limitCredits), projected > limitCredits,
                    exhaustedAt);
        }
        long remainingSeconds = Duration.between(now, horizon).toSeconds();
        long projected = spentInWindow + ceilDiv(spentLast7d, remainingSeconds, PACE_WINDOW.toSeconds());
        Instant exhaustsAt = null;
        if (spentLast7d > 0) {
            long secondsToLimit = ceilDiv(limitCredits - spentInWindow, PACE_WINDOW.toSeconds(), spentLast7d);
            if (secondsToLimit <= remainingSeconds) {
                exhaustsAt = now.plusSeconds(secondsToLimit);
            }
        }
        return new Result(horizon, projected, percent(projected, limitCredits), projected > limitCredits, exhaustsAt);
    }

    public static Instant horizon(String period, Instant now) {
        LocalDate today = now.atZone(ZoneOffset.UTC).toLocalDate();
        LocalDate next = "DAILY".equals(period) ? today.plusDays(1) : today.withDayOfMonth(1).plusMonths(1);
        return next.atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /** The first instant of the budget's current window, as the ledger counts it (UTC calendar windows). */
    public static Instant windowStart(String period, Instant now) {
        return BudgetPeriod.valueOf(period).windowStart(now).atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /** Fill of a budget in percent, one decimal, for display; 0 for a zero limit with no spend. */
    public static double percent(long spent, long limit) {
        if (limit <= 0) {
            return spent > 0 ? 100.0 : 0.0;
        }
        return BigDecimal.valueOf(spent).multiply(BigDecimal.valueOf(100))
                .divide(BigDecimal.valueOf(limit), 1, RoundingMode.HALF_UP).doubleValue();
    }

    /** ceil(a × b / c) without overflow: credits stay exact, and a forecast rounds up like a charge. */
    static long ceilDiv(long a, long b, long c) {
        BigInteger[] qr = BigInteger.valueOf(a).multiply(BigInteger.valueOf(b)).divideAndRemainder(BigInteger.valueOf(c));
        return qr[0].longValueExact() + (qr[1].signum() > 0 ? 1 : 0);
    }

    /**
     * @param exhaustedAt when the limit was reached (a past instant, fixed), or at this pace will be before the horizon;
     *                    null otherwise
     */
    public record Result(Instant horizon, long projectedCredits, double projectedPercent, boolean willExceed,
            Instant exhaustedAt) {
    }
}
