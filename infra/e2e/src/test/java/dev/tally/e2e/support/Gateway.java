package dev.tally.e2e.support;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The gateway replicas: the OpenAI Java SDK for what an agent does, plain HTTP where a test counts status codes. */
public final class Gateway {

    /** A short prompt with at most 16 tokens of mock answer: reserves and costs exactly one credit. */
    public static final Map<String, Object> ONE_CREDIT = Map.of("model", "mock-model", "max_tokens", 16,
            "messages", List.of(Map.of("role", "user", "content", "Hi")));

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final List<String> urls;

    Gateway(List<String> urls) {
        this.urls = List.copyOf(urls);
    }

    public List<String> urls() {
        return urls;
    }

    public String url(int replica) {
        return urls.get(replica % urls.size());
    }

    /** An SDK client of one replica: no retries, so every answer is the gateway's own. */
    public OpenAIClient client(int replica, String key) {
        return client(replica, key, Map.of());
    }

    public OpenAIClient client(int replica, String key, Map<String, String> headers) {
        OpenAIOkHttpClient.Builder builder = OpenAIOkHttpClient.builder().apiKey(key).baseUrl(url(replica) + "/v1")
                .maxRetries(0).timeout(Duration.ofSeconds(60));
        headers.forEach(builder::putHeader);
        return builder.build();
    }

    public static ChatCompletion complete(OpenAIClient client, String prompt, long maxTokens) {
        return client.chat().completions().create(ChatCompletionCreateParams.builder().model("mock-model")
                .addUserMessage(prompt).maxCompletionTokens(maxTokens).build());
    }

    /** {@code x_platform} of an answer or a chunk. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> xPlatform(Map<String, JsonValue> additionalProperties) {
        JsonValue value = additionalProperties.get("x_platform");
        assertThat(value).as("x_platform").isNotNull();
        return value.convert(Map.class);
    }

    public static long creditsCharged(ChatCompletion completion) {
        return ((Number) xPlatform(completion._additionalProperties()).get("credits_charged")).longValue();
    }

    /** Waits until every replica has read the key from governance's state topic. */
    public void awaitKnown(String key) {
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() -> {
            for (int i = 0; i < urls.size(); i++) {
                assertThat(client(i, key).models().list().data()).isNotEmpty();
            }
        });
    }

    /** A chat completion over plain HTTP, whatever its status. */
    public Answer post(int replica, String key, Map<String, ?> body, Duration timeout) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url(replica) + "/v1/chat/completions"))
                .timeout(timeout)
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(Governance.JSON.writeValueAsBytes(body)))
                .build();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            return Answer.of(response.statusCode(), response.body());
        } catch (IOException e) {
            return new Answer(-1, e.toString(), null, 0, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * One answer: the status (-1 when the connection failed), the body, the error code, and for a 200 the request id
     * and {@code x_platform.credits_charged}.
     */
    public record Answer(int status, String body, String errorCode, long charged, String requestId) {

        static Answer of(int status, String body) {
            JsonNode json;
            try {
                json = Governance.JSON.readTree(body);
            } catch (RuntimeException e) {
                return new Answer(status, body, null, 0, null);
            }
            if (status == 200) {
                JsonNode platform = json.path("x_platform");
                return new Answer(status, body, null, platform.path("credits_charged").asLong(),
                        platform.path("request_id").asString());
            }
            return new Answer(status, body, json.path("error").path("code").asString(null), 0, null);
        }
    }
}
