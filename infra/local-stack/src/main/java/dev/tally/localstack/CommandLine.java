package dev.tally.localstack;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * {@code up | wipe | help} and the options of {@code ./tally}. Every option {@code --some-name} can also be set with
 * the environment variable {@code TALLY_SOME_NAME}; a flag wins over the variable.
 */
final class CommandLine {

    enum Command { UP, WIPE, HELP }

    record Parsed(Command command, StackOptions options) {
    }

    private static final Map<String, BiConsumer<StackOptions.Builder, String>> VALUED = new LinkedHashMap<>();
    private static final List<String> SWITCHES = List.of("wipe", "no-demo", "build", "kafka-sasl",
            "kafka-tls", "aot-cache");

    static {
        VALUED.put("data-dir", (builder, value) -> builder.dataDirectory(Path.of(value)));
        VALUED.put("gateway-port", (builder, value) -> builder.gatewayPorts(ports(value)));
        VALUED.put("ledger-port", (builder, value) -> builder.ledgerPort(port(value)));
        VALUED.put("governance-port", (builder, value) -> builder.governancePort(port(value)));
        VALUED.put("analytics-port", (builder, value) -> builder.analyticsPort(port(value)));
        VALUED.put("notification-port", (builder, value) -> builder.notificationPort(port(value)));
        VALUED.put("kafka-port", (builder, value) -> builder.kafkaPort(port(value)));
        VALUED.put("kafka-controller-port", (builder, value) -> builder.kafkaControllerPort(port(value)));
        VALUED.put("postgres-port", (builder, value) -> builder.postgresPort(port(value)));
        VALUED.put("external-kafka", StackOptions.Builder::externalKafka);
        VALUED.put("external-postgres", StackOptions.Builder::externalPostgres);
        VALUED.put("db-user", StackOptions.Builder::dbUser);
        VALUED.put("db-password", StackOptions.Builder::dbPassword);
        VALUED.put("service-java", (builder, value) -> builder.serviceJavaHome(Path.of(value.strip())));
        VALUED.put("jvm-opts", (builder, value) -> builder.serviceJvmOptions(
                value.isBlank() ? List.of() : Arrays.asList(value.strip().split("\\s+"))));
    }

    static final String USAGE = """
            usage: ./tally up [--wipe] [--build] [options]   start Kafka, PostgreSQL and every service; Ctrl-C stops all
                   ./tally down [--data-dir DIR]            stop the stack running with that data folder (SIGTERM)
                   ./tally status [--data-dir DIR]          whether it runs, where everything is, its processes
                   ./tally wipe [--data-dir DIR]            delete the data folder (Kafka, PostgreSQL, logs, keys)

            options (each also as an environment variable: --gateway-port = TALLY_GATEWAY_PORT):
              --wipe                         start from an empty data folder
              --build                        rebuild the jars first (./tally script)
              --no-demo                      do not create the demo organisation
              --kafka-sasl                   the broker takes SASL/SCRAM-SHA-512 only; every service gets the user
                                             (password in <data>/secrets.properties; needs a data folder made so)
              --kafka-tls                    the broker takes TLS only, with a certificate made on the first start
                                             (<data>/kafka/tls); every service gets the truststore; with
                                             --kafka-sasl: SASL_SSL
              --data-dir DIR                 data folder (default: <repo>/.tally)
              --gateway-port P[,P2,...]      gateway port; several = several replicas (default 8080)
              --ledger-port P                ledger-service (default 8081)
              --governance-port P            governance-service (default 8082)
              --analytics-port P             analytics-service and its dashboard (default 8084)
              --notification-port P          notification-service (default 8085)
              --kafka-port P                 Kafka broker (default 19092)
              --kafka-controller-port P      Kafka KRaft controller (default 19093)
              --postgres-port P              PostgreSQL (default 15432)
              --external-kafka HOST:PORT     use this Kafka instead of starting one
              --external-postgres HOST:PORT  use this PostgreSQL instead of starting one
              --db-user U, --db-password P   credentials for --external-postgres (default tally / tally)
              --jvm-opts "..."               JVM options of each service
                                             (default "-Xmx512m -XX:+UseSerialGC -XX:TieredStopAtLevel=1")
              --service-java JAVA_HOME       the JDK the services run on (default: the launcher's)
              --aot-cache                    JDK 25+: each service keeps an ahead-of-time cache of its classes and
                                             JIT profiles in <data>/aot, written when it stops, read when it starts
                                             (docs/operations.md)
            """;

    private CommandLine() {
    }

    static Parsed parse(List<String> args, Map<String, String> environment, Path projectRoot) {
        StackOptions.Builder builder = StackOptions.builder(projectRoot);
        VALUED.forEach((name, apply) -> {
            String value = environment.get(variable(name));
            if (value != null && !value.isBlank()) {
                apply(name, apply, builder, value, variable(name));
            }
        });
        Command command = null;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("--")) {
                if (command != null) {
                    throw new IllegalArgumentException("one command at a time, got '" + arg + "' after '"
                            + command.name().toLowerCase(Locale.ROOT) + "'");
                }
                command = command(arg);
                continue;
            }
            String name = arg.substring(2);
            String value = null;
            int equals = name.indexOf('=');
            if (equals >= 0) {
                value = name.substring(equals + 1);
                name = name.substring(0, equals);
            }
            if (name.equals("help")) {
                command = Command.HELP;
            } else if (SWITCHES.contains(name)) {
                if (value != null) {
                    throw new IllegalArgumentException("--" + name + " takes no value");
                }
                if (name.equals("wipe")) {
                    builder.wipe(true);
                } else if (name.equals("no-demo")) {
                    builder.createDemo(false);
                } else if (name.equals("kafka-sasl")) {
                    builder.kafkaSasl(true);
                } else if (name.equals("kafka-tls")) {
                    builder.kafkaTls(true);
                } else if (name.equals("aot-cache")) {
                    builder.aotCache(true);
                }
            } else if (VALUED.containsKey(name)) {
                if (value == null) {
                    if (i + 1 >= args.size()) {
                        throw new IllegalArgumentException("--" + name + " needs a value");
                    }
                    value = args.get(++i);
                }
                apply(name, VALUED.get(name), builder, value, "--" + name);
            } else {
                throw new IllegalArgumentException("unknown option --" + name);
            }
        }
        return new Parsed(command == null ? Command.HELP : command, builder.build());
    }

    static String variable(String option) {
        return "TALLY_" + option.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    private static Command command(String word) {
        return switch (word) {
            case "up", "start" -> Command.UP;
            case "wipe" -> Command.WIPE;
            case "help" -> Command.HELP;
            default -> throw new IllegalArgumentException("unknown command '" + word + "' (up, wipe or help)");
        };
    }

    private static void apply(String name, BiConsumer<StackOptions.Builder, String> apply,
            StackOptions.Builder builder, String value, String source) {
        try {
            apply.accept(builder, value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
        }
    }

    static int port(String value) {
        int port;
        try {
            port = Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + value + "' is not a port number");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(port + " is not a port number (1-65535)");
        }
        return port;
    }

    private static List<Integer> ports(String value) {
        List<Integer> ports = new ArrayList<>();
        for (String part : value.split(",")) {
            ports.add(port(part));
        }
        return ports;
    }
}
