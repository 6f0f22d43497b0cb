package dev.tally.ledger.client;

import java.time.Duration;

/**
 * No reply came within the client's reply timeout. The command may still be applied later (it is on the topic);
 * retry it with the same command id, which the ledger de-duplicates, to learn its outcome.
 */
public class LedgerTimeoutException extends RuntimeException {

    private final String commandId;
    private final String ledgerId;
    private final Duration timeout;

    public LedgerTimeoutException(String commandType, String commandId, String ledgerId, Duration timeout) {
        super("No reply from the ledger to " + commandType + " " + commandId + " (ledger " + ledgerId + ") within "
                + timeout.toMillis() + " ms");
        this.commandId = commandId;
        this.ledgerId = ledgerId;
        this.timeout = timeout;
    }

    public String commandId() {
        return commandId;
    }

    public String ledgerId() {
        return ledgerId;
    }

    public Duration timeout() {
        return timeout;
    }
}
