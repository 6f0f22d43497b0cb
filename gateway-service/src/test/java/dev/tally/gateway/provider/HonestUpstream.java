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
 * {@link HonestProvider} behind HTTP, in OpenAI's wire format, for WireMock stubs that name it
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
