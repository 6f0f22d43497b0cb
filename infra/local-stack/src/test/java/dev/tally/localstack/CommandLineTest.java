package dev.tally.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class CommandLineTest {

    private static final Path ROOT = Path.of("/repo");

    private static CommandLine.Parsed parse(Map<String, String> env, String... args) {
        return CommandLine.parse(List.of(args), env, ROOT);
    }

    @Test
    void the_services_can_run_on_another_jdk_with_an_aot_cache() {
        StackOptions plain = parse(Map.of(), "up").options();
        StackOptions options = parse(Map.of(), "up", "--aot-cache", "--service-java", "/opt/jdk-25").options();

        assertThat(plain.aotCache()).isFalse();
        assertThat(plain.serviceJava()).isEqualTo(ManagedProcess.javaExecutable());
        assertThat(options.aotCache()).isTrue();
        assertThat(options.serviceJava()).isEqualTo("/opt/jdk-25/bin/java");
        assertThat(parse(Map.of("TALLY_SERVICE_JAVA", "/opt/jdk-25"), "up").options().serviceJava())
                .isEqualTo("/opt/jdk-25/bin/java");
        assertThatThrownBy(() -> parse(Map.of(), "up", "--aot-cache=yes"))
                .hasMessageContaining("--aot-cache takes no value");
    }

    @Test
    void up_without_options_uses_the_documented_defaults() {
        CommandLine.Parsed parsed = parse(Map.of(), "up");
        StackOptions options = parsed.options();

        assertThat(parsed.command()).isEqualTo(CommandLine.Command.UP);
        assertThat(options.dataDirectory()).isEqualTo(Path.of("/repo/.tally"));
        assertThat(options.gatewayPorts()).containsExactly(8080);
        assertThat(List.of(options.ledgerPort(), options.governancePort(), options.analyticsPort(),
                options.notificationPort(), options.kafkaPort(), options.kafkaControllerPort(),
                options.postgresPort())).containsExactly(8081, 8082, 8084, 8085, 19092, 19093, 15432);
        assertThat(options.externalKafka()).isNull();
        assertThat(options.externalPostgres()).isNull();
        assertThat(options.wipe()).isFalse();
        assertThat(options.kafkaSasl()).isFalse();
        assertThat(options.kafkaTls()).isFalse();
        assertThat(options.createDemo()).isTrue();
        assertThat(options.dbUser()).isEqualTo("postgres");
        assertThat(options.jar("gateway-service"))
                .isEqualTo(Path.of("/repo/gateway-service/target/gateway-service-0.1.0-SNAPSHOT.jar"));
        assertThat(options.kafkaLibDirectory()).isEqualTo(Path.of("/repo/infra/local-stack/target/lib"));
    }

    @Test
    void flags_take_their_value_after_a_space_or_an_equals_sign() {
        StackOptions options = parse(Map.of(), "up", "--wipe", "--ledger-port", "9081", "--governance-port=9082",
                "--data-dir", "/tmp/t", "--no-demo", "--build").options();

        assertThat(options.wipe()).isTrue();
        assertThat(options.createDemo()).isFalse();
        assertThat(options.ledgerPort()).isEqualTo(9081);
        assertThat(options.governancePort()).isEqualTo(9082);
        assertThat(parse(Map.of(), "up", "--notification-port", "9085").options().notificationPort()).isEqualTo(9085);
        assertThat(parse(Map.of(), "up", "--analytics-port", "9084").options().analyticsPort()).isEqualTo(9084);
        assertThat(options.dataDirectory()).isEqualTo(Path.of("/tmp/t"));
    }

    @Test
    void kafka_sasl_and_kafka_tls_are_switches_for_the_stacks_own_broker_only() {
        assertThat(parse(Map.of(), "up", "--kafka-sasl").options().kafkaSasl()).isTrue();
        assertThatThrownBy(() -> parse(Map.of(), "up", "--kafka-sasl=yes")).hasMessage("--kafka-sasl takes no value");
        assertThatThrownBy(() -> parse(Map.of(), "up", "--kafka-sasl", "--external-kafka", "k:9092"))
                .hasMessageStartingWith("--kafka-sasl is for the broker the stack starts");
        assertThat(CommandLine.USAGE).contains("--kafka-sasl");
        assertThat(parse(Map.of(), "up", "--kafka-tls").options().kafkaTls()).isTrue();
        assertThatThrownBy(() -> parse(Map.of(), "up", "--kafka-tls", "--external-kafka", "k:9092"))
                .hasMessageStartingWith("--kafka-tls is for the broker the stack starts");
        assertThat(CommandLine.USAGE).contains("--kafka-tls");
    }

    @Test
    void every_flag_has_an_environment_variable_and_the_flag_wins() {
        Map<String, String> env = Map.of("TALLY_GATEWAY_PORT", "7080", "TALLY_KAFKA_PORT", "7092",
                "TALLY_POSTGRES_PORT", "7432", "TALLY_DATA_DIR", "/data/tally");

        StackOptions options = parse(env, "up", "--kafka-port", "6092").options();

        assertThat(options.gatewayPorts()).containsExactly(7080);
        assertThat(options.kafkaPort()).isEqualTo(6092);
        assertThat(options.postgresPort()).isEqualTo(7432);
        assertThat(options.dataDirectory()).isEqualTo(Path.of("/data/tally"));
        assertThat(CommandLine.variable("kafka-controller-port")).isEqualTo("TALLY_KAFKA_CONTROLLER_PORT");
    }

    @Test
    void several_gateway_ports_are_several_replicas() {
        assertThat(parse(Map.of(), "up", "--gateway-port", "8080,8090,8091").options().gatewayPorts())
                .containsExactly(8080, 8090, 8091);
    }

    @Test
    void external_servers_replace_the_embedded_ones_with_their_own_credentials() {
        StackOptions options = parse(Map.of("TALLY_DB_PASSWORD", "secret"), "up", "--external-kafka", "broker:9092",
                "--external-postgres", "db.internal:5432", "--db-user", "app").options();

        assertThat(options.externalKafka()).isEqualTo("broker:9092");
        assertThat(options.externalPostgres()).isEqualTo("db.internal:5432");
        assertThat(options.dbUser()).isEqualTo("app");
        assertThat(options.dbPassword()).isEqualTo("secret");
    }

    @Test
    void the_embedded_server_ignores_database_credentials_meant_for_the_services() {
        StackOptions options = parse(Map.of("TALLY_DB_USER", "tally", "TALLY_DB_PASSWORD", "tally"), "up").options();

        assertThat(options.dbUser()).isEqualTo("postgres");
        assertThat(options.dbPassword()).as("generated into the secrets file, not a well-known one").isNull();
    }

    @Test
    void jvm_options_are_split_on_spaces() {
        assertThat(parse(Map.of(), "up", "--jvm-opts", "-Xmx1g  -XX:+UseG1GC").options().serviceJvmOptions())
                .containsExactly("-Xmx1g", "-XX:+UseG1GC");
    }

    @Test
    void wipe_and_help_are_commands_and_nothing_is_help() {
        assertThat(parse(Map.of(), "wipe").command()).isEqualTo(CommandLine.Command.WIPE);
        assertThat(parse(Map.of(), "up", "--help").command()).isEqualTo(CommandLine.Command.HELP);
        assertThat(parse(Map.of()).command()).isEqualTo(CommandLine.Command.HELP);
    }

    @Test
    void mistakes_are_named() {
        assertThatThrownBy(() -> parse(Map.of(), "up", "--gateway-port", "http"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("--gateway-port: 'http' is not a port number");
        assertThatThrownBy(() -> parse(Map.of(), "up", "--ledger-port", "70000"))
                .hasMessage("--ledger-port: 70000 is not a port number (1-65535)");
        assertThatThrownBy(() -> parse(Map.of("TALLY_KAFKA_PORT", "x"), "up"))
                .hasMessage("TALLY_KAFKA_PORT: 'x' is not a port number");
        assertThatThrownBy(() -> parse(Map.of(), "up", "--colour")).hasMessage("unknown option --colour");
        assertThatThrownBy(() -> parse(Map.of(), "up", "--ledger-port")).hasMessage("--ledger-port needs a value");
        assertThatThrownBy(() -> parse(Map.of(), "down")).hasMessage("unknown command 'down' (up, wipe or help)");
        assertThatThrownBy(() -> parse(Map.of(), "up", "--wipe=yes")).hasMessage("--wipe takes no value");
    }
}
