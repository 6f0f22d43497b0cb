package dev.tally.gateway.bench;

import io.netty.handler.codec.http.HttpHeaderNames;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.LoopResources;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * A fake OpenAI upstream that answers {@code POST /v1/chat/completions} at once with a small, realistic
 * {@code chat.completion} (usage included), on its own two Netty event loops. Keep-alive HTTP/1.1; the request body
 * is read and dropped. Every target of the benchmark, and the baseline, calls this same server.
 *
 * <p>Every answer carries the same {@code usage}, so what the fake billed is the number of answers times that usage.
 * It counts its answers per caller (the {@code Authorization} header), so that a benchmark sending several gateways
 * to it can check each one's ledger against exactly what it was billed.
 */
public final class FakeOpenAi implements AutoCloseable {

    /** The usage of the default answer: a one-line question and a one-line reply. */
    public static final Usage DEFAULT_USAGE = new Usage(24, 9);

    private final LoopResources loops = LoopResources.create("fake-openai", 2, true);
    private final DisposableServer server;
    private final Usage usage;
    private final Map<String, LongAdder> answersByCaller = new ConcurrentHashMap<>();

    public FakeOpenAi() {
        this(DEFAULT_USAGE);
    }

    public FakeOpenAi(Usage usage) {
        this.usage = usage;
        byte[] answer = answer(usage);
        server = HttpServer.create().host("127.0.0.1").port(0).runOn(loops)
                .route(routes -> routes.post("/v1/chat/completions", (request, response) -> {
                    String caller = String.valueOf(request.requestHeaders().get(HttpHeaderNames.AUTHORIZATION));
                    return request.receive().then()
                            .then(Mono.defer(() -> response
                                    .header(HttpHeaderNames.CONTENT_TYPE, "application/json")
                                    .header(HttpHeaderNames.CONTENT_LENGTH, String.valueOf(answer.length))
                                    .sendByteArray(Mono.just(answer)).then()))
                            // Counted once the answer is written: what the caller got is what it was billed for.
                            .doOnSuccess(done -> answersByCaller.computeIfAbsent(caller, c -> new LongAdder())
                                    .increment());
                }))
                .bindNow();
    }

    static byte[] answer(Usage usage) {
        return ("{\"id\":\"chatcmpl-AbCdEf0123456789bench\",\"object\":\"chat.completion\","
                + "\"created\":1767225600,\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[{\"index\":0,\"message\":"
                + "{\"role\":\"assistant\",\"content\":\"Hello! How can I help you today?\",\"refusal\":null,"
                + "\"annotations\":[]},\"logprobs\":null,\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":"
                + usage.promptTokens() + ",\"completion_tokens\":" + usage.completionTokens() + ",\"total_tokens\":"
                + usage.totalTokens() + ",\"prompt_tokens_details\":{\"cached_tokens\":0,"
                + "\"audio_tokens\":0},\"completion_tokens_details\":{\"reasoning_tokens\":0,\"audio_tokens\":0,"
                + "\"accepted_prediction_tokens\":0,\"rejected_prediction_tokens\":0}},\"service_tier\":\"default\","
                + "\"system_fingerprint\":\"fp_bench\"}").getBytes(StandardCharsets.UTF_8);
    }

    /** The base URL an OpenAI client is given: {@code http://127.0.0.1:<port>/v1}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.port() + "/v1";
    }

    /** The usage every answer reports. */
    public Usage usage() {
        return usage;
    }

    /** Answers written so far to callers sending {@code Authorization: Bearer <apiKey>}. */
    public long answeredFor(String apiKey) {
        LongAdder answers = answersByCaller.get("Bearer " + apiKey);
        return answers == null ? 0 : answers.sum();
    }

    @Override
    public void close() {
        server.disposeNow();
        loops.dispose();
    }

    /** Token counts of one answer, as OpenAI reports and bills them. */
    public record Usage(int promptTokens, int completionTokens) {

        public int totalTokens() {
            return promptTokens + completionTokens;
        }
    }
}
