package dev.tally.gateway.lease;

/**
 * Why a lease stopped being carved from. A lease is sized for what its member asks in a lease's life; leases retired
 * mostly as {@link #REPLACED} or {@link #IDLE} long before {@link #AGE} say the sizing or the idle release is off.
 */
public enum RetireReason {
    /** Past the lease's maximum age, or from an earlier UTC day (budgets roll over at midnight). */
    AGE,
    /** Unused for longer than its member's usual gap between requests allows. */
    IDLE,
    /** Too little left for a request, or a lease reserved ahead of need took its place. */
    REPLACED,
    /** A request was refused for want of credit this lease held: its rest goes back to the budget. */
    RECLAIMED,
    /** The replica is shutting down. */
    CLOSING
}
