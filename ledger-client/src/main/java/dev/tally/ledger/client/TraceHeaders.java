package dev.tally.ledger.client;

import org.apache.kafka.common.header.Headers;

/**
 * Writes the sender's trace context into a command's record headers (W3C {@code traceparent}), so the ledger's
 * handling of the command joins the trace of whatever sent it. {@link #NONE} while tracing is off: the client then
 * adds nothing and looks nothing up.
 */
@FunctionalInterface
public interface TraceHeaders {

    TraceHeaders NONE = headers -> {
    };

    void write(Headers headers);
}
