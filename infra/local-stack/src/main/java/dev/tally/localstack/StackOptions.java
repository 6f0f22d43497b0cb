package dev.tally.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Where the stack keeps its data, which ports it takes and what it starts.
 *
 * @param projectRoot         the repository root: the services' jars are found under it
 * @param dataDirectory       Kafka's and PostgreSQL's data, logs, secrets and the demo organisation ({@code .tally})
 * @param gatewayPorts        one gateway replica per port
 * @param externalKafka       bootstrap servers of a Kafka to use instead of starting a broker; null = start one
 * @param externalPostgres    {@code host:port} of a PostgreSQL to use instead of starting one; null = start one
 * @param dbUser              database user of an external server (the embedded one's is always {@code postgres})
 * @param dbPassword          its password; null for the embedded server, whose password is in the secrets file
 * @param wipe                delete the data directory before starting
 * @param createDemo          create (or reuse) the demo organisation once the services are healthy
 * @param serviceJvmOptions   JVM options of every service process
 * @param serviceArguments    extra {@code --key=value} arguments per service name (e.g. "ledger-service")
 * @param kafkaSasl           start the broker with a SASL/SCRAM listener only, and give every service its user
 * @param kafkaTls            start the broker with a TLS listener only (a certificate made on the first start), and
 *                            give every service the truststore
 * @param postgresSettings    server settings of the embedded PostgreSQL on top of the embedded defaults (which turn
 *                            {@code synchronous_commit} off), e.g. {@code synchronous_commit=on} for durable commits
 * @param serviceJavaHome     the JDK the services run on; null = the launcher's own
 * @param aotCache            run the services with JDK 25's ahead-of-time cache ({@link AotCache})
 */
public record StackOptions(Path projectRoot, Path dataDirectory, List<Integer> gatewayPorts, int ledgerPort,
        int governancePort, int analyticsPort, int notificationPort, int kafkaPort, int kafkaControllerPort, int postgresPort, String externalKafka,
        String externalPostgres, String dbUser, String dbPassword, boolean wipe, boolean createDemo,
        List<String> serviceJvmOptions, Map<String, List<String>> serviceArguments,
        Map<String, String> postgresSettings, boolean kafkaSasl, boolean kafkaTls, Path serviceJavaHome,
        boolean aotCache) {

    public static final String VERSION = "0.1.0-SNAPSHOT";
    public static final int GATEWAY_PORT = 8080;
    public static final int LEDGER_PORT = 8081;
    public static final int GOVERNANCE_PORT = 8082;
    public static final int ANALYTICS_PORT = 8084;
    public static final int NOTIFICATION_PORT = 8085;
    public static final int KAFKA_PORT = 19092;
    public static final int KAFKA_CONTROLLER_PORT = 19093;
    public static final int POSTGRES_PORT = 15432;
    /**
     * Small heaps, and the quick C1 compiler only: the services become healthy about a third sooner on a laptop.
     * Benchmarks want the full JIT: pass other options (docs/operations.md).
     */
    public static final List<String> DEFAULT_JVM_OPTIONS = List.of("-Xmx512m", "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1");

    public StackOptions {
        Objects.requireNonNull(projectRoot, "projectRoot");
        Objects.requireNonNull(dataDirectory, "dataDirectory");
        gatewayPorts = List.copyOf(gatewayPorts);
        if (gatewayPorts.isEmpty()) {
            throw new IllegalArgumentException("at least one gateway port is needed");
        }
        serviceJvmOptions = List.copyOf(serviceJvmOptions);
        Map<String, List<String>> arguments = new LinkedHashMap<>();
        serviceArguments.forEach((service, args) -> arguments.put(service, List.copyOf(args)));
        serviceArguments = Map.copyOf(arguments);
        postgresSettings = Map.copyOf(postgresSettings);
    }

    /** The documented defaults: data in {@code <projectRoot>/.tally}, gateway on 8080, and so on. */
    public static Builder builder(Path projectRoot) {
        return new Builder(projectRoot);
    }

    public Builder toBuilder() {
        Builder builder = new Builder(projectRoot);
        builder.dataDirectory = dataDirectory;
        builder.gatewayPorts = new ArrayList<>(gatewayPorts);
        builder.ledgerPort = ledgerPort;
        builder.governancePort = governancePort;
        builder.analyticsPort = analyticsPort;
        builder.notificationPort = notificationPort;
        builder.kafkaPort = kafkaPort;
        builder.kafkaControllerPort = kafkaControllerPort;
        builder.postgresPort = postgresPort;
        builder.externalKafka = externalKafka;
        builder.externalPostgres = externalPostgres;
        builder.dbUser = dbUser;
        builder.dbPassword = dbPassword;
        builder.wipe = wipe;
        builder.createDemo = createDemo;
        builder.serviceJvmOptions = new ArrayList<>(serviceJvmOptions);
        builder.serviceArguments = new LinkedHashMap<>(serviceArguments);
        builder.postgresSettings = new LinkedHashMap<>(postgresSettings);
        builder.kafkaSasl = kafkaSasl;
        builder.kafkaTls = kafkaTls;
        builder.serviceJavaHome = serviceJavaHome;
        builder.aotCache = aotCache;
        return builder;
    }

    public Path jar(String module) {
        return projectRoot.resolve(module).resolve("target").resolve(module + "-" + VERSION + ".jar");
    }

    /** The broker's classpath: the launcher module's copied runtime dependencies (kafka_2.13 and its own). */
    /** The java executable the services run with. */
    public String serviceJava() {
        return serviceJavaHome == null ? ManagedProcess.javaExecutable()
                : serviceJavaHome.resolve("bin").resolve("java").toString();
    }

    public Path kafkaLibDirectory() {
        return projectRoot.resolve("infra/local-stack/target/lib");
    }

    public Path logDirectory() {
        return dataDirectory.resolve("logs");
    }

    public static final class Builder {

        private final Path projectRoot;
        private Path dataDirectory;
        private List<Integer> gatewayPorts = new ArrayList<>(List.of(GATEWAY_PORT));
        private int ledgerPort = LEDGER_PORT;
        private int governancePort = GOVERNANCE_PORT;
        private int analyticsPort = ANALYTICS_PORT;
        private int notificationPort = NOTIFICATION_PORT;
        private int kafkaPort = KAFKA_PORT;
        private int kafkaControllerPort = KAFKA_CONTROLLER_PORT;
        private int postgresPort = POSTGRES_PORT;
        private String externalKafka;
        private String externalPostgres;
        private String dbUser;
        private String dbPassword;
        private boolean wipe;
        private boolean createDemo = true;
        private boolean kafkaSasl;
        private boolean kafkaTls;
        private Path serviceJavaHome;
        private boolean aotCache;
        private List<String> serviceJvmOptions = new ArrayList<>(DEFAULT_JVM_OPTIONS);
        private Map<String, List<String>> serviceArguments = new LinkedHashMap<>();
        private Map<String, String> postgresSettings = new LinkedHashMap<>();

        private Builder(Path projectRoot) {
            this.projectRoot = projectRoot.toAbsolutePath().normalize();
            this.dataDirectory = this.projectRoot.resolve(".tally");
        }

        public Builder dataDirectory(Path dataDirectory) {
            this.dataDirectory = dataDirectory.toAbsolutePath().normalize();
            return this;
        }

        public Builder gatewayPorts(List<Integer> ports) {
            this.gatewayPorts = new ArrayList<>(ports);
            return this;
        }

        public Builder gatewayPort(int port) {
            return gatewayPorts(List.of(port));
        }

        public Builder ledgerPort(int port) {
            this.ledgerPort = port;
            return this;
        }

        public Builder governancePort(int port) {
            this.governancePort = port;
            return this;
        }

        public Builder analyticsPort(int port) {
            this.analyticsPort = port;
            return this;
        }

        public Builder notificationPort(int port) {
            this.notificationPort = port;
            return this;
        }

        public Builder kafkaPort(int port) {
            this.kafkaPort = port;
            return this;
        }

        public Builder kafkaControllerPort(int port) {
            this.kafkaControllerPort = port;
            return this;
        }

        public Builder postgresPort(int port) {
            this.postgresPort = port;
            return this;
        }

        /**
         * Every port chosen by the OS among the free ones: for tests that must not collide with a running stack. All
         * are held open together while chosen, so no two services get the same one (chosen one after another, a
         * closed port could be handed out again at once: two services then wanted the same port).
         */
        public Builder freePorts() {
            int[] ports = freePorts(gatewayPorts.size() + 7);
            List<Integer> gateways = new ArrayList<>();
            int next = 0;
            for (int i = 0; i < gatewayPorts.size(); i++) {
                gateways.add(ports[next++]);
            }
            gatewayPorts = gateways;
            ledgerPort = ports[next++];
            governancePort = ports[next++];
            analyticsPort = ports[next++];
            notificationPort = ports[next++];
            kafkaPort = ports[next++];
            kafkaControllerPort = ports[next++];
            postgresPort = ports[next];
            return this;
        }

        public Builder externalKafka(String bootstrapServers) {
            this.externalKafka = blankToNull(bootstrapServers);
            return this;
        }

        public Builder externalPostgres(String hostAndPort) {
            this.externalPostgres = blankToNull(hostAndPort);
            return this;
        }

        public Builder dbUser(String user) {
            this.dbUser = blankToNull(user);
            return this;
        }

        public Builder dbPassword(String password) {
            this.dbPassword = password;
            return this;
        }

        public Builder wipe(boolean wipe) {
            this.wipe = wipe;
            return this;
        }

        /** The broker the stack starts takes SASL/SCRAM only (docs/security.md, "Kafka authentication"). */
        public Builder kafkaSasl(boolean kafkaSasl) {
            this.kafkaSasl = kafkaSasl;
            return this;
        }

        /** The broker the stack starts takes TLS only, with a certificate of its own (docs/security.md). */
        public Builder kafkaTls(boolean kafkaTls) {
            this.kafkaTls = kafkaTls;
            return this;
        }

        public Builder createDemo(boolean createDemo) {
            this.createDemo = createDemo;
            return this;
        }

        public Builder serviceJvmOptions(List<String> options) {
            this.serviceJvmOptions = new ArrayList<>(options);
            return this;
        }

        public Builder serviceArguments(String service, String... arguments) {
            List<String> all = new ArrayList<>(serviceArguments.getOrDefault(service, List.of()));
            all.addAll(List.of(arguments));
            serviceArguments.put(service, all);
            return this;
        }

        /** A server setting of the embedded PostgreSQL (ignored for an external one), e.g. synchronous_commit=on. */
        public Builder postgresSetting(String name, String value) {
            postgresSettings.put(name, value);
            return this;
        }

        public Builder serviceJavaHome(Path javaHome) {
            this.serviceJavaHome = javaHome;
            return this;
        }

        public Builder aotCache(boolean aotCache) {
            this.aotCache = aotCache;
            return this;
        }

        public StackOptions build() {
            if ((kafkaSasl || kafkaTls) && externalKafka != null) {
                throw new IllegalArgumentException((kafkaSasl ? "--kafka-sasl" : "--kafka-tls") + " is for the broker the stack starts; for an external "
                        + "Kafka set TALLY_KAFKA_SECURITY_PROTOCOL and the other TALLY_KAFKA_* variables "
                        + "(docs/security.md)");
            }
            // The embedded server knows only its superuser, whose password is generated into the data folder's
            // secrets file (Secrets); an external one gets the services' documented default.
            String user = externalPostgres == null ? "postgres" : dbUser != null ? dbUser : "tally";
            String password = externalPostgres == null ? null : dbPassword != null ? dbPassword : "tally";
            return new StackOptions(projectRoot, dataDirectory, gatewayPorts, ledgerPort, governancePort,
                    analyticsPort, notificationPort, kafkaPort, kafkaControllerPort, postgresPort, externalKafka, externalPostgres, user, password, wipe,
                    createDemo, serviceJvmOptions, serviceArguments, postgresSettings, kafkaSasl, kafkaTls,
                    serviceJavaHome, aotCache);
        }

        private static String blankToNull(String value) {
            return value == null || value.isBlank() ? null : value.strip();
        }

        private static int[] freePorts(int count) {
            List<ServerSocket> held = new ArrayList<>();
            try {
                int[] ports = new int[count];
                for (int i = 0; i < count; i++) {
                    ServerSocket socket = new ServerSocket(0);
                    held.add(socket);
                    ports[i] = socket.getLocalPort();
                }
                return ports;
            } catch (IOException e) {
                throw new UncheckedIOException("no free port", e);
            } finally {
                for (ServerSocket socket : held) {
                    try {
                        socket.close();
                    } catch (IOException ignored) {
                        // the port is free again either way
                    }
                }
            }
        }
    }
}
