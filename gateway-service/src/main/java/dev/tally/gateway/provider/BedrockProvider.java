package dev.tally.gateway.provider;

import dev.tally.gateway.error.GatewayException;
import dev.tally.gateway.pricing.BilledUsage;
import dev.tally.gateway.pricing.Tokenizer;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.publisher.Mono;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlockDeltaEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamMetadataEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamOutput;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamResponseHandler;
import software.amazon.awssdk.services.bedrockruntime.model.InferenceConfiguration;
import software.amazon.awssdk.services.bedrockruntime.model.Message;
import software.amazon.awssdk.services.bedrockruntime.model.MessageStartEvent;
import software.amazon.awssdk.services.bedrockruntime.model.MessageStopEvent;
import software.amazon.awssdk.services.bedrockruntime.model.SystemContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.TokenUsage;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;

/**
 * AWS Bedrock's Converse API through the AWS SDK's async client (SigV4 signing, event-stream decoding, Netty, so
 * nothing blocks the gateway's event loop), behind OpenAI's chat format: system messages become {@code system}, the
 * others alternate user and assistant turns, the sampling fields become {@code inferenceConfig}; the answer's text
 * blocks become the message, {@code stopReason} the finish_reason, {@code usage} what is charged. ConverseStream's
 * messageStart / contentBlockDelta / messageStop / metadata events become OpenAI chunks with a final usage chunk.
 * The organisation's BYOK key pair signs its requests (a per-request credentials override), else the platform's.
 */
public class BedrockProvider implements ChatProvider {

    private final String name;
    private final BedrockRuntimeAsyncClient client;
    private final JsonMapper json;
    private final Duration timeout;
    private final Tokenizer tokenizer;
    private final Function<String, AwsCredentialsProvider> credentials;

    /**
     * @param credentials the credentials for a request's key: an AWS key pair in {@link AwsKeyPair}'s JSON, or null
     *                    for the platform's
     */
    public BedrockProvider(String name, BedrockRuntimeAsyncClient client, JsonMapper json, Duration timeout,
            Tokenizer tokenizer, Function<String, AwsCredentialsProvider> credentials) {
        this.name = name;
        this.client = client;
        this.json = json;
        this.timeout = timeout;
        this.tokenizer = tokenizer;
        this.credentials = credentials;
    }

    @Override
    public Mono<ProviderResponse> complete(ProviderRequest request) {
        return Mono.defer(() -> {
            Converse converse = toConverse(request);
            ConverseRequest.Builder builder = ConverseRequest.builder().modelId(request.model())
                    .messages(converse.messages()).system(converse.system())
                    .inferenceConfig(converse.inference())
                    .overrideConfiguration(override(request));
            return Mono.fromFuture(() -> client.converse(builder.build()));
        })
                .timeout(timeout)
                .onErrorMap(this::failure)
                .map(answer -> toOpenAi(request, answer));
    }

    @Override
    public Flux<StreamChunk> stream(ProviderRequest request) {
        return Flux.<ConverseStreamOutput>create(sink -> {
            Converse converse = toConverse(request);
            ConverseStreamRequest converseRequest = ConverseStreamRequest.builder().modelId(request.model())
                    .messages(converse.messages()).system(converse.system())
                    .inferenceConfig(converse.inference())
                    .overrideConfiguration(override(request)).build();
            ConverseStreamResponseHandler handler = ConverseStreamResponseHandler.builder()
                    .subscriber(sink::next)
                    .onError(sink::error)
                    .onComplete(sink::complete)
                    .build();
            CompletableFuture<Void> call = client.converseStream(converseRequest, handler);
            call.whenComplete((ignored, e) -> {
                if (e != null) {
                    sink.error(e);
                }
            });
            // A client that leaves mid-stream ends the upstream call too, as WebClient does for the other types.
            sink.onDispose(() -> call.cancel(true));
        }, FluxSink.OverflowStrategy.BUFFER)
                .onErrorMap(this::failure)
                .concatMapIterable(new StreamTranslation(request)::chunks);
    }

    private AwsRequestOverrideConfiguration override(ProviderRequest request) {
        AwsRequestOverrideConfiguration.Builder override = AwsRequestOverrideConfiguration.builder();
        AwsCredentialsProvider provider = credentials.apply(request.apiKey());
        if (provider != null) {
            override.credentialsProvider(provider);
        }
        return override.build();
    }

    /** The request's turns, system text and sampling settings in Converse's types. */
    record Converse(List<Message> messages, List<SystemContentBlock> system, InferenceConfiguration inference) {
    }

