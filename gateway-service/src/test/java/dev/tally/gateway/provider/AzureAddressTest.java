package dev.tally.gateway.provider;

import dev.tally.gateway.pricing.Tokenizer;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** Azure OpenAI's addressing through the OpenAI-compatible provider: deployment path, api-version, api-key. */
class AzureAddressTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String ANSWER = """
            {"id":"c1","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant",
             "content":"ok"},"finish_reason":"stop"}],"usage":{"prompt_tokens":3,"completion_tokens":1,
             "total_tokens":4}}""";

    private final AtomicReference<ClientRequest> sent = new AtomicReference<>();

    private OpenAiCompatibleProvider provider(UpstreamAddress address) {
        WebClient http = WebClient.builder().baseUrl("https://tally-test.openai.azure.com")
                .exchangeFunction(request -> {
                    sent.set(request);
                    return Mono.just(ClientResponse.create(HttpStatus.OK)
                            .header(HttpHeaders.CONTENT_TYPE, "application/json").body(ANSWER).build());
                }).build();
        return new OpenAiCompatibleProvider("azure", http, JSON, Duration.ofSeconds(5), new Tokenizer(), address);
    }

    private ClientRequest send(UpstreamAddress address, String model, UpstreamApi api) {
        ObjectNode body = JSON.createObjectNode().put("model", model);
        provider(address).complete(new ProviderRequest(body, model, 10, "azure-key-1234", 3, api)).block();
        return sent.get();
    }

    @Test
    void a_mapped_model_goes_to_its_deployment_with_the_api_version_and_the_key_in_api_key() {
        ClientRequest request = send(new AzureAddress("2024-10-21", Map.of("gpt-4o", "prod-gpt4o")), "gpt-4o",
                UpstreamApi.CHAT_COMPLETIONS);

        assertThat(request.url().toString()).isEqualTo("https://tally-test.openai.azure.com/openai/deployments/"
                + "prod-gpt4o/chat/completions?api-version=2024-10-21");
        assertThat(request.headers().getFirst("api-key")).isEqualTo("azure-key-1234");
        assertThat(request.headers().containsHeader(HttpHeaders.AUTHORIZATION)).isFalse();
    }

    @Test
    void a_model_the_map_does_not_name_is_its_own_deployment_without_a_provider_prefix() {
        AzureAddress address = new AzureAddress("2025-01-01-preview", null);

        assertThat(send(address, "azure/gpt-4.1-mini", UpstreamApi.EMBEDDINGS).url().toString())
                .isEqualTo("https://tally-test.openai.azure.com/openai/deployments/gpt-4.1-mini/embeddings"
                        + "?api-version=2025-01-01-preview");
        assertThat(send(address, "gpt-35-turbo-instruct", UpstreamApi.COMPLETIONS).url().getPath())
                .isEqualTo("/openai/deployments/gpt-35-turbo-instruct/completions");
    }

    @Test
    void openai_addressing_is_unchanged_bearer_key_at_the_api_path() {
        ClientRequest request = send(UpstreamAddress.openAi(), "gpt-4o", UpstreamApi.CHAT_COMPLETIONS);

        assertThat(request.url().getPath()).isEqualTo("/chat/completions");
        assertThat(request.headers().getFirst(HttpHeaders.AUTHORIZATION)).isEqualTo("Bearer azure-key-1234");
        assertThat(request.headers().containsHeader("api-key")).isFalse();
    }
}
