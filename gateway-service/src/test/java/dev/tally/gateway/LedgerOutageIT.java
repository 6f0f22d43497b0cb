package dev.tally.gateway;

import com.openai.errors.OpenAIServiceException;
import dev.tally.gateway.support.GatewayStack;
import dev.tally.gateway.support.TestAgent;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Without the ledger the gateway fails closed: 503 within the reservation timeout, and no free request. */
class LedgerOutageIT {

    @Test
    void a_ledger_outage_answers_503_without_calling_the_provider_and_service_resumes_after_it() {
        GatewayStack stack = GatewayStack.get();
        TestAgent agent = TestAgent.create(stack, "Outage", 10_000);
        GatewayIT.awaitKnownOn(stack, agent.key());
        long before = agent.poolBalance();

        stack.stopLedger();
        try {
            long started = System.nanoTime();
            assertThatThrownBy(() -> GatewayIT.client(agent.key()).chat().completions().create(
                    com.openai.models.chat.completions.ChatCompletionCreateParams.builder().model("gpt-4o-mini")
                            .addUserMessage("during-outage").maxCompletionTokens(10).build()))
                    .isInstanceOfSatisfying(OpenAIServiceException.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(503);
                        assertThat(e.getMessage()).contains("ledger");
                    });
            assertThat(Duration.ofNanos(System.nanoTime() - started))
                    .as("fails within the reservation timeout (60 s in these tests)")
                    .isLessThan(Duration.ofSeconds(65));
            stack.upstream.verify(0, postRequestedFor(urlEqualTo("/openai/v1/chat/completions"))
                    .withRequestBody(containing("during-outage")));
        } finally {
            stack.restartLedger();
        }

        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() ->
                assertThat(GatewayIT.complete(GatewayIT.client(agent.key()), "mock-model").choices()).isNotEmpty());
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(ProviderIT.openReservations(agent.orgId())).as("the unconfirmed hold was released")
                        .isZero());
        assertThat(agent.poolBalance()).isLessThan(before);
    }
}
