package dev.tally.governance.ledger;

/**
 * What became of a ledger command: ACCEPTED or REJECTED by the ledger, or still PENDING because the ledger has not
 * answered yet (the command stays staged and is sent again until it answers).
 */
public record LedgerOutcome(String commandId, Status status, String reason, String detail, String budgetId) {

    public enum Status {
        ACCEPTED,
        REJECTED,
        PENDING
    }

    public boolean accepted() {
        return status == Status.ACCEPTED;
    }

    public boolean rejected() {
        return status == Status.REJECTED;
    }
}
