package dev.tally.gateway.provider;

import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.List;

/**
 * {@link HonestProvider} behind HTTP, in OpenAI's wire format (and Anthropic's for /v1/messages), for WireMock stubs
 * that name it
 * ({@code aResponse().withTransformers(HonestUpstream.NAME)}): an embeddings or legacy completions request is answered
 * with what OpenAI would send, its {@code usage} being what the honest provider bills for the very body the gateway
 * forwarded. Streamed completions end with a usage chunk when the request asks for one, then {@code [DONE]}.
 */
public final class HonestUpstream implements ResponseDefinitionTransformerV2 {

    public static final String NAME = "honest-openai";
    /** The text of every generated choice; its tokens are not what is billed (the usage is). */
    public static final String TEXT = " Honest text.";

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public boolean applyGlobally() {
        return false;
    }

    @Override
    public ResponseDefinition transform(ServeEvent event) {
        String url = event.getRequest().getUrl();
        JsonNode body = HonestProvider.json().readTree(event.getRequest().getBodyAsString());
        String model = body.path("model").asString();
        ResponseDefinitionBuilder answer = ResponseDefinitionBuilder.like(event.getResponseDefinition()).but();
        if (url.endsWith("/v1/messages")) {
            return messages(answer, model, body);
        }
        if (url.endsWith("/responses")) {
            return responses(answer, model, body);
        }
        if (url.endsWith("/embeddings")) {
            return answer.withHeader("Content-Type", "application/json")
                    .withBody(embeddings(model, body).toString()).build();
        }
        if (body.path("stream").asBoolean(false)) {
            return answer.withHeader("Content-Type", "text/event-stream").withBody(streamedCompletion(model, body))
                    .build();
        }
        return answer.withHeader("Content-Type", "application/json").withBody(completion(model, body).toString())
                .build();
    }

    /**
     * Anthropic's Messages API: a message of {@link #TEXT}, or its stream of named events with a ping among them,
     * billed what {@link HonestProvider#billMessages} bills. A body that marks anything {@code cache_control} is
     * billed a quarter of its input as cache writes and a quarter as cache reads, so that each rate is charged.
     */
    private static ResponseDefinition messages(ResponseDefinitionBuilder answer, String model, JsonNode body) {
        HonestProvider.Usage billed = HonestProvider.billMessages(model, body);
        boolean cached = body.toString().contains("\"cache_control\"");
        long written = cached ? billed.promptTokens() / 4 : 0;
        long read = cached ? billed.promptTokens() / 4 : 0;
        ObjectNode usage = HonestProvider.json().createObjectNode()
                .put("input_tokens", billed.promptTokens() - written - read)
                .put("cache_creation_input_tokens", written).put("cache_read_input_tokens", read)
                .put("output_tokens", billed.completionTokens());
        ObjectNode message = HonestProvider.json().createObjectNode().put("id", "msg_honest").put("type", "message")
                .put("role", "assistant").put("model", model);
        if (!body.path("stream").asBoolean(false)) {
            message.putArray("content").addObject().put("type", "text").put("text", TEXT);
            message.put("stop_reason", "max_tokens").putNull("stop_sequence");
            message.set("usage", usage);
            return answer.withHeader("Content-Type", "application/json").withBody(message.toString()).build();
        }
        message.putArray("content");
        message.putNull("stop_reason").putNull("stop_sequence");
        message.set("usage", usage.deepCopy().put("output_tokens", 1));
        var json = HonestProvider.json();
        StringBuilder events = new StringBuilder();
        event(events, json.createObjectNode().put("type", "message_start").set("message", message));
        ObjectNode start = json.createObjectNode().put("type", "content_block_start").put("index", 0);
        start.putObject("content_block").put("type", "text").put("text", "");
        event(events, start);
        event(events, json.createObjectNode().put("type", "ping"));
        ObjectNode delta = json.createObjectNode().put("type", "content_block_delta").put("index", 0);
        delta.putObject("delta").put("type", "text_delta").put("text", TEXT);
        event(events, delta);
        event(events, json.createObjectNode().put("type", "content_block_stop").put("index", 0));
        ObjectNode end = json.createObjectNode().put("type", "message_delta");
        end.putObject("delta").put("stop_reason", "max_tokens").putNull("stop_sequence");
        end.putObject("usage").put("output_tokens", billed.completionTokens());
        event(events, end);
        event(events, json.createObjectNode().put("type", "message_stop"));
        return answer.withHeader("Content-Type", "text/event-stream").withBody(events.toString()).build();
    }

