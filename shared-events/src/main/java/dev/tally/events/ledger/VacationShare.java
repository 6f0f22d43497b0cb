package dev.tally.events.ledger;

/**
 * TokenPool's vacation sharing: while a teammate is on vacation, a team's members may draw on the team pool, up to
 * {@link #PERCENT} % of it per month. The cap is an ordinary ledger budget on a scope of its own, which governance
 * defines when a member goes on vacation and the gateway adds to the scope chain of the reservations that draw on
 * the pool for that reason only. Both sides name it here, so they cannot disagree.
 */
public final class VacationShare {

    public static final int PERCENT = 10;

    private VacationShare() {
    }

    public static String budgetId(String teamId) {
        return "vacation-share:" + teamId;
    }

    public static Scope scope(String teamId) {
        return new Scope(ScopeLevel.GROUP, budgetId(teamId));
    }

    /** {@link #PERCENT} % of the pool's balance, at least 1 credit (a ledger budget's limit must be positive). */
    public static long limit(long teamPoolBalance) {
        return Math.max(1, teamPoolBalance * PERCENT / 100);
    }
}
