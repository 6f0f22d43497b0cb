package dev.tally.localstack;

import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.tally.servicekit.kafka.KafkaSecurity;

/**
 * Tally on this machine: a real Kafka broker and a real PostgreSQL (or external ones), the topics, every service as
 * its own process on fixed ports, and the demo organisation. {@link #start} returns once every health check passes
 * and the gateway accepts the demo key; {@link #stop} stops the services, then Kafka, then PostgreSQL. End-to-end
 * tests use the same object to crash and restart parts:
 *
 * <pre>{@code
 * try (LocalStack stack = LocalStack.start(StackOptions.builder(root).dataDirectory(tmp).freePorts().build())) {
 *     post(stack.gatewayUrl() + "/v1/chat/completions", stack.demo().agentKey(), ...);
 *     stack.killService(LocalStack.LEDGER);
 *     stack.startService(LocalStack.LEDGER);
 *     stack.stopKafka();
 *     stack.startKafka();
 * }
 * }</pre>
 */
public final class LocalStack implements AutoCloseable {

    public static final String LEDGER = "ledger-service";
    public static final String GOVERNANCE = "governance-service";
    public static final String GATEWAY = "gateway-service";
    public static final String ANALYTICS = "analytics-service";
    public static final String NOTIFICATION = "notification-service";
    private static final Duration GATEWAY_STATE_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(15);

    private final StackOptions options;
    private final Progress progress;
    private final DataFolder folder;
    private final Thread shutdownHook;
    private final Map<String, ServiceLauncher> services = new LinkedHashMap<>();
    /** Each module's environment, for replicas added later ({@link #addReplica}). */
    private final Map<String, Map<String, String>> environments = new LinkedHashMap<>();
    private volatile CompletableFuture<Postgres> postgres;
    private volatile KafkaBroker kafka;
    private volatile String kafkaBootstrapServers;
    private volatile KafkaSecurity kafkaSecurity = KafkaSecurity.PLAINTEXT;
    private volatile Secrets secrets;
    private volatile DemoOrg demo;
    private volatile Long demoCredits;
    private volatile boolean demoCreated;
    private volatile Duration startupTime;
    private volatile boolean stopped;

