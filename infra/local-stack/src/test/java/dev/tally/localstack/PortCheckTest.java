package dev.tally.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

class PortCheckTest {

    private static final PortCheck.Claim GATEWAY =
            new PortCheck.Claim(8080, "gateway-service", "--gateway-port (TALLY_GATEWAY_PORT)");
    private static final PortCheck.Claim LEDGER =
            new PortCheck.Claim(8081, "ledger-service", "--ledger-port (TALLY_LEDGER_PORT)");

    @Test
    void a_taken_port_is_named_with_what_wanted_it_and_how_to_change_it() {
        assertThat(PortCheck.problems(List.of(GATEWAY, LEDGER), port -> port != 8081)).containsExactly(
                "port 8081, wanted by ledger-service, is already in use. Stop what listens there (see: ss -ltnp "
                        + "'sport = :8081') or choose another port with --ledger-port (TALLY_LEDGER_PORT).");
    }

    @Test
    void free_ports_are_no_problem() {
        assertThat(PortCheck.problems(List.of(GATEWAY, LEDGER), port -> true)).isEmpty();
    }

    @Test
    void one_port_wanted_twice_is_refused_before_any_is_probed() {
        PortCheck.Claim clash = new PortCheck.Claim(8080, "Kafka", "--kafka-port (TALLY_KAFKA_PORT)");
        assertThat(PortCheck.problems(List.of(GATEWAY, clash), port -> true)).containsExactly(
                "port 8080 is wanted by both gateway-service and Kafka: change --gateway-port (TALLY_GATEWAY_PORT) "
                        + "or --kafka-port (TALLY_KAFKA_PORT).");
    }

    @Test
    void a_port_someone_listens_on_fails_the_check_with_every_problem_listed() throws IOException {
        try (ServerSocket taken = new ServerSocket(0)) {
            PortCheck.Claim claim = new PortCheck.Claim(taken.getLocalPort(), "PostgreSQL", "--postgres-port");
            assertThat(PortCheck.isFree(taken.getLocalPort())).isFalse();
            assertThatThrownBy(() -> PortCheck.requireFree(List.of(claim)))
                    .isInstanceOf(StackException.class)
                    .hasMessageContaining("port " + taken.getLocalPort() + ", wanted by PostgreSQL, is already in use");
        }
    }

    @Test
    void the_stack_claims_every_port_it_listens_on_and_none_of_external_servers() {
        StackOptions own = StackOptions.builder(Path.of("/repo")).gatewayPorts(List.of(8080, 8090)).build();
        assertThat(LocalStack.portClaims(own)).extracting(PortCheck.Claim::port)
                .containsExactly(8080, 8090, 8081, 8082, 8084, 8085, 19092, 19093, 15432);
        assertThat(LocalStack.portClaims(own)).extracting(PortCheck.Claim::owner)
                .startsWith("gateway-service", "gateway-service-2");

        StackOptions external = own.toBuilder().externalKafka("kafka:9092").externalPostgres("db:5432").build();
        assertThat(LocalStack.portClaims(external)).extracting(PortCheck.Claim::port)
                .containsExactly(8080, 8090, 8081, 8082, 8084, 8085);
    }
}
