package dev.tally.ledger.access;

import dev.tally.servicekit.auth.AdminKeys;
import dev.tally.statereader.GovernanceStateReader;
import dev.tally.servicekit.kafka.KafkaConnection;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Follows tally.governance.state from the beginning ({@link GovernanceStateReader}: no consumer group, every replica
 * every admin key) into {@link AdminKeys}; every other state is ignored. The HTTP API answers 503 and health says
 * OUT_OF_SERVICE until the reader has caught up with what was on the topic when it started. The command path does not
 * wait for it: commands come over Kafka and need no key.
 */
@Component
public class AdminKeyReader implements SmartLifecycle, HealthIndicator {

    private final GovernanceStateReader reader;

    public AdminKeyReader(AdminKeys adminKeys, KafkaConnection kafka,
            MeterRegistry metrics) {
        this.reader = new GovernanceStateReader(kafka.bootstrapServers(), kafka.securityProperties(),
                "ledger-governance-state", adminKeys).withMetrics(metrics);
    }

    @Override
    public void start() {
        reader.start();
    }

    public boolean ready() {
        return reader.caughtUp();
    }

    @Override
    public Health health() {
        return ready() ? Health.up().build() : Health.outOfService().withDetail("governance_state", "loading").build();
    }

    @Override
    public void stop() {
        reader.close();
    }

    @Override
    public boolean isRunning() {
        return reader.isRunning();
    }
}