    /**
     * OpenAI's Responses API: a response whose one message says {@link #TEXT}, or its stream of typed events
     * (response.created … response.completed), billed as an honest provider would: the input's text (instructions,
     * every message's text parts, tool outputs, tool definitions' JSON) with OpenAI's per-message framing, and
     * {@code max_output_tokens} of output. A body with a {@code prompt_cache_key} is billed half its input as cache
     * hits, one with {@code reasoning} half its output as reasoning tokens, so that each rate is charged.
     */
    private static ResponseDefinition responses(ResponseDefinitionBuilder answer, String model, JsonNode body) {
        var json = HonestProvider.json();
        long input = responsesInput(model, body);
        long output = body.path("max_output_tokens").asLong(16);
        ObjectNode usage = json.createObjectNode().put("input_tokens", input);
        usage.putObject("input_tokens_details").put("cached_tokens", body.has("prompt_cache_key") ? input / 2 : 0);
        usage.put("output_tokens", output);
        usage.putObject("output_tokens_details").put("reasoning_tokens", body.has("reasoning") ? output / 2 : 0);
        usage.put("total_tokens", input + output);
        String id = "resp_" + java.util.UUID.randomUUID().toString().replace("-", "");
        ObjectNode message = json.createObjectNode().put("id", "msg_" + id).put("type", "message")
                .put("status", "completed").put("role", "assistant");
        message.putArray("content").addObject().put("type", "output_text").put("text", TEXT).putArray("annotations");
        if (!body.path("stream").asBoolean(false)) {
            ObjectNode response = response(id, model, body, "completed");
            ((ArrayNode) response.get("output")).add(message);
            response.set("usage", usage);
            return answer.withHeader("Content-Type", "application/json").withBody(response.toString()).build();
        }
        StringBuilder events = new StringBuilder();
        int[] sequence = {0};
        java.util.function.Consumer<ObjectNode> send = event -> {
            event.put("sequence_number", sequence[0]++);
            event(events, event);
        };
        send.accept(typed("response.created").set("response", response(id, model, body, "in_progress")));
        send.accept(typed("response.in_progress").set("response", response(id, model, body, "in_progress")));
        ObjectNode started = message.deepCopy().put("status", "in_progress");
        started.putArray("content");
        send.accept(typed("response.output_item.added").put("output_index", 0).set("item", started));
        ObjectNode part = typed("response.content_part.added").put("item_id", "msg_" + id).put("output_index", 0)
                .put("content_index", 0);
        part.putObject("part").put("type", "output_text").put("text", "").putArray("annotations");
        send.accept(part);
        send.accept(typed("response.output_text.delta").put("item_id", "msg_" + id).put("output_index", 0)
                .put("content_index", 0).put("delta", TEXT));
        send.accept(typed("response.output_text.done").put("item_id", "msg_" + id).put("output_index", 0)
                .put("content_index", 0).put("text", TEXT));
        ObjectNode partDone = typed("response.content_part.done").put("item_id", "msg_" + id).put("output_index", 0)
                .put("content_index", 0);
        partDone.set("part", message.path("content").get(0));
        send.accept(partDone);
        send.accept(typed("response.output_item.done").put("output_index", 0).set("item", message));
        ObjectNode completed = response(id, model, body, "completed");
        ((ArrayNode) completed.get("output")).add(message);
        completed.set("usage", usage);
        send.accept(typed("response.completed").set("response", completed));
        return answer.withHeader("Content-Type", "text/event-stream").withBody(events.toString()).build();
    }

    private static ObjectNode typed(String type) {
        return HonestProvider.json().createObjectNode().put("type", type);
    }

    /** A response object as OpenAI writes it, without output and usage. */
    private static ObjectNode response(String id, String model, JsonNode body, String status) {
        ObjectNode response = HonestProvider.json().createObjectNode().put("id", id).put("object", "response")
                .put("created_at", 1_700_000_000).put("status", status).put("model", model);
        response.putNull("error").putNull("incomplete_details");
        response.set("instructions", body.path("instructions").isString() ? body.get("instructions")
                : HonestProvider.json().nullNode());
        response.put("max_output_tokens", body.path("max_output_tokens").asLong(16));
        response.putObject("metadata");
        response.putArray("output");
        response.put("parallel_tool_calls", true);
        response.set("previous_response_id", body.path("previous_response_id").isString()
                ? body.get("previous_response_id") : HonestProvider.json().nullNode());
        response.put("store", body.path("store").asBoolean(true)).put("temperature", 1.0).put("tool_choice", "auto");
        response.set("tools", body.path("tools").isArray() ? body.get("tools") : HonestProvider.json().createArrayNode());
        response.put("top_p", 1.0).putNull("usage");
        return response;
    }