    Converse toConverse(ProviderRequest request) {
        JsonNode body = request.body();
        if (body.path("tools").isArray() && !body.path("tools").isEmpty()) {
            throw GatewayException.badRequest("unsupported_parameter", "Provider " + name
                    + " (Bedrock) does not take tools through this gateway yet.", "tools");
        }
        if (body.path("n").asInt(1) > 1) {
            throw GatewayException.badRequest("unsupported_parameter", "Provider " + name
                    + " (Bedrock) answers one choice per request.", "n");
        }
        List<SystemContentBlock> system = new ArrayList<>();
        List<Message> messages = new ArrayList<>();
        ConversationRole role = null;
        List<ContentBlock> content = new ArrayList<>();
        for (JsonNode message : body.path("messages")) {
            String from = message.path("role").asString("user");
            String text = text(message.path("content"));
            if ("system".equals(from) || "developer".equals(from)) {
                system.add(SystemContentBlock.fromText(text));
                continue;
            }
            if (!"user".equals(from) && !"assistant".equals(from)) {
                throw GatewayException.badRequest("unsupported_parameter", "Provider " + name
                        + " (Bedrock) takes system, user and assistant messages only, not '" + from + "'.",
                        "messages");
            }
            ConversationRole next = "assistant".equals(from) ? ConversationRole.ASSISTANT : ConversationRole.USER;
            // Converse wants the roles to alternate: consecutive messages of one role are one turn.
            if (role != null && role != next) {
                messages.add(Message.builder().role(role).content(content).build());
                content = new ArrayList<>();
            }
            role = next;
            content.add(ContentBlock.fromText(text));
        }
        if (role != null) {
            messages.add(Message.builder().role(role).content(content).build());
        }
        InferenceConfiguration.Builder inference = InferenceConfiguration.builder().maxTokens(request.maxTokens());
        if (body.path("temperature").isNumber()) {
            inference.temperature((float) body.path("temperature").asDouble());
        }
        if (body.path("top_p").isNumber()) {
            inference.topP((float) body.path("top_p").asDouble());
        }
        JsonNode stop = body.path("stop");
        if (stop.isString()) {
            inference.stopSequences(stop.asString());
        } else if (stop.isArray()) {
            List<String> sequences = new ArrayList<>();
            stop.forEach(s -> sequences.add(s.asString()));
            inference.stopSequences(sequences);
        }
        return new Converse(messages, system, inference.build());
    }

    /** Text parts only: images and audio are not translated, and saying so beats dropping them silently. */
    private String text(JsonNode content) {
        if (content.isString()) {
            return content.asString();
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode part : content) {
            String type = part.path("type").asString("text");
            if (!"text".equals(type)) {
                throw GatewayException.badRequest("unsupported_parameter", "Provider " + name
                        + " (Bedrock) takes text content only through this gateway, not '" + type + "'.",
                        "messages");
            }
            text.append(part.path("text").asString(""));
        }
        return text.toString();
    }

    ProviderResponse toOpenAi(ProviderRequest request, ConverseResponse answer) {
        StringBuilder text = new StringBuilder();
        StringBuilder generated = new StringBuilder();
        if (answer.output() != null && answer.output().message() != null) {
            for (ContentBlock block : answer.output().message().content()) {
                if (block.text() != null) {
                    text.append(block.text());
                } else if (block.reasoningContent() != null && block.reasoningContent().reasoningText() != null) {
                    generated.append(block.reasoningContent().reasoningText().text());
                } else if (block.toolUse() != null) {
                    generated.append(block.toolUse().name()).append(block.toolUse().input());
                }
            }
        }
        BilledUsage usage = answer.usage() != null ? usage(answer.usage())
                : BilledUsage.counted(request.promptTokensEstimate(),
                        tokenizer.count(request.model(), text.toString() + generated));
        ObjectNode body = json.createObjectNode();
        body.put("id", "chatcmpl-bedrock-" + UUID.randomUUID());
        body.put("object", "chat.completion");
        body.put("created", System.currentTimeMillis() / 1000);
        body.put("model", request.model());
        ObjectNode choice = body.putArray("choices").addObject();
        choice.put("index", 0);
        choice.putObject("message").put("role", "assistant").put("content", text.toString());
        choice.put("finish_reason", finishReason(answer.stopReasonAsString()));
        body.set("usage", openAiUsage(usage));
        return new ProviderResponse(body, usage);
    }

    /** Converse's inputTokens leave out cache reads and writes, which it reports apart, as Anthropic does. */
    static BilledUsage usage(TokenUsage usage) {
        return BilledUsage.anthropic(count(usage.inputTokens()), count(usage.cacheReadInputTokens()),
                count(usage.cacheWriteInputTokens()), count(usage.outputTokens()));
    }

    private static long count(Integer tokens) {
        return tokens == null ? 0 : tokens;
    }

