package dev.tally.e2e;

import com.openai.client.OpenAIClient;
import com.openai.errors.UnauthorizedException;
import dev.tally.e2e.support.E2EStack;
import dev.tally.e2e.support.Gateway;
import dev.tally.e2e.support.Org;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** A revoked key stops working on every replica within a second. */
@Order(5)
@ExtendWith(E2EStack.class)
class KeyRevocationIT {

    @Test
    void a_revoked_key_is_refused_within_one_second_on_both_replicas() {
        Org org = Org.create("Revocation");
        org.purchase(1_000, "revocation");
        Org.Agent agent = org.agent("revoked");
        Gateway gateway = E2EStack.gateway();
        gateway.awaitKnown(agent.key());
        List<OpenAIClient> clients = IntStream.range(0, gateway.urls().size()).mapToObj(r -> gateway.client(r, agent.key())).toList();
        for (OpenAIClient client : clients) {
            assertThat(Gateway.complete(client, "Hi", 16).choices()).isNotEmpty();
        }

        org.owner().delete("/agents/" + agent.id() + "/keys/" + agent.keyId());
        long revoked = System.nanoTime();
        for (OpenAIClient client : clients) {
            Duration left = Duration.ofSeconds(1).minusNanos(System.nanoTime() - revoked);
            await().atMost(left.isNegative() ? Duration.ofMillis(1) : left)
                    .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(20))
                    .untilAsserted(() -> assertThatThrownBy(() -> Gateway.complete(client, "Hi", 16))
                            .isInstanceOf(UnauthorizedException.class));
        }
        assertThat(Duration.ofNanos(System.nanoTime() - revoked)).isLessThan(Duration.ofSeconds(1));
    }
}
