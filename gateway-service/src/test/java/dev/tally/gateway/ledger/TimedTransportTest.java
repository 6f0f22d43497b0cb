package dev.tally.gateway.ledger;

import dev.tally.events.ledger.CommandAcceptedReply;
import dev.tally.events.ledger.LedgerReply;
import dev.tally.events.ledger.ReleaseReservationCommand;
import dev.tally.events.ledger.ReserveCreditCommand;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

class TimedTransportTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void each_round_trip_is_timed_by_command_type_and_result() {
        CompletableFuture<LedgerReply> pending = new CompletableFuture<>();
        TimedTransport transport = new TimedTransport((command, written) -> command instanceof ReserveCreditCommand
                ? pending : CompletableFuture.failedFuture(new IllegalStateException("down")), registry);
        ReserveCreditCommand reserve = new ReserveCreditCommand("c1", "org", "lease-1", List.of(), List.of("acct"),
                10, null, 60, 1);

        CompletableFuture<LedgerReply> reply = transport.send(reserve, new CompletableFuture<>());
        transport.send(new ReleaseReservationCommand("c2", "org", "lease-1", "idle"), new CompletableFuture<>());

        assertThat(registry.find("tally.gateway.ledger.round.trip").tag("command", "ReserveCreditCommand").timer())
                .as("not timed before its reply").isNull();
        pending.complete(new CommandAcceptedReply("c1", "org", "CreditReserved", 10));
        assertThat(reply).isCompleted();
        assertThat(registry.get("tally.gateway.ledger.round.trip").tags("command", "ReserveCreditCommand", "result",
                "replied").timer().count()).isEqualTo(1);
        assertThat(registry.get("tally.gateway.ledger.round.trip").tags("command", "ReleaseReservationCommand",
                "result", "failed").timer().count()).isEqualTo(1);
    }
}
