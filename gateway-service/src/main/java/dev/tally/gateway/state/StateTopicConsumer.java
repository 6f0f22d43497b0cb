package dev.tally.gateway.state;

import dev.tally.events.governance.GovernanceState;
import dev.tally.statereader.GovernanceStateReader;
import dev.tally.statereader.StateSink;
import dev.tally.servicekit.kafka.KafkaConnection;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Keeps {@link GovernanceView} fed from tally.governance.state ({@link GovernanceStateReader}: from the beginning,
 * every replica the whole view). The gateway reports ready only once it has caught up with what was on the topic
 * when it started. Once a minute it sweeps the keys that expired more than {@link #EXPIRED_KEPT} ago out of the view.
 */
@Component
public class StateTopicConsumer implements SmartLifecycle, HealthIndicator {

    /** How long an expired key is still told apart from an unknown one ("expired at …") before it is forgotten. */
    static final Duration EXPIRED_KEPT = Duration.ofMinutes(10);

    private final GovernanceStateReader reader;
    private final GovernanceView view;
    private ScheduledExecutorService sweeper;

    public StateTopicConsumer(GovernanceView view, KafkaConnection kafka,
            MeterRegistry metrics) {
        this.view = view;
        this.reader = new GovernanceStateReader(kafka.bootstrapServers(), kafka.securityProperties(),
                "governance-state", new StateSink() {
            @Override
            public void apply(String key, GovernanceState state) {
                view.apply(key, state);
            }

            @Override
            public void remove(String key) {
                view.apply(key, null);
            }
        }).withMetrics(metrics);
    }

    @Override
    public void start() {
        reader.start();
        sweeper = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "expired-key-sweeper");
            thread.setDaemon(true);
            return thread;
        });
        sweeper.scheduleWithFixedDelay(() -> view.forgetKeysExpiredBefore(Instant.now().minus(EXPIRED_KEPT)),
                1, 1, TimeUnit.MINUTES);
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
        if (sweeper != null) {
            sweeper.shutdownNow();
        }
        reader.close();
    }

    @Override
    public boolean isRunning() {
        return reader.isRunning();
    }
}
