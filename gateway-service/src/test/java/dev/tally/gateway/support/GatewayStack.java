package dev.tally.gateway.support;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import dev.tally.testsupport.PostgresDatabase;
import dev.tally.testsupport.ServiceProcess;
import dev.tally.testsupport.TallyInfrastructure;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Tally as it runs in production, on this machine: the real broker and PostgreSQL, ledger-service,
 * governance-service and two gateway replicas, each its own process from its executable jar. The LLM providers are
 * the only fakes: one WireMock server speaks OpenAI's and Anthropic's wire formats. Started once per test JVM.
 */
public final class GatewayStack {

    public static final String PLATFORM_KEY = "tadm_gateway-it-platform-admin-key-000";
    public static final String CREDENTIAL_KEY = Base64.getEncoder().encodeToString(new byte[32]);
    private static final Map<String, String> JVM = Map.of(
            "AXONIQ_UPDATE_CHECKER_DISABLED", "true",
            "JAVA_TOOL_OPTIONS", "-Xmx512m -XX:+UseSerialGC");
    private static GatewayStack instance;

    public final TallyInfrastructure infra = TallyInfrastructure.shared();
    public final WireMockServer upstream;
    private final List<String> ledgerArgs;
    private final int ledgerPort;
    private ServiceProcess ledger;
    public final ServiceProcess governance;
    public final ServiceProcess gatewayA;
    public final ServiceProcess gatewayB;

    private GatewayStack() {
        upstream = new WireMockServer(WireMockConfiguration.options().dynamicPort().containerThreads(64));
        upstream.start();

        PostgresDatabase ledgerDb = infra.newDatabase("ledger");
        ledgerArgs = springArgs(ledgerDb);
        ledgerArgs.add("--tally.ledger.expiry-scan-ms=200");
        // A restarted ledger gets its partitions back after the old member's session ends: keep that short.
        ledgerArgs.add("--spring.kafka.consumer.properties.session.timeout.ms=6000");
        ledgerArgs.add("--spring.kafka.consumer.properties.heartbeat.interval.ms=1000");
        ledgerPort = ServiceProcess.freePort();
        ledger = ServiceProcess.start("ledger-service", jar("tally.ledger.jar"), ledgerArgs, JVM, ledgerPort);

        List<String> governanceArgs = springArgs(infra.newDatabase("governance"));
        governanceArgs.add("--tally.governance.ledger-url=" + ledger.baseUrl());
        governanceArgs.add("--tally.governance.bootstrap-admin-key=" + PLATFORM_KEY);
        governanceArgs.add("--tally.governance.credential-key=" + CREDENTIAL_KEY);
        governanceArgs.add("--tally.governance.ledger-reply-timeout=30s");
        governance = ServiceProcess.start("governance-service", jar("tally.governance.jar"), governanceArgs, JVM,
                ServiceProcess.freePort());

        gatewayA = startGateway("gateway-a");
        gatewayB = startGateway("gateway-b");
    }

    public static synchronized GatewayStack get() {
        if (instance == null) {
            instance = new GatewayStack();
        }
        return instance;
    }

    public Governance platform() {
        return new Governance(governance.baseUrl(), PLATFORM_KEY);
    }

    public String ledgerUrl() {
        return ledger.baseUrl();
    }

    /** Stops the ledger: an outage. */
    public void stopLedger() {
        ledger.close();
    }

    /** Starts the ledger again on the same port and database, as an operator would after a crash. */
    public void restartLedger() {
        ledger = ServiceProcess.start("ledger-service", jar("tally.ledger.jar"), ledgerArgs, JVM, ledgerPort);
    }

    private ServiceProcess startGateway(String name) {
        List<String> args = new ArrayList<>();
        args.add("--spring.kafka.bootstrap-servers=" + infra.kafkaBootstrapServers());
        args.add("--tally.gateway.ledger-url=http://localhost:" + ledgerPort);
        args.add("--tally.gateway.credential-key=" + CREDENTIAL_KEY);
        args.add("--tally.gateway.reservation-timeout=" + System.getProperty("tally.it.reservation-timeout", "60s"));
        args.add("--tally.gateway.providers.openai.base-url=" + upstream.baseUrl() + "/openai/v1");
        args.add("--tally.gateway.providers.openai.api-key=sk-platform-openai");
        args.add("--tally.gateway.providers.openai.max-retries=2");
        args.add("--tally.gateway.providers.openai.fallbacks=openai-backup");
        args.add("--tally.gateway.providers.openai-backup.type=openai");
        args.add("--tally.gateway.providers.openai-backup.base-url=" + upstream.baseUrl() + "/backup/v1");
        args.add("--tally.gateway.providers.openai-backup.api-key=sk-backup");
        args.add("--tally.gateway.providers.anthropic.base-url=" + upstream.baseUrl() + "/anthropic");
        args.add("--tally.gateway.providers.anthropic.api-key=sk-ant-platform");
        args.add("--logging.level.org.apache.kafka=WARN");
        return ServiceProcess.start(name, jar("tally.gateway.jar"), args, JVM, ServiceProcess.freePort());
    }

    private List<String> springArgs(PostgresDatabase db) {
        List<String> args = new ArrayList<>();
        infra.springProperties(db).forEach((key, value) -> args.add("--" + key + "=" + value));
        args.add("--logging.level.org.apache.kafka=WARN");
        args.add("--logging.level.org.axonframework=WARN");
        return args;
    }

    private static Path jar(String property) {
        String jar = System.getProperty(property);
        if (jar == null) {
            throw new IllegalStateException("system property " + property + " must name an executable jar "
                    + "(failsafe sets it; run through 'mvn verify')");
        }
        return Path.of(jar);
    }
}
