package dev.tally.gateway.provider;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import dev.tally.gateway.GatewaySettings.ProviderSettings;
import dev.tally.gateway.error.GatewayException;
import dev.tally.gateway.pricing.BilledUsage;
import dev.tally.gateway.pricing.Tokenizer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Bedrock provider through the real AWS SDK against a fake Bedrock Runtime that speaks Converse's JSON and
 * ConverseStream's event-stream framing: the chat request translated to Converse, the answer and the stream back to
 * OpenAI's shapes with what was billed, SigV4 with the platform's or the organisation's key pair, errors.
 */
class BedrockProviderTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String MODEL = "anthropic.claude-3-haiku-20240307-v1:0";
    private static WireMockServer bedrock;
    private static BedrockClients clients;
    private static BedrockProvider provider;

    @BeforeAll
    static void start() {
        bedrock = new WireMockServer(WireMockConfiguration.options().dynamicPort());
        bedrock.start();
        clients = new BedrockClients();
        provider = clients.provider("bedrock", new ProviderSettings("bedrock", bedrock.baseUrl(), null, null, 0, 0,
                null, null, null, "eu-west-3", "AKIAPLATFORM0000", "platform-secret"), JSON, Duration.ofSeconds(10),
                new Tokenizer());
    }

    @AfterAll
    static void stop() {
        clients.close();
        bedrock.stop();
    }

    @BeforeEach
    void reset() {
        bedrock.resetAll();
    }

    private static ProviderRequest request(String body, String key) {
        return new ProviderRequest((ObjectNode) JSON.readTree(body), MODEL, 300, key, 20);
    }

    private static ProviderRequest hello(String key) {
        return request("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}", key);
    }

    @Test
    void a_chat_request_becomes_a_converse_request_with_system_turns_and_inference_config() {
        bedrock.stubFor(post(urlPathMatching(FakeBedrock.CONVERSE)).willReturn(
                FakeBedrock.converse("ok", "end_turn", 1, 1)));

        provider.complete(request("""
                {"model":"m","temperature":0.5,"top_p":0.9,"stop":["END"],"messages":[
                 {"role":"system","content":"Be brief."},
                 {"role":"user","content":"Hi"},
                 {"role":"user","content":[{"type":"text","text":"there"}]},
                 {"role":"assistant","content":"Hello!"},
                 {"role":"user","content":"Bye"}]}""", null)).block();

        bedrock.verify(postRequestedFor(urlPathMatching("/model/anthropic.claude-3-haiku-20240307-v1(:|%3A)0/converse"))
                .withRequestBody(equalToJson("""
                        {"messages":[{"role":"user","content":[{"text":"Hi"},{"text":"there"}]},
                                     {"role":"assistant","content":[{"text":"Hello!"}]},
                                     {"role":"user","content":[{"text":"Bye"}]}],
                         "system":[{"text":"Be brief."}],
                         "inferenceConfig":{"maxTokens":300,"temperature":0.5,"topP":0.9,"stopSequences":["END"]}}
                        """)));
    }

    @Test
    void a_converse_answer_becomes_a_chat_completion_billed_as_bedrock_reported() {
        bedrock.stubFor(post(urlPathMatching(FakeBedrock.CONVERSE)).willReturn(
                FakeBedrock.converse("Bonjour !", "max_tokens", 17, 4)));

        ProviderResponse response = provider.complete(hello(null)).block();

        assertThat(response.usage()).isEqualTo(BilledUsage.of(17, 4));
        assertThat(response.body().path("choices").get(0).path("message").path("content").asString())
                .isEqualTo("Bonjour !");
        assertThat(response.body().path("choices").get(0).path("finish_reason").asString()).isEqualTo("length");
        assertThat(response.body().path("usage").path("prompt_tokens").asLong()).isEqualTo(17);
        assertThat(response.body().path("usage").path("completion_tokens").asLong()).isEqualTo(4);
    }

    @Test
    void a_converse_stream_becomes_openai_chunks_ending_with_the_usage() {
        bedrock.stubFor(post(urlPathMatching(FakeBedrock.CONVERSE_STREAM)).willReturn(
                FakeBedrock.converseStream(List.of("Bon", "jour"), "end_turn", 14, 5)));

        List<StreamChunk> chunks = provider.stream(hello(null)).collectList().block();

        assertThat(chunks).extracting(StreamChunk::text).containsExactly("", "Bon", "jour", "", "");
        assertThat(chunks.get(0).chunk().path("choices").get(0).path("delta").path("role").asString())
                .isEqualTo("assistant");
        assertThat(chunks.get(3).chunk().path("choices").get(0).path("finish_reason").asString()).isEqualTo("stop");
        StreamChunk last = chunks.get(chunks.size() - 1);
        assertThat(last.usage()).isEqualTo(BilledUsage.of(14, 5));
        assertThat(last.chunk().path("usage").path("total_tokens").asLong()).isEqualTo(19);
        assertThat(chunks).map(c -> c.chunk().path("id").asString()).containsOnly(chunks.get(0).chunk().path("id")
                .asString());
    }

    @Test
    void requests_are_signed_with_the_platform_key_pair_without_byok() {
        bedrock.stubFor(post(urlPathMatching(FakeBedrock.CONVERSE)).willReturn(
                FakeBedrock.converse("ok", "end_turn", 1, 1)));

        provider.complete(hello(null)).block();

        bedrock.verify(postRequestedFor(urlPathMatching(FakeBedrock.CONVERSE))
                .withHeader("Authorization", matching(FakeBedrock.signedWith("AKIAPLATFORM0000")))
                .withHeader("Authorization", matching(".*/eu-west-3/.*")));
    }

    @Test
    void an_organisation_key_pair_signs_its_requests_streamed_or_not_with_its_session_token() {
        bedrock.stubFor(post(urlPathMatching(FakeBedrock.CONVERSE)).willReturn(
                FakeBedrock.converse("ok", "end_turn", 1, 1)));
        bedrock.stubFor(post(urlPathMatching(FakeBedrock.CONVERSE_STREAM)).willReturn(
                FakeBedrock.converseStream(List.of("ok"), "end_turn", 1, 1)));
        String pair = "{\"access_key_id\":\"AKIAORGANISATION1\",\"secret_access_key\":\"org-secret\","
                + "\"session_token\":\"org-session\"}";

        provider.complete(hello(pair)).block();
        provider.stream(hello(pair)).blockLast();

        for (String path : List.of(FakeBedrock.CONVERSE, FakeBedrock.CONVERSE_STREAM)) {
            bedrock.verify(postRequestedFor(urlPathMatching(path))
                    .withHeader("Authorization", matching(FakeBedrock.signedWith("AKIAORGANISATION1")))
                    .withHeader("X-Amz-Security-Token", equalTo("org-session")));
        }
    }

    @Test
    void a_credential_that_is_not_a_key_pair_is_refused_naming_what_it_needs() {
        assertThatThrownBy(() -> provider.complete(hello("sk-plain-api-key")).block())
                .isInstanceOfSatisfying(GatewayException.class,
                        e -> assertThat(e.getMessage()).contains("access_key_id"));
    }

    @Test
    void throttling_is_a_retryable_failure_and_a_validation_error_is_the_requests_fault() {
        bedrock.stubFor(post(urlPathMatching(FakeBedrock.CONVERSE)).willReturn(
                FakeBedrock.error(429, "ThrottlingException", "Too many requests, please wait.")));
        bedrock.stubFor(post(urlPathMatching(FakeBedrock.CONVERSE_STREAM)).willReturn(
                FakeBedrock.error(400, "ValidationException", "maxTokens exceeds the model's limit")));

        assertThatThrownBy(() -> provider.complete(hello(null)).block())
                .isInstanceOfSatisfying(ProviderFailure.class, e -> {
                    assertThat(e.status()).isEqualTo(429);
                    assertThat(e.retryable()).isTrue();
                    assertThat(e.getMessage()).contains("Too many requests");
                });
        assertThatThrownBy(() -> provider.stream(hello(null)).blockLast())
                .isInstanceOfSatisfying(ProviderFailure.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.retryable()).isFalse();
                    assertThat(e.getMessage()).contains("maxTokens exceeds");
                });
    }

    @Test
    void an_exception_event_mid_stream_fails_the_stream_as_the_provider() {
        bedrock.stubFor(post(urlPathMatching(FakeBedrock.CONVERSE_STREAM)).willReturn(
                com.github.tomakehurst.wiremock.client.WireMock.aResponse()
                        .withHeader("Content-Type", "application/vnd.amazon.eventstream")
                        .withBody(EventStreamFrames.concat(
                                EventStreamFrames.event("messageStart", "{\"role\":\"assistant\"}"),
                                EventStreamFrames.exception("modelStreamErrorException",
                                        "{\"message\":\"model failed mid-answer\"}")))));

        assertThatThrownBy(() -> provider.stream(hello(null)).collectList().block())
                .isInstanceOfSatisfying(ProviderFailure.class,
                        e -> assertThat(e.getMessage()).contains("model failed mid-answer"));
    }

    @Test
    void tools_are_refused_naming_the_field_before_anything_is_sent() {
        assertThatThrownBy(() -> provider.complete(request("""
                {"model":"m","messages":[{"role":"user","content":"Hi"}],
                 "tools":[{"type":"function","function":{"name":"f","parameters":{}}}]}""", null)).block())
                .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.param()).isEqualTo("tools"));
        bedrock.verify(0, postRequestedFor(urlPathMatching(".*")));
    }

    @Test
    void stop_reasons_map_to_openai_finish_reasons() {
        assertThat(Map.of("end_turn", BedrockProvider.finishReason("end_turn"),
                "stop_sequence", BedrockProvider.finishReason("stop_sequence"),
                "max_tokens", BedrockProvider.finishReason("max_tokens"),
                "tool_use", BedrockProvider.finishReason("tool_use"),
                "guardrail_intervened", BedrockProvider.finishReason("guardrail_intervened")))
                .isEqualTo(Map.of("end_turn", "stop", "stop_sequence", "stop", "max_tokens", "length",
                        "tool_use", "tool_calls", "guardrail_intervened", "content_filter"));
    }
}
