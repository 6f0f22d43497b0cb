package dev.tally.gateway.support;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import dev.tally.events.topic.Topics;
import dev.tally.gateway.provider.HonestUpstream;
import dev.tally.testsupport.PostgresDatabase;
import dev.tally.testsupport.ServiceProcess;
import dev.tally.testsupport.TallyInfrastructure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Tally as it runs in production, on this machine: the real broker and PostgreSQL, ledger-service,
 * governance-service and two gateway replicas, each its own process from its executable jar. The LLM providers are
 * the only fakes: one WireMock server speaks OpenAI's and Anthropic's wire formats ({@link HonestUpstream} answers
 * embeddings and legacy completions with what an honest provider bills). Started once per test JVM.
 * The benchmark ({@code dev.tally.gateway.bench.GatewayBenchmark}) starts a variant through {@link #forBenchmark}:
 * one gateway, whose {@code openai} provider is a fast fake upstream instead of WireMock.
 */
public final class GatewayStack {

    public static final String PLATFORM_KEY = "tadm_gateway-it-platform-admin-key-000";
    /** The tests' gateways end requests running longer than this. */
    public static final java.time.Duration MAX_REQUEST_DURATION = java.time.Duration.ofSeconds(6);
    public static final String CREDENTIAL_KEY = Base64.getEncoder().encodeToString(new byte[32]);
    private static final Map<String, String> JVM = Map.of(
            "AXONIQ_UPDATE_CHECKER_DISABLED", "true",
            "JAVA_TOOL_OPTIONS", "-Xmx512m -XX:+UseSerialGC");
    private static GatewayStack instance;

    public final TallyInfrastructure infra = TallyInfrastructure.shared();
    /** Where the traced processes (the ledger and gateway B; not the benchmark's) export their spans. */
    public final SpanCollector spans = new SpanCollector();
    public final WireMockServer upstream;
    private final PostgresDatabase ledgerDb;
    private final List<String> ledgerArgs;
    private final int ledgerPort;
    private ServiceProcess ledger;
    public final ServiceProcess governance;
    public final ServiceProcess gatewayA;
    /** The second replica; null in the benchmark's one-gateway stack. */
    public final ServiceProcess gatewayB;
    private final String openAiBaseUrl;
    private final Map<String, String> gatewayJvm;
    private final Map<String, String> ledgerJvm;

    private GatewayStack() {
        this(null, 2, JVM, JVM);
    }

    /**
     * @param openAiBaseUrl the {@code openai} provider's base URL (ending in /v1), or null for WireMock's
     * @param gateways 1 or 2 gateway processes
     * @param gatewayJvm the gateway processes' extra environment (JAVA_TOOL_OPTIONS…)
     * @param ledgerJvm the ledger process's
     */
    private GatewayStack(String openAiBaseUrl, int gateways, Map<String, String> gatewayJvm,
            Map<String, String> ledgerJvm) {
        this.ledgerJvm = ledgerJvm;
        this.gatewayJvm = gatewayJvm;
        upstream = new WireMockServer(WireMockConfiguration.options().dynamicPort().containerThreads(64)
                .extensions(new HonestUpstream()));
        upstream.start();

        ledgerDb = infra.newDatabase("ledger");
        ledgerArgs = springArgs(ledgerDb);
        if (openAiBaseUrl == null) {
            // Tests wait for expiries; the benchmark keeps the production scan interval.
            ledgerArgs.add("--tally.ledger.expiry-scan-ms=200");
            // Traced, as gateway B is (TraceIT); gateway A and the benchmark run with tracing off, the default.
            ledgerArgs.addAll(tracing());
        }
        // A restarted ledger gets its partitions back after the old member's session ends: keep that short.
        ledgerArgs.add("--spring.kafka.consumer.properties.session.timeout.ms=6000");
        ledgerArgs.add("--spring.kafka.consumer.properties.heartbeat.interval.ms=1000");
        ledgerPort = ServiceProcess.freePort();
        // The ledger reads the admin keys it answers from tally.governance.state and is not healthy before it can;
        // governance, which creates that topic, starts only once the ledger's topics exist.
        infra.createTopics(4, Topics.GOVERNANCE_STATE.name());
        ledger = ServiceProcess.start("ledger-service", jar("tally.ledger.jar"), ledgerArgs, ledgerJvm, ledgerPort);

        List<String> governanceArgs = springArgs(infra.newDatabase("governance"));
        governanceArgs.add("--tally.governance.ledger-url=" + ledger.baseUrl());
        governanceArgs.add("--tally.governance.bootstrap-admin-key=" + PLATFORM_KEY);
        governanceArgs.add("--tally.governance.credential-key=" + CREDENTIAL_KEY);
        governanceArgs.add("--tally.governance.ledger-reply-timeout=30s");
        governance = ServiceProcess.start("governance-service", jar("tally.governance.jar"), governanceArgs, JVM,
                ServiceProcess.freePort());

        this.openAiBaseUrl = openAiBaseUrl != null ? openAiBaseUrl : upstream.baseUrl() + "/openai/v1";
        gatewayA = startGateway("gateway-a", List.of());
        gatewayB = gateways > 1 ? startGateway("gateway-b", tracing()) : null;
    }

    /**
     * The stack with one gateway whose {@code openai} provider is at {@code openAiBaseUrl}, for the benchmark; the
     * gateway's and the ledger's JVMs get the given JAVA_TOOL_OPTIONS instead of the tests' (heap, GC, JFR).
     * Not shared.
     */
    public static GatewayStack forBenchmark(String openAiBaseUrl, String gatewayJavaOptions,
            String ledgerJavaOptions) {
        return new GatewayStack(openAiBaseUrl, 1, javaOptions(gatewayJavaOptions), javaOptions(ledgerJavaOptions));
    }

    private static Map<String, String> javaOptions(String options) {
        return Map.of("AXONIQ_UPDATE_CHECKER_DISABLED", "true", "JAVA_TOOL_OPTIONS", options);
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

    /** A request to ledger-service's HTTP API, which answers admin keys only: as the platform admin. */
    public java.net.http.HttpRequest.Builder ledgerRequest(String path) {
        return java.net.http.HttpRequest.newBuilder(java.net.URI.create(ledgerUrl() + path))
                .header("Authorization", "Bearer " + PLATFORM_KEY);
    }

    public long ledgerPid() {
        return ledger.pid();
    }

    /** The port of the PostgreSQL server that holds every service's database. */
    public int postgresPort() {
        return ledgerDb.port();
    }

    /** Stops the ledger: an outage. */
    public void stopLedger() {
        ledger.close();
    }

    /** Starts the ledger again on the same port and database, as an operator would after a crash. */
    public void restartLedger() {
        ledger = ServiceProcess.start("ledger-service", jar("tally.ledger.jar"), ledgerArgs, ledgerJvm, ledgerPort);
    }

    private List<String> tracing() {
        return List.of("--tally.tracing.enabled=true", "--tally.tracing.sampling-probability=1.0",
                "--tally.tracing.otlp-endpoint=" + spans.endpoint());
    }

    private ServiceProcess startGateway(String name, List<String> extraArgs) {
        List<String> args = gatewayArgs(name);
        args.addAll(extraArgs);
        return ServiceProcess.start(name, jar("tally.gateway.jar"), args, gatewayJvm, ServiceProcess.freePort());
    }

    /**
     * One more gateway in this JVM, configured as the stack's replicas are, on a free port: for tests that need the
     * application context itself (the attack suite reads its handler mappings). The caller closes it.
     */
    public org.springframework.context.ConfigurableApplicationContext startInProcessGateway(String name) {
        List<String> args = gatewayArgs(name);
        args.add("--server.port=0");
        return new org.springframework.boot.builder.SpringApplicationBuilder(
                dev.tally.gateway.GatewayServiceApplication.class).run(args.toArray(String[]::new));
    }

    private List<String> gatewayArgs(String name) {
        List<String> args = new ArrayList<>();
        args.add("--spring.kafka.bootstrap-servers=" + infra.kafkaBootstrapServers());
        args.add("--tally.gateway.ledger-url=http://localhost:" + ledgerPort);
        args.add("--tally.gateway.ledger-admin-key=" + PLATFORM_KEY);
        args.add("--tally.gateway.credential-key=" + CREDENTIAL_KEY);
        args.add("--tally.gateway.reservation-timeout=" + System.getProperty("tally.it.reservation-timeout", "60s"));
        args.add("--tally.gateway.providers.openai.base-url=" + openAiBaseUrl);
        args.add("--tally.gateway.providers.openai.api-key=sk-platform-openai");
        args.add("--tally.gateway.providers.openai.max-retries=2");
        args.add("--tally.gateway.providers.openai.fallbacks=openai-backup");
        args.add("--tally.gateway.providers.openai-backup.type=openai");
        args.add("--tally.gateway.providers.openai-backup.base-url=" + upstream.baseUrl() + "/backup/v1");
        args.add("--tally.gateway.providers.openai-backup.api-key=sk-backup");
        args.add("--tally.gateway.providers.anthropic.base-url=" + upstream.baseUrl() + "/anthropic");
        args.add("--tally.gateway.providers.anthropic.api-key=sk-ant-platform");
        // Azure OpenAI, Gemini and Bedrock on the same WireMock, each at its own path (Bedrock's at the root, as
        // its SDK addresses /model/{id}/converse); Azure falls back to a second resource.
        args.add("--tally.gateway.providers.azure.type=azure");
        args.add("--tally.gateway.providers.azure.base-url=" + upstream.baseUrl() + "/azure");
        args.add("--tally.gateway.providers.azure.api-key=azure-platform-key");
        args.add("--tally.gateway.providers.azure.api-version=2024-10-21");
        args.add("--tally.gateway.providers.azure.deployments.[azure/gpt-4o-mini]=tally-mini");
        args.add("--tally.gateway.providers.azure.max-retries=2");
        args.add("--tally.gateway.providers.azure.fallbacks=azure-backup");
        args.add("--tally.gateway.providers.azure-backup.type=azure");
        args.add("--tally.gateway.providers.azure-backup.base-url=" + upstream.baseUrl() + "/azure-backup");
        args.add("--tally.gateway.providers.azure-backup.api-key=azure-backup-key");
        args.add("--tally.gateway.providers.gemini.type=gemini");
        args.add("--tally.gateway.providers.gemini.base-url=" + upstream.baseUrl() + "/gemini/v1beta/openai");
        args.add("--tally.gateway.providers.gemini.api-key=gemini-platform-key");
        args.add("--tally.gateway.providers.bedrock.type=bedrock");
        args.add("--tally.gateway.providers.bedrock.base-url=" + upstream.baseUrl());
        args.add("--tally.gateway.providers.bedrock.region=us-east-1");
        args.add("--tally.gateway.providers.bedrock.access-key-id=AKIAPLATFORMKEY00000");
        args.add("--tally.gateway.providers.bedrock.secret-access-key=platform-secret-access-key");
        args.add("--tally.gateway.providers.bedrock.max-retries=2");
        routing(args);
        if (openAiBaseUrl.startsWith(upstream.baseUrl())) {
            // Tests run requests past the maximum duration; the benchmark keeps the production one.
            args.add("--tally.gateway.max-request-duration=" + MAX_REQUEST_DURATION.toSeconds() + "s");
        }
        try {
            args.add("--tally.gateway.journal.directory=" + Files.createTempDirectory(name + "-journal"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        args.add("--logging.level.org.apache.kafka=WARN");
        return args;
    }

    /**
     * RoutingIT's deployments and fallback chains, on providers and model names of its own, so no other test's
     * traffic is balanced, cooled down or chained: {@code routed-lb} on two deployments weighted 3:1 (the first knows
     * it as {@code routed-lb-one}), {@code routed-cool} on two deployments for the cooldown, and the chain
     * {@code routed-gpt} (OpenAI-compatible) → {@code routed-claude} (Anthropic), and {@code routed-dear} →
     * {@code routed-gpt} for a budget's refusal.
     */
    private void routing(List<String> args) {
        for (String provider : List.of("lb-one", "lb-two", "chain-openai", "breaker")) {
            args.add("--tally.gateway.providers." + provider + ".type=openai");
            args.add("--tally.gateway.providers." + provider + ".base-url=" + upstream.baseUrl() + "/" + provider
                    + "/v1");
            args.add("--tally.gateway.providers." + provider + ".api-key=sk-" + provider);
        }
        args.add("--tally.gateway.providers.chain-anthropic.type=anthropic");
        args.add("--tally.gateway.providers.chain-anthropic.base-url=" + upstream.baseUrl() + "/chain-anthropic");
        args.add("--tally.gateway.providers.chain-anthropic.api-key=sk-ant-chain");
        String models = "--tally.gateway.routing.models";
        args.add(models + "[0].model=routed-lb");
        args.add(models + "[0].deployments[0].provider=lb-one");
        args.add(models + "[0].deployments[0].model=routed-lb-one");
        args.add(models + "[0].deployments[0].weight=3");
        args.add(models + "[0].deployments[1].provider=lb-two");
        args.add(models + "[0].deployments[1].weight=1");
        args.add(models + "[1].model=routed-cool");
        args.add(models + "[1].deployments[0].provider=lb-one");
        args.add(models + "[1].deployments[1].provider=lb-two");
        args.add(models + "[2].model=routed-gpt");
        args.add(models + "[2].fallbacks=routed-claude");
        args.add(models + "[3].model=routed-dear");
        args.add(models + "[3].fallbacks=routed-gpt");
        // Long enough that a test never sees a cooled-down deployment come back.
        args.add("--tally.gateway.routing.cooldown.period=10m");
    }

    private List<String> springArgs(PostgresDatabase db) {
        List<String> args = new ArrayList<>();
        infra.springProperties(db).forEach((key, value) -> args.add("--" + key + "=" + value));
        args.add("--logging.level.org.apache.kafka=WARN");
        args.add("--logging.level.org.axonframework=WARN");
        return args;
    }

    /**
     * The executable jar that failsafe names in {@code property} (tally.ledger.jar…); outside failsafe (the
     * benchmark, an IDE), the module's jar under {@code <module>/target} of the project this JVM runs in.
     */
    private static Path jar(String property) {
        String jar = System.getProperty(property);
        if (jar != null) {
            return Path.of(jar);
        }
        String module = property.substring("tally.".length(), property.length() - ".jar".length()) + "-service";
        Path here = Path.of("").toAbsolutePath();
        for (Path root : new Path[] {here, here.getParent()}) {
            Path target = root == null ? null : root.resolve(module).resolve("target");
            if (target != null && Files.isDirectory(target)) {
                try (Stream<Path> files = Files.list(target)) {
                    List<Path> jars = files.filter(f -> f.getFileName().toString().matches(
                            java.util.regex.Pattern.quote(module) + "-[0-9][^/]*(?<!-sources|-tests|-plain)\\.jar"))
                            .toList();
                    if (jars.size() == 1) {
                        return jars.get(0);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        throw new IllegalStateException("system property " + property + " must name an executable jar (failsafe "
                + "sets it), or " + module + "/target must hold one: build it first with ./mvnw install -DskipTests");
    }
}