    /** The input's text with OpenAI's framing: 3 tokens a message and 3 to prime the reply. */
    static long responsesInput(String model, JsonNode body) {
        var encoding = HonestProvider.encoding(model);
        java.util.function.ToLongFunction<String> count = text -> text.isEmpty() ? 0
                : encoding.countTokensOrdinary(text);
        long tokens = 3;
        if (body.path("instructions").isString()) {
            tokens += 3 + count.applyAsLong("system") + count.applyAsLong(body.path("instructions").asString());
        }
        JsonNode input = body.path("input");
        if (input.isString()) {
            tokens += 3 + count.applyAsLong("user") + count.applyAsLong(input.asString());
        }
        for (JsonNode item : input.isArray() ? input : HonestProvider.json().createArrayNode()) {
            tokens += 3 + count.applyAsLong(item.path("role").asString(""));
            JsonNode content = item.path("content");
            if (content.isString()) {
                tokens += count.applyAsLong(content.asString());
            }
            for (JsonNode part : content.isArray() ? content : HonestProvider.json().createArrayNode()) {
                tokens += count.applyAsLong(part.path("text").asString(""));
            }
            tokens += count.applyAsLong(item.path("output").asString(""));
        }
        for (JsonNode tool : body.path("tools")) {
            tokens += count.applyAsLong(tool.toString());
        }
        return tokens;
    }

    private static void event(StringBuilder events, ObjectNode data) {
        events.append("event: ").append(data.path("type").asString()).append("\ndata: ").append(data).append("\n\n");
    }

    private static ObjectNode embeddings(String model, JsonNode body) {
        ObjectNode answer = HonestProvider.json().createObjectNode().put("object", "list");
        ArrayNode data = answer.putArray("data");
        List<Long> inputs = HonestProvider.inputs(HonestProvider.encoding(model), body.path("input"));
        int dimensions = body.path("dimensions").asInt(4);
        for (int i = 0; i < inputs.size(); i++) {
            float[] vector = new float[dimensions];
            for (int d = 0; d < dimensions; d++) {
                vector[d] = (float) Math.sin(i + d);
            }
            ObjectNode embedding = data.addObject().put("object", "embedding").put("index", i);
            if ("base64".equals(body.path("encoding_format").asString(""))) {
                ByteBuffer bytes = ByteBuffer.allocate(4 * dimensions).order(ByteOrder.LITTLE_ENDIAN);
                for (float value : vector) {
                    bytes.putFloat(value);
                }
                embedding.put("embedding", Base64.getEncoder().encodeToString(bytes.array()));
            } else {
                ArrayNode values = embedding.putArray("embedding");
                for (float value : vector) {
                    values.add(value);
                }
            }
        }
        answer.put("model", model);
        long prompt = HonestProvider.billEmbeddings(model, body).promptTokens();
        answer.putObject("usage").put("prompt_tokens", prompt).put("total_tokens", prompt);
        return answer;
    }

    private static ObjectNode completion(String model, JsonNode body) {
        ObjectNode answer = header(model);
        ArrayNode choices = answer.putArray("choices");
        int returned = returnedChoices(body);
        for (int i = 0; i < returned; i++) {
            choices.addObject().put("index", i).put("text", TEXT).putNull("logprobs").put("finish_reason", "length");
        }
        answer.set("usage", usage(model, body));
        return answer;
    }

    private static String streamedCompletion(String model, JsonNode body) {
        StringBuilder events = new StringBuilder();
        int returned = returnedChoices(body);
        for (int i = 0; i < returned; i++) {
            ObjectNode chunk = header(model);
            chunk.putArray("choices").addObject().put("index", i).put("text", TEXT).putNull("logprobs")
                    .put("finish_reason", "length");
            events.append("data: ").append(chunk).append("\n\n");
        }
        if (body.path("stream_options").path("include_usage").asBoolean(false)) {
            ObjectNode chunk = header(model);
            chunk.putArray("choices");
            chunk.set("usage", usage(model, body));
            events.append("data: ").append(chunk).append("\n\n");
        }
        return events.append("data: [DONE]\n\n").toString();
    }

    /** n choices for each prompt: best_of candidates are generated (and billed), the best n returned. */
    private static int returnedChoices(JsonNode body) {
        return HonestProvider.inputs(HonestProvider.encoding(body.path("model").asString()), body.path("prompt"))
                .size() * body.path("n").asInt(1);
    }

    private static ObjectNode header(String model) {
        return HonestProvider.json().createObjectNode().put("id", "cmpl-honest").put("object", "text_completion")
                .put("created", 1).put("model", model);
    }

    private static ObjectNode usage(String model, JsonNode body) {
        HonestProvider.Usage billed = HonestProvider.billCompletions(model, body);
        return HonestProvider.json().createObjectNode().put("prompt_tokens", billed.promptTokens())
                .put("completion_tokens", billed.completionTokens())
                .put("total_tokens", billed.promptTokens() + billed.completionTokens());
    }
}