    private LocalStack(StackOptions options, PrintStream out) {
        this.options = options;
        this.progress = new Progress(out);
        this.folder = DataFolder.lock(options.dataDirectory());
        this.shutdownHook = new Thread(this::stop, "tally-local-stack-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Starts everything and prints progress to standard output. */
    public static LocalStack start(StackOptions options) {
        return start(options, System.out);
    }

    /**
     * Starts everything, printing progress to {@code out}. If any part fails, whatever started is stopped and a
     * {@link StackException} says what failed and shows the end of its log.
     */
    public static LocalStack start(StackOptions options, PrintStream out) {
        LocalStack stack = new LocalStack(options, out);
        try {
            stack.startAll();
            return stack;
        } catch (RuntimeException e) {
            stack.stop();
            throw e;
        }
    }

    private void startAll() {
        long begin = System.nanoTime();
        Leftovers.stopAll(options.dataDirectory(), progress::note);
        if (options.wipe()) {
            folder.wipeContents();
            progress.note("wiped " + options.dataDirectory());
        }
        PortCheck.requireFree(portClaims(options));
        requireJars();
        secrets = Secrets.loadOrCreate(options.dataDirectory().resolve("secrets.properties"));
        startInfrastructure();
        createTopics();
        Postgres database = postgres.join();
        createServices(database);
        startServices(new ArrayList<>(services.values()));
        if (options.createDemo()) {
            prepareDemo();
        }
        startupTime = Duration.ofNanos(System.nanoTime() - begin);
    }

    static List<PortCheck.Claim> portClaims(StackOptions options) {
        List<PortCheck.Claim> claims = new ArrayList<>();
        List<Integer> gatewayPorts = options.gatewayPorts();
        for (int i = 0; i < gatewayPorts.size(); i++) {
            claims.add(new PortCheck.Claim(gatewayPorts.get(i), gatewayName(i), "--gateway-port (TALLY_GATEWAY_PORT)"));
        }
        claims.add(new PortCheck.Claim(options.ledgerPort(), LEDGER, "--ledger-port (TALLY_LEDGER_PORT)"));
        claims.add(new PortCheck.Claim(options.governancePort(), GOVERNANCE,
                "--governance-port (TALLY_GOVERNANCE_PORT)"));
        claims.add(new PortCheck.Claim(options.analyticsPort(), ANALYTICS,
                "--analytics-port (TALLY_ANALYTICS_PORT)"));
        claims.add(new PortCheck.Claim(options.notificationPort(), NOTIFICATION,
                "--notification-port (TALLY_NOTIFICATION_PORT)"));
        if (options.externalKafka() == null) {
            claims.add(new PortCheck.Claim(options.kafkaPort(), "Kafka", "--kafka-port (TALLY_KAFKA_PORT)"));
            claims.add(new PortCheck.Claim(options.kafkaControllerPort(), "Kafka's controller",
                    "--kafka-controller-port (TALLY_KAFKA_CONTROLLER_PORT)"));
        }
        if (options.externalPostgres() == null) {
            claims.add(new PortCheck.Claim(options.postgresPort(), "PostgreSQL", "--postgres-port (TALLY_POSTGRES_PORT)"));
        }
        return claims;
    }

    private static String gatewayName(int replica) {
        return replica == 0 ? GATEWAY : GATEWAY + "-" + (replica + 1);
    }

    private void requireJars() {
        List<String> missing = new ArrayList<>();
        for (String module : List.of(LEDGER, GOVERNANCE, GATEWAY, ANALYTICS, NOTIFICATION)) {
            if (!Files.isRegularFile(options.jar(module))) {
                missing.add(options.jar(module).toString());
            }
        }
        if (options.externalKafka() == null && !Files.isDirectory(options.kafkaLibDirectory())) {
            missing.add(options.kafkaLibDirectory() + "/");
        }
        if (!missing.isEmpty()) {
            throw new StackException("not built yet: " + String.join(", ", missing)
                    + "\n  build with: ./mvnw -q -DskipTests package -pl infra/local-stack,ledger-service,"
                    + "governance-service,gateway-service,analytics-service,notification-service -am   (./tally up does it for you)");
        }
    }

    /** PostgreSQL and Kafka are independent processes; starting them side by side saves a few seconds. */
    private void startInfrastructure() {
        Path logs = options.logDirectory();
        postgres = CompletableFuture.supplyAsync(() -> {
            long begin = System.nanoTime();
            Postgres started = options.externalPostgres() == null
                    ? Postgres.startEmbedded(options.dataDirectory().resolve("postgres"), options.postgresPort(),
                            logs.resolve("postgres.log"), options.postgresSettings(), secrets.postgresPassword())
                    : Postgres.external(options.externalPostgres(), options.dbUser(), options.dbPassword());
            progress.ok(started.isEmbedded() ? "PostgreSQL" : "PostgreSQL (external)", started.address(),
                    since(begin));
            return started;
        });
        try {
            long begin = System.nanoTime();
            if (options.externalKafka() == null) {
                kafka = new KafkaBroker(options.dataDirectory().resolve("kafka"), options.kafkaLibDirectory(),
                        options.kafkaPort(), options.kafkaControllerPort(), logs.resolve("kafka.log"),
                        Leftovers.marker(options.dataDirectory()),
                        options.kafkaSasl() ? secrets.kafkaPassword() : null,
                        options.kafkaTls() ? BrokerCertificate.createOnce(options.dataDirectory().resolve("kafka/tls"))
                                : null);
                kafkaSecurity = kafka.clientSecurity();
                kafka.start();
                kafkaBootstrapServers = kafka.bootstrapServers();
                progress.ok(kafkaLabel(options), kafkaBootstrapServers,
                        since(begin));
            } else {
                // The services read the same TALLY_KAFKA_* variables from the environment they inherit.
                kafkaSecurity = KafkaSecurity.from(
                        setting -> System.getenv(KafkaSecurity.environmentVariable(setting)));
                kafkaBootstrapServers = options.externalKafka();
                progress.ok("Kafka (external)", kafkaBootstrapServers, since(begin));
            }
        } catch (RuntimeException e) {
            progress.failed("Kafka", firstLine(e));
            throw e;
        }
        try {
            postgres.join();
        } catch (CompletionException e) {
            RuntimeException cause = e.getCause() instanceof RuntimeException runtime ? runtime : e;
            progress.failed("PostgreSQL", firstLine(cause));
            throw cause;
        }
    }

    private void createTopics() {
        long begin = System.nanoTime();
        int created = TopicSetup.createMissing(kafkaBootstrapServers, kafkaSecurity);
        int total = TopicSetup.topics().size();
        progress.ok("topics", created == 0 ? total + " topics, all there" : created + " of " + total + " created",
                since(begin));
    }

    private void createServices(Postgres database) {
        Path logs = options.logDirectory();
        Map<String, String> common = new LinkedHashMap<>();
        common.put("TALLY_KAFKA_BOOTSTRAP", kafkaBootstrapServers);
        if (kafka != null) {
            // The stack's own broker: its settings replace any TALLY_KAFKA_* the launcher inherited (blank = unset).
            Map<String, String> settings = kafkaSecurity.settings();
            for (String setting : KafkaSecurity.SETTINGS) {
                common.put(KafkaSecurity.environmentVariable(setting), settings.getOrDefault(setting, ""));
            }
        }
        common.put("AXONIQ_UPDATE_CHECKER_DISABLED", "true");
        // Services on this machine listen on loopback only: the stack's keys are in a file beside it, and nothing
        // else on the network has any business with it. TALLY_BIND_ADDRESS in the environment replaces this.
        common.put("TALLY_BIND_ADDRESS", System.getenv().getOrDefault("TALLY_BIND_ADDRESS", "127.0.0.1"));
        String ledgerUrl = "http://localhost:" + options.ledgerPort();

        Map<String, String> ledger = new LinkedHashMap<>(common);
        ledger.put("TALLY_LEDGER_DB_URL", database.jdbcUrl("tally_ledger"));
        ledger.put("TALLY_DB_USER", database.user());
        ledger.put("TALLY_DB_PASSWORD", database.password());
        services.put(LEDGER, launcher(LEDGER, LEDGER, options.ledgerPort(), ledger, logs));
        environments.put(LEDGER, ledger);

        Map<String, String> governance = new LinkedHashMap<>(common);
        governance.put("TALLY_GOVERNANCE_R2DBC_URL", database.r2dbcUrl("tally_governance"));
        governance.put("TALLY_GOVERNANCE_DB_URL", database.jdbcUrl("tally_governance"));
        governance.put("TALLY_DB_USER", database.user());
        governance.put("TALLY_DB_PASSWORD", database.password());
        governance.put("TALLY_LEDGER_URL", ledgerUrl);
        governance.put("TALLY_BOOTSTRAP_ADMIN_KEY", secrets.adminKey());
        governance.put("TALLY_CREDENTIAL_KEY", secrets.credentialKey());
        services.put(GOVERNANCE, launcher(GOVERNANCE, GOVERNANCE, options.governancePort(), governance, logs));

        Map<String, String> gateway = new LinkedHashMap<>(common);
        gateway.put("TALLY_LEDGER_URL", ledgerUrl);
        // ledger-service answers admin keys only; the quota route reads balances as the platform admin.
        gateway.put("TALLY_LEDGER_ADMIN_KEY", secrets.adminKey());
        gateway.put("TALLY_CREDENTIAL_KEY", secrets.credentialKey());
        for (int i = 0; i < options.gatewayPorts().size(); i++) {
            String name = gatewayName(i);
            // Each replica's charge journal in the data folder: a restarted replica reads back its own.
            Map<String, String> replica = new LinkedHashMap<>(gateway);
            replica.put("TALLY_GATEWAY_JOURNAL_DIR", options.dataDirectory().resolve(name + "-journal").toString());
            services.put(name, launcher(name, GATEWAY, options.gatewayPorts().get(i), replica, logs));
        }

        Map<String, String> analytics = new LinkedHashMap<>(common);
        analytics.put("TALLY_ANALYTICS_R2DBC_URL", database.r2dbcUrl("tally_analytics"));
        analytics.put("TALLY_ANALYTICS_DB_URL", database.jdbcUrl("tally_analytics"));
        analytics.put("TALLY_DB_USER", database.user());
        analytics.put("TALLY_DB_PASSWORD", database.password());
        services.put(ANALYTICS, launcher(ANALYTICS, ANALYTICS, options.analyticsPort(), analytics, logs));

        Map<String, String> notification = new LinkedHashMap<>(common);
        notification.put("TALLY_NOTIFICATION_R2DBC_URL", database.r2dbcUrl("tally_notification"));
        notification.put("TALLY_NOTIFICATION_DB_URL", database.jdbcUrl("tally_notification"));
        notification.put("TALLY_DB_USER", database.user());
        notification.put("TALLY_DB_PASSWORD", database.password());
        notification.put("TALLY_CHANNEL_KEY", secrets.channelKey());
        // On this machine channels may point at local receivers (a webhook catcher, a local SMTP server), which the
        // outbound address policy refuses elsewhere; an allow-list in the environment replaces this one.
        notification.put("TALLY_OUTBOUND_ALLOW", System.getenv().getOrDefault("TALLY_OUTBOUND_ALLOW",
                "localhost,127.0.0.1,::1"));
        services.put(NOTIFICATION, launcher(NOTIFICATION, NOTIFICATION, options.notificationPort(), notification,
                logs));
    }

    private ServiceLauncher launcher(String name, String module, int port, Map<String, String> environment, Path logs) {
        return launcher(name, module, port, environment, logs, List.of());
    }

    private ServiceLauncher launcher(String name, String module, int port, Map<String, String> environment, Path logs,
            List<String> extraArguments) {
        List<String> jvm = new ArrayList<>(options.serviceJvmOptions());
        jvm.add(Leftovers.marker(options.dataDirectory()));
        List<String> arguments = new ArrayList<>(List.of("--logging.level.org.apache.kafka=WARN"));
        arguments.addAll(options.serviceArguments().getOrDefault(module, List.of()));
        if (!name.equals(module)) {
            arguments.addAll(options.serviceArguments().getOrDefault(name, List.of()));
        }
        arguments.addAll(extraArguments);
        AotCache aotCache = null;
        if (options.aotCache()) {
            AotCache.checkJdk(options.serviceJava());
            aotCache = new AotCache(name, options.jar(module), options.dataDirectory(), options.serviceJava());
        }
        return new ServiceLauncher(name, options.jar(module), port, environment, jvm, arguments,
                logs.resolve(name + ".log"), options.serviceJava(), aotCache);
    }

    /**
     * All services start side by side: none needs another to become healthy (governance asks the ledger only when
     * an organisation is created, and the gateway reads governance's state from Kafka whenever it comes).
     */
    private void startServices(List<ServiceLauncher> launchers) {
        long begin = System.nanoTime();
        Map<ServiceLauncher, CompletableFuture<Void>> waits = new LinkedHashMap<>();
        for (ServiceLauncher service : launchers) {
            service.launch();
            progress.note(String.format("%-20s starting on port %d, log %s", service.name(), service.port(),
                    relative(service.logFile())));
        }
        for (ServiceLauncher service : launchers) {
            waits.put(service, CompletableFuture.runAsync(() -> {
                service.awaitHealthy();
                progress.ok(service.name(), service.baseUrl(), since(begin));
            }));
        }
        CompletableFuture<Void> all = CompletableFuture.allOf(waits.values().toArray(CompletableFuture[]::new));
        while (true) {
            try {
                all.get(PROGRESS_EVERY.toMillis(), TimeUnit.MILLISECONDS);
                return;
            } catch (TimeoutException e) {
                List<String> waiting = waits.entrySet().stream().filter(entry -> !entry.getValue().isDone())
                        .map(entry -> entry.getKey().name()).toList();
                progress.note(String.format("%-20s still waiting for %s (%.0f s)", "…", String.join(", ", waiting),
                        Progress.seconds(since(begin))));
            } catch (ExecutionException e) {
                RuntimeException cause = e.getCause() instanceof RuntimeException runtime
                        ? runtime : new StackException(e.getCause().toString(), e.getCause());
                waits.forEach((service, wait) -> {
                    if (wait.isCompletedExceptionally()) {
                        progress.failed(service.name(), "see below");
                    }
                });
                throw cause;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StackException("interrupted while the services started", e);
            }
        }
    }

    private void prepareDemo() {
        long begin = System.nanoTime();
        DemoOrg.Outcome outcome = DemoOrg.ensure(governanceUrl(), secrets.adminKey(),
                options.dataDirectory().resolve("demo.json"));
        demo = outcome.demo();
        demoCreated = outcome.created();
        demoCredits = outcome.availableCredits();
        progress.ok("demo organisation", (outcome.created() ? "created " : "found ") + "\"" + demo.orgName() + "\""
                + (demoCredits == null ? "" : ", " + demoCredits + " credits available"), since(begin));
        begin = System.nanoTime();
        for (String url : gatewayUrls()) {
            DemoOrg.awaitGatewayAccepts(url, demo.agentKey(), GATEWAY_STATE_TIMEOUT);
        }
        progress.ok("gateway state", "demo key accepted", since(begin));
    }

    // ---- what a caller (the CLI, an end-to-end test) reads

    public StackOptions options() {
        return options;
    }

    /** The first gateway replica's base URL (no {@code /v1}). */
    public String gatewayUrl() {
        return services.get(GATEWAY).baseUrl();
    }

    public List<String> gatewayUrls() {
        return services.values().stream().filter(service -> service.name().startsWith(GATEWAY))
                .map(ServiceLauncher::baseUrl).toList();
    }

    public String ledgerUrl() {
        return services.get(LEDGER).baseUrl();
    }

    public String governanceUrl() {
        return services.get(GOVERNANCE).baseUrl();
    }

    public String analyticsUrl() {
        return services.get(ANALYTICS).baseUrl();
    }

    public String notificationUrl() {
        return services.get(NOTIFICATION).baseUrl();
    }

    public String kafkaBootstrapServers() {
        return kafkaBootstrapServers;
    }

    /** The broker's progress label, short enough for the column. */
    private static String kafkaLabel(StackOptions options) {
        if (options.kafkaSasl() && options.kafkaTls()) {
            return "Kafka (SASL, TLS)";
        }
        return options.kafkaSasl() ? "Kafka (KRaft, SASL)" : options.kafkaTls() ? "Kafka (KRaft, TLS)" : "Kafka (KRaft)";
    }

    /** How the stack's clients log in to Kafka (PLAINTEXT unless --kafka-sasl, --kafka-tls or an external Kafka's). */
    public KafkaSecurity kafkaSecurity() {
        return kafkaSecurity;
    }

    /** {@code tally_ledger} or {@code tally_governance}; user and password are {@link #databaseUser()}'s. */
    public String jdbcUrl(String database) {
        return postgres.join().jdbcUrl(database);
    }

    public String databaseUser() {
        return postgres.join().user();
    }

    public String databasePassword() {
        return postgres.join().password();
    }

    /** The platform-admin key ({@code tadm_…}) governance was started with. */
    public String adminKey() {
        return secrets.adminKey();
    }

    public String credentialKey() {
        return secrets.credentialKey();
    }

    /** The demo organisation, or null when {@link StackOptions#createDemo()} is off. */
    public DemoOrg demo() {
        return demo;
    }

    /** The org pool's available credits when the stack became ready (null if the ledger did not say). */
    public Long demoCredits() {
        return demoCredits;
    }

    public boolean demoCreated() {
        return demoCreated;
    }

    public Duration startupTime() {
        return startupTime;
    }

    public Path dataDirectory() {
        return options.dataDirectory();
    }

    /** The service names: ledger-service, governance-service, gateway-service (gateway-service-2, … for replicas),
     * analytics-service, notification-service. */
    public List<String> serviceNames() {
        return List.copyOf(services.keySet());
    }

    public Path logFile(String service) {
        return service(service).logFile();
    }

    public long pid(String service) {
        return service(service).pid();
    }

    public boolean isRunning(String service) {
        return service(service).isRunning();
    }

    /** The exit code of a service that is not running (null while it runs). */
    public Integer exitCode(String service) {
        return service(service).exitCode();
    }

    public long kafkaPid() {
        return kafka == null ? -1 : kafka.pid();
    }

    // ---- what end-to-end tests do to it

    /** SIGKILL: the service dies as in a crash, with no shutdown of its own. */
    public void killService(String name) {
        service(name).kill();
    }

    /** SIGTERM: Spring's graceful shutdown. */
    public void stopService(String name) {
        service(name).stop();
    }

    /**
     * Starts one more instance of {@code module} configured as the stack's own (same database, same Kafka consumer
     * groups) on a free port, with {@code arguments} added, and waits until it is healthy: a second ledger-service
     * shares the command partitions with the first, as a second replica does in production. Returns its name, for
     * {@link #killService} and the others. Only modules the stack keeps an environment for (ledger-service).
     */
    public String addReplica(String module, List<String> arguments) {
        Map<String, String> environment = environments.get(module);
        if (environment == null) {
            throw new IllegalArgumentException("no replicas of " + module + "; only of " + environments.keySet());
        }
        String name = module + "-" + (services.keySet().stream().filter(n -> n.startsWith(module)).count() + 1);
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        } catch (IOException e) {
            throw new StackException("no free port for " + name, e);
        }
        ServiceLauncher launcher = launcher(name, module, port, environment, options.logDirectory(), arguments);
        services.put(name, launcher);
        launcher.start();
        return name;
    }

    /** Starts a stopped or killed service again, same port and configuration, and waits until it is healthy. */
    public void startService(String name) {
        service(name).start();
    }

    public void restartService(String name) {
        ServiceLauncher service = service(name);
        service.stop();
        service.start();
    }

    /** A clean broker shutdown. Only for the broker the stack started (not an external Kafka). */
    public void stopKafka() {
        requireOwnKafka().stop();
    }

    /** SIGKILL to the broker. */
    public void killKafka() {
        requireOwnKafka().kill();
    }

    /** Starts the broker again with the same data, and waits until it answers. */
    public void startKafka() {
        requireOwnKafka().start();
    }

    private KafkaBroker requireOwnKafka() {
        if (kafka == null) {
            throw new IllegalStateException("Kafka is external; the stack did not start it");
        }
        return kafka;
    }

    private ServiceLauncher service(String name) {
        ServiceLauncher service = services.get(name);
        if (service == null) {
            throw new IllegalArgumentException("no service " + name + "; the services are " + services.keySet());
        }
        return service;
    }

    /**
     * Stops the services (side by side), then Kafka, then PostgreSQL, saying so on the progress stream. Idempotent;
     * also runs from a shutdown hook, so Ctrl-C or the end of a test JVM leaves no process behind.
     */
    public void stop() {
        synchronized (this) {
            if (stopped) {
                return;
            }
            stopped = true;
        }
        long begin = System.nanoTime();
        List<ServiceLauncher> running = services.values().stream().filter(ServiceLauncher::isRunning).toList();
        if (!running.isEmpty() || (kafka != null && kafka.isRunning()) || postgres != null) {
            progress.note("stopping: the services, then Kafka, then PostgreSQL");
        }
        CompletableFuture.allOf(services.values().stream()
                .map(service -> CompletableFuture.runAsync(service::retire))
                .toArray(CompletableFuture[]::new)).join();
        if (!running.isEmpty()) {
            progress.ok("stopped services", String.join(", ", running.stream().map(ServiceLauncher::name).toList()),
                    since(begin));
        }
        if (kafka != null) {
            begin = System.nanoTime();
            boolean wasRunning = kafka.isRunning();
            kafka.retire();
            if (wasRunning) {
                progress.ok("stopped Kafka", kafkaBootstrapServers, since(begin));
            }
        }
        if (postgres != null) {
            begin = System.nanoTime();
            try {
                Postgres database = postgres.get(90, TimeUnit.SECONDS);
                if (database.isEmbedded()) {
                    database.stop();
                    progress.ok("stopped PostgreSQL", database.address(), since(begin));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException | RuntimeException e) {
                // It never started, or it cannot be stopped: nothing more to do from here.
            }
        }
        folder.close();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // Already shutting down: this is the hook.
        }
    }

    /** True once {@link #stop} began: processes ending from then on are expected. */
    public boolean isStopping() {
        return stopped;
    }

    @Override
    public void close() {
        stop();
    }

    private String relative(Path path) {
        Path root = options.projectRoot();
        return path.startsWith(root) ? root.relativize(path).toString() : path.toString();
    }

    private static Duration since(long nanos) {
        return Duration.ofNanos(System.nanoTime() - nanos);
    }

    private static String firstLine(Throwable e) {
        String message = e.getMessage() == null ? e.toString() : e.getMessage();
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
