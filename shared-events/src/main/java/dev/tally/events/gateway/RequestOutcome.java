package dev.tally.events.gateway;

/** How a gateway request ended; every outcome but SUCCESS and CLIENT_DISCONNECTED charged nothing. */
public enum RequestOutcome {
    SUCCESS,
    /** The client went away mid-stream; what was generated was charged. */
    CLIENT_DISCONNECTED,
    INVALID_REQUEST,
    UNAUTHENTICATED,
    POLICY_BLOCKED,
    RATE_LIMITED,
    INSUFFICIENT_CREDITS,
    BUDGET_EXCEEDED,
    UNKNOWN_MODEL,
    PROVIDER_ERROR,
    LEDGER_UNAVAILABLE
}