    static String finishReason(String stopReason) {
        if (stopReason == null) {
            return "stop";
        }
        return switch (stopReason) {
            case "max_tokens", "model_context_window_exceeded" -> "length";
            case "tool_use" -> "tool_calls";
            case "guardrail_intervened", "content_filtered" -> "content_filter";
            default -> "stop";
        };
    }

    private ObjectNode openAiUsage(BilledUsage usage) {
        ObjectNode openAi = json.createObjectNode();
        openAi.put("prompt_tokens", usage.totalInputTokens());
        openAi.put("completion_tokens", usage.totalOutputTokens());
        openAi.put("total_tokens", usage.totalInputTokens() + usage.totalOutputTokens());
        openAi.putObject("prompt_tokens_details").put("cached_tokens", usage.cachedInputTokens());
        return openAi;
    }

    /** One stream's events to OpenAI chunks: the id and creation time are the stream's. */
    final class StreamTranslation {

        private final ProviderRequest request;
        private final String id = "chatcmpl-bedrock-" + UUID.randomUUID();
        private final long created = System.currentTimeMillis() / 1000;

        StreamTranslation(ProviderRequest request) {
            this.request = request;
        }

        List<StreamChunk> chunks(ConverseStreamOutput event) {
            if (event instanceof MessageStartEvent) {
                ObjectNode chunk = chunk();
                ObjectNode choice = chunk.putArray("choices").addObject();
                choice.put("index", 0);
                choice.putObject("delta").put("role", "assistant").put("content", "");
                choice.putNull("finish_reason");
                return List.of(new StreamChunk(chunk, "", null));
            }
            if (event instanceof ContentBlockDeltaEvent delta && delta.delta() != null) {
                String text = delta.delta().text() == null ? "" : delta.delta().text();
                String other = delta.delta().toolUse() != null ? delta.delta().toolUse().input()
                        : delta.delta().reasoningContent() != null && delta.delta().reasoningContent().text() != null
                                ? delta.delta().reasoningContent().text() : "";
                if (text.isEmpty() && other.isEmpty()) {
                    return List.of();
                }
                ObjectNode chunk = chunk();
                ObjectNode choice = chunk.putArray("choices").addObject();
                choice.put("index", 0);
                choice.putObject("delta").put("content", text);
                choice.putNull("finish_reason");
                // Reasoning and tool input are output too: counted if the stream ends without usage.
                return List.of(new StreamChunk(chunk, text + other, null));
            }
            if (event instanceof MessageStopEvent stop) {
                ObjectNode chunk = chunk();
                ObjectNode choice = chunk.putArray("choices").addObject();
                choice.put("index", 0);
                choice.putObject("delta");
                choice.put("finish_reason", finishReason(stop.stopReasonAsString()));
                return List.of(new StreamChunk(chunk, "", null));
            }
            if (event instanceof ConverseStreamMetadataEvent metadata && metadata.usage() != null) {
                BilledUsage usage = usage(metadata.usage());
                ObjectNode chunk = chunk();
                chunk.putArray("choices");
                chunk.set("usage", openAiUsage(usage));
                return List.of(new StreamChunk(chunk, "", usage));
            }
            return List.of();
        }

        private ObjectNode chunk() {
            ObjectNode chunk = json.createObjectNode();
            chunk.put("id", id);
            chunk.put("object", "chat.completion.chunk");
            chunk.put("created", created);
            chunk.put("model", request.model());
            return chunk;
        }
    }

    /**
     * The SDK's failures as the gateway's: an AWS error status with its message (429 and 5xx retryable, 4xx the
     * request's fault), a client-side failure (unreachable, timed out) as status 0, worth a retry.
     */
    Throwable failure(Throwable e) {
        Throwable cause = e;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof GatewayException || cause instanceof ProviderFailure) {
            return cause;
        }
        if (cause instanceof AwsServiceException aws) {
            String message = aws.awsErrorDetails() != null && aws.awsErrorDetails().errorMessage() != null
                    ? aws.awsErrorDetails().errorMessage() : aws.getMessage();
            // Bedrock's ValidationException for a prompt beyond the model's window: "Input is too long for requested
            // model" (or "too many input tokens").
            String lower = message == null ? "" : message.toLowerCase(java.util.Locale.ROOT);
            boolean contextLength = aws.statusCode() == 400
                    && (lower.contains("input is too long") || lower.contains("too many input tokens"));
            return new ProviderFailure(aws.statusCode(), name + " answered " + aws.statusCode() + ": " + message,
                    contextLength);
        }
        if (cause instanceof java.util.concurrent.TimeoutException || cause instanceof ApiCallTimeoutException) {
            return new ProviderFailure(0, name + " did not answer within " + timeout.toMillis() + " ms");
        }
        if (cause instanceof SdkClientException) {
            return new ProviderFailure(0, name + " unreachable: " + cause.getMessage());
        }
        return cause;
    }
}
