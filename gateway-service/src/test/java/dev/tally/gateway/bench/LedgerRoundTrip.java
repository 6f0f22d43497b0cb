package dev.tally.gateway.bench;

import dev.tally.events.ledger.CommandRejectedReply;
import dev.tally.events.ledger.Priority;
import dev.tally.events.ledger.RecordUsageCommand;
import dev.tally.events.ledger.ReserveCreditCommand;
import dev.tally.events.ledger.Scope;
import dev.tally.events.ledger.ScopeLevel;
import dev.tally.gateway.support.TestAgent;
import dev.tally.ledger.client.LedgerClient;
import dev.tally.ledger.client.LedgerClientSettings;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * The gateway's ledger traffic without the gateway: ReserveCredit, awaited, then RecordUsage, not awaited, for
 * the benchmark agent's org, sent from this JVM through the same {@link LedgerClient}. Its latency is the floor
 * of any governed request's added latency while the reservation is a synchronous ledger round trip.
 */
final class LedgerRoundTrip implements AutoCloseable {

    private final LedgerClient client;
    private final TestAgent agent;
    private final List<Scope> scopes;

    LedgerRoundTrip(String bootstrapServers, TestAgent agent) {
        this.client = new LedgerClient(new LedgerClientSettings(bootstrapServers, "tally/bench", Duration.ofSeconds(30)));
        this.agent = agent;
        this.scopes = List.of(new Scope(ScopeLevel.ORG, agent.orgId()),
                new Scope(ScopeLevel.WORKSPACE, agent.workspaceId()), new Scope(ScopeLevel.GROUP, agent.groupId()),
                new Scope(ScopeLevel.MEMBER, agent.agentId()));
    }

    Mono<?> call() {
        String reservation = UUID.randomUUID().toString();
        return Mono.fromFuture(() -> client.send(new ReserveCreditCommand(UUID.randomUUID().toString(),
                        agent.orgId(), reservation, scopes, List.of(agent.orgId()), 1, Priority.NORMAL, 300)))
                .flatMap(reply -> {
                    if (reply instanceof CommandRejectedReply rejected) {
                        return Mono.error(new IllegalStateException("reservation refused: " + rejected.reason()
                                + " " + rejected.detail()));
                    }
                    client.send(new RecordUsageCommand(UUID.randomUUID().toString(), agent.orgId(), reservation, 1,
                            24, 9, "gpt-4o-mini", "openai"));
                    return Mono.just(reply);
                });
    }

    @Override
    public void close() {
        client.close();
    }
}
