package dev.tally.events.topic;

import dev.tally.events.alert.Alert;
import dev.tally.events.gateway.GatewayRequestRecord;
import dev.tally.events.governance.GovernanceState;
import dev.tally.events.ledger.LedgerCommand;
import dev.tally.events.ledger.LedgerEvent;
import dev.tally.events.ledger.LedgerReply;

import java.time.Duration;
import java.util.List;

/** Every topic Tally owns. Topics of services still to come are added with their message types. */
public final class Topics {

    private static final long WEEK = Duration.ofDays(7).toMillis();

    /** Key: ledger id, so one ledger's commands are ordered by one partition. */
    public static final Topic<String, LedgerCommand> LEDGER_COMMANDS =
            new Topic<>("tally.ledger.commands", String.class, LedgerCommand.class, Cleanup.DELETE, WEEK);

    /** Key: command id. The asking instance names its reply topic and partition in the command's headers. */
    public static final Topic<String, LedgerReply> LEDGER_REPLIES =
            new Topic<>("tally.ledger.replies", String.class, LedgerReply.class, Cleanup.DELETE, Duration.ofDays(1).toMillis());

    /** Key: ledger id. The audit trail and the BI feed: kept forever. */
    public static final Topic<String, LedgerEvent> LEDGER_EVENTS =
            new Topic<>("tally.ledger.events", String.class, LedgerEvent.class, Cleanup.DELETE, -1);

    /** Key: {@link GovernanceState#stateKey()}. Compacted: the latest record per key is the current state. */
    public static final Topic<String, GovernanceState> GOVERNANCE_STATE =
            new Topic<>("tally.governance.state", String.class, GovernanceState.class, Cleanup.COMPACT, -1);

    /** Key: org id. One record per gateway request: counts, credits and latency, never content. */
    public static final Topic<String, GatewayRequestRecord> GATEWAY_REQUESTS =
            new Topic<>("tally.gateway.requests", String.class, GatewayRequestRecord.class, Cleanup.DELETE,
                    Duration.ofDays(30).toMillis());

    /** Key: org id. Threshold crossings, exhausted budgets, approvals, anomalies: what notification-service delivers. */
    public static final Topic<String, Alert> ALERTS =
            new Topic<>("tally.alerts", String.class, Alert.class, Cleanup.DELETE, Duration.ofDays(30).toMillis());

    /**
     * Key: org id. Alerts that notification-service could not deliver to a channel after every retry; the reason,
     * the channel and the attempts travel in the headers ({@code tally_reason}, {@code tally_channel_id}, ...).
     */
    public static final Topic<String, Alert> ALERTS_DEAD_LETTER =
            new Topic<>("tally.alerts.dead-letter", String.class, Alert.class, Cleanup.DELETE,
                    Duration.ofDays(30).toMillis());

    private Topics() {
    }

    public static List<Topic<?, ?>> all() {
        return List.of(LEDGER_COMMANDS, LEDGER_REPLIES, LEDGER_EVENTS, GOVERNANCE_STATE, GATEWAY_REQUESTS, ALERTS,
                ALERTS_DEAD_LETTER);
    }
}
