package dev.tally.e2e.support;

import dev.tally.localstack.LocalStack;
import dev.tally.localstack.StackOptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The stack every end-to-end test shares, started once per test JVM through {@link LocalStack}: a real Kafka broker
 * and PostgreSQL, ledger-service, governance-service and two gateway replicas, each its own process, on free ports,
 * with its data and logs in {@code target/e2e-stack} (wiped at start, kept afterwards for a look at the logs).
 * Tests reach it only over HTTP; each creates its own organisation, so none depends on another's leftovers.
 * It stops when the root extension context closes (the end of the run), or from LocalStack's shutdown hook.
 */
public final class E2EStack implements BeforeAllCallback {

    /** How long the gateways wait for the ledger's answer to a reservation before a 503. */
    public static final Duration RESERVATION_TIMEOUT = Duration.ofSeconds(10);
    /**
     * How long the ledger holds a reservation nobody settles (the gateway's default is 300 s). Longer than the
     * Kafka outage of {@code KafkaRestartIT}: a charge waiting in a gateway's producer must reach the ledger before
     * the reservation's expiry does.
     */
    public static final Duration RESERVATION_TTL = Duration.ofSeconds(60);

    private static LocalStack stack;
    private static RuntimeException failedToStart;

    @Override
    public void beforeAll(ExtensionContext context) {
        // The root store closes what it holds (LocalStack is AutoCloseable) when the whole run ends.
        context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .computeIfAbsent(E2EStack.class, key -> start(), LocalStack.class);
    }

    public static synchronized LocalStack get() {
        if (stack == null) {
            throw new IllegalStateException("annotate the test class with @ExtendWith(E2EStack.class)");
        }
        return stack;
    }

    private static synchronized LocalStack start() {
        if (failedToStart != null) {
            // Once is enough: every other class fails at once instead of trying again for minutes.
            throw new IllegalStateException("the stack did not start (see the first failure)", failedToStart);
        }
        if (stack == null) {
            Path root = Path.of(System.getProperty("tally.project.root", "../.."));
            Path data = Path.of(System.getProperty("tally.e2e.data", "target/e2e-stack"));
            StackOptions options = StackOptions.builder(root)
                    .dataDirectory(data)
                    .wipe(true)
                    .createDemo(false)
                    .gatewayPorts(List.of(0, 0))
                    .freePorts()
                    // A restarted ledger gets its partitions back once the killed member's session ends: keep it short.
                    .serviceArguments(LocalStack.LEDGER,
                            "--tally.ledger.expiry-scan-ms=500",
                            "--spring.kafka.consumer.properties.session.timeout.ms=6000",
                            "--spring.kafka.consumer.properties.heartbeat.interval.ms=1000")
                    .serviceArguments(LocalStack.GATEWAY,
                            "--tally.gateway.reservation-timeout=" + RESERVATION_TIMEOUT.toSeconds() + "s",
                            "--tally.gateway.reservation-ttl=" + RESERVATION_TTL.toSeconds() + "s")
                    .build();
            try {
                stack = LocalStack.start(options);
            } catch (RuntimeException e) {
                failedToStart = e;
                throw e;
            }
        }
        return stack;
    }

    public static Gateway gateway() {
        return new Gateway(get().gatewayUrls());
    }

    public static Governance platform() {
        return new Governance(get().governanceUrl(), get().adminKey());
    }

    public static Ledger ledger() {
        return new Ledger(get().ledgerUrl(), get().adminKey());
    }
}
