package dev.tally.notification.state;

import dev.tally.events.governance.AdminKeyState;
import dev.tally.events.governance.GovernanceState;
import dev.tally.events.governance.MemberState;
import dev.tally.notification.alert.VacationWatch;
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
 * Follows tally.governance.state from the beginning ({@link GovernanceStateReader}): admin keys into {@link AdminKeys}
 * (every replica needs all of them, hence no consumer group), members into {@link VacationWatch}; every other state
 * is ignored. The service reports ready only once it has caught up with what was on the topic when it started.
 */
@Component
public class GovernanceStateConsumer implements SmartLifecycle, HealthIndicator {

    private final GovernanceStateReader reader;

    public GovernanceStateConsumer(AdminKeys adminKeys, VacationWatch vacations, KafkaConnection kafka,
            MeterRegistry metrics) {
        this.reader = new GovernanceStateReader(kafka.bootstrapServers(), kafka.securityProperties(),
                "notification-governance-state", new StateSink() {
            @Override
            public void apply(String key, GovernanceState state) {
                if (state instanceof AdminKeyState) {
                    adminKeys.apply(key, state);
                } else if (state instanceof MemberState member) {
                    // On the reader's own thread, never an event loop's, so blocking here is allowed; a failure is
                    // logged by the reader and the record skipped.
                    vacations.onMember(member).block();
                }
            }

            @Override
            public void remove(String key) {
                adminKeys.remove(key);
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
