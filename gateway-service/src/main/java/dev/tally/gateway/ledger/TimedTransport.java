package dev.tally.gateway.ledger;

import dev.tally.events.ledger.LedgerCommand;
import dev.tally.events.ledger.LedgerReply;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Times each command's round trip to the ledger, from sending it to its reply, by command type
 * ({@code tally.gateway.ledger.round.trip}): a lease's reservation is on the path of the request that asked for it,
 * settlements are not on any.
 */
final class TimedTransport implements LedgerTransport {

    private final LedgerTransport transport;
    private final MeterRegistry registry;
    private final Map<String, Timer> replied = new ConcurrentHashMap<>();
    private final Map<String, Timer> failed = new ConcurrentHashMap<>();

    TimedTransport(LedgerTransport transport, MeterRegistry registry) {
        this.transport = transport;
        this.registry = registry;
    }

    @Override
    public CompletableFuture<LedgerReply> send(LedgerCommand command, CompletableFuture<Void> written) {
        long start = System.nanoTime();
        String type = command.getClass().getSimpleName();
        return transport.send(command, written).whenComplete((reply, error) ->
                timer(error == null ? replied : failed, type, error == null ? "replied" : "failed")
                        .record(System.nanoTime() - start, TimeUnit.NANOSECONDS));
    }

    private Timer timer(Map<String, Timer> timers, String type, String result) {
        return timers.computeIfAbsent(type, t -> registry.timer("tally.gateway.ledger.round.trip", "command", t,
                "result", result));
    }
}
