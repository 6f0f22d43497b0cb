package dev.tally.gateway.bench;

import io.netty.handler.codec.http.HttpHeaderNames;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.LoopResources;

import java.nio.charset.StandardCharsets;

/**
 * A fake OpenAI upstream that answers {@code POST /v1/chat/completions} at once with a small, realistic
 * {@code chat.completion} (usage included), on its own two Netty event loops. Keep-alive HTTP/1.1; the request body
 * is read and dropped. Every target of the benchmark, and the baseline, calls this same server.
 */
public final class FakeOpenAi implements AutoCloseable {

    static final byte[] ANSWER = ("{\"id\":\"chatcmpl-AbCdEf0123456789bench\",\"object\":\"chat.completion\","
            + "\"created\":1767225600,\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[{\"index\":0,\"message\":"
            + "{\"role\":\"assistant\",\"content\":\"Hello! How can I help you today?\",\"refusal\":null,"
            + "\"annotations\":[]},\"logprobs\":null,\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":24,"
            + "\"completion_tokens\":9,\"total_tokens\":33,\"prompt_tokens_details\":{\"cached_tokens\":0,"
            + "\"audio_tokens\":0},\"completion_tokens_details\":{\"reasoning_tokens\":0,\"audio_tokens\":0,"
            + "\"accepted_prediction_tokens\":0,\"rejected_prediction_tokens\":0}},\"service_tier\":\"default\","
            + "\"system_fingerprint\":\"fp_bench\"}").getBytes(StandardCharsets.UTF_8);

    private final LoopResources loops = LoopResources.create("fake-openai", 2, true);
    private final DisposableServer server;

    public FakeOpenAi() {
        server = HttpServer.create().host("127.0.0.1").port(0).runOn(loops)
                .route(routes -> routes.post("/v1/chat/completions", (request, response) -> request.receive().then()
                        .then(Mono.defer(() -> response
                                .header(HttpHeaderNames.CONTENT_TYPE, "application/json")
                                .header(HttpHeaderNames.CONTENT_LENGTH, String.valueOf(ANSWER.length))
                                .sendByteArray(Mono.just(ANSWER)).then()))))
                .bindNow();
    }

    /** The base URL an OpenAI client is given: {@code http://127.0.0.1:<port>/v1}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.port() + "/v1";
    }

    @Override
    public void close() {
        server.disposeNow();
        loops.dispose();
    }
}
