package dev.tally.analytics.directory;

import dev.tally.events.governance.GovernanceState;
import dev.tally.servicekit.auth.AdminKeys;
import dev.tally.statereader.GovernanceStateReader;
import dev.tally.statereader.StateSink;
import dev.tally.servicekit.kafka.KafkaConnection;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Keeps {@link GovernanceDirectory} and the admin keys ({@link AdminKeys}) fed from tally.governance.state
 * ({@link GovernanceStateReader}: from the beginning, every replica every admin key). Until it has caught up with what
 * was on the topic when it started, admin requests answer 503 rather than a misleading 401.
 */
@Component
public class StateTopicConsumer implements SmartLifecycle, HealthIndicator {

    private final GovernanceStateReader reader;

    public StateTopicConsumer(GovernanceDirectory view, AdminKeys adminKeys, KafkaConnection kafka,
            MeterRegistry metrics) {
        this.reader = new GovernanceStateReader(kafka.bootstrapServers(), kafka.securityProperties(),
                "governance-state", new StateSink() {
            @Override
            public void apply(String key, GovernanceState state) {
                adminKeys.apply(key, state);
                view.apply(key, state);
            }

            @Override
            public void remove(String key) {
                adminKeys.remove(key);
                view.apply(key, null);
            }
        }).withMetrics(metrics);
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
