package dev.tally.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * Regression (an e2e stack once failed to start: "port 46117 is wanted by both gateway-service and
 * notification-service"): ports chosen one after another, each socket closed before the next was opened, could be
 * the same port twice. Chosen while all are held open, they cannot.
 */
class FreePortsTest {

    @Test
    void every_service_of_a_stack_gets_its_own_free_port() {
        for (int stack = 0; stack < 200; stack++) {
            StackOptions options = StackOptions.builder(Path.of(".")).gatewayPorts(List.of(0, 0)).freePorts().build();
            List<Integer> ports = new ArrayList<>(options.gatewayPorts());
            ports.addAll(List.of(options.ledgerPort(), options.governancePort(), options.analyticsPort(),
                    options.notificationPort(), options.kafkaPort(), options.kafkaControllerPort(),
                    options.postgresPort()));
            assertThat(ports).as("stack %d", stack).doesNotHaveDuplicates().allSatisfy(port ->
                    assertThat(port).isPositive());
        }
    }
}
