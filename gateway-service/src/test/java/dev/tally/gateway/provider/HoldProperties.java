package dev.tally.gateway.provider;

import dev.tally.events.governance.PriceState;
import dev.tally.gateway.pricing.CreditPricing;
import dev.tally.gateway.pricing.PromptMeter;
import dev.tally.gateway.pricing.TestImages;
import dev.tally.gateway.pricing.Tokenizer;
import dev.tally.gateway.route.HoldEstimate;
import dev.tally.gateway.route.OutputLimit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hold is an upper bound of what the provider bills: for every generated request shape, the credits held cover the
 * price of what {@link HonestProvider} bills for the body the gateway forwards, and the input bound covers its prompt.
 */
class HoldProperties {

    private static final JsonMapper JSON = HonestProvider.json();
    private static final PromptMeter METER = new PromptMeter(new Tokenizer());
    private static final List<String> MODELS = List.of("gpt-4o", "gpt-4o-mini", "gpt-4.1", "gpt-4.1-mini",
            "gpt-4-turbo", "o1", "o3-mini", "o4-mini", "gpt-5", "claude-3-5-sonnet-20241022", "claude-opus-4-7");
    private static final int DEFAULT_MAX = 1024;

    record Request(String model, ObjectNode body, Integer policyMax, PriceState price, long creditsPerUsd) {
        @Override
        public String toString() {
            String text = body.toString();
            return model + " policyMax=" + policyMax + " " + (text.length() > 4000 ? text.substring(0, 4000) + "…"
                    : text);
        }
    }

    @Property(tries = 200)
    void the_hold_covers_what_an_honest_provider_bills(@ForAll("requests") Request request) {
        OutputLimit output = OutputLimit.of(request.body(), request.policyMax(), DEFAULT_MAX);
        HoldEstimate hold = HoldEstimate.of(METER, request.model(), request.price(), request.creditsPerUsd(),
                request.body(), output);
        ObjectNode forwarded = request.body().deepCopy();
        output.writeTo(forwarded, hold.family());
        // A Claude model gets the held output limit as max_tokens (ChatToMessages).
        Integer anthropicMax = hold.family().anthropic() ? output.perChoice() : null;

        HonestProvider.Usage billed = HonestProvider.bill(request.model(), forwarded, anthropicMax);

        assertThat((long) hold.inputTokens()).as("input bound vs billed prompt").isGreaterThanOrEqualTo(billed.promptTokens());
        assertThat(hold.outputTokens()).as("output bound vs billed completion")
                .isGreaterThanOrEqualTo(billed.completionTokens());
        assertThat(hold.credits()).as("credits held vs the price of what was billed").isGreaterThanOrEqualTo(
                CreditPricing.credits(request.price(), request.creditsPerUsd(), billed.promptTokens(),
                        billed.completionTokens()));
    }

    @Provide
    Arbitrary<Request> requests() {
        return Arbitraries.longs().map(seed -> generate(new Random(seed)));
    }

    private static Request generate(Random r) {
        String model = MODELS.get(r.nextInt(MODELS.size()));
        boolean claude = model.startsWith("claude");
        ObjectNode body = JSON.createObjectNode();
        body.put("model", model);
        List<String> toolNames = new ArrayList<>();
        if (r.nextInt(10) < 4) {
            ArrayNode tools = body.putArray("tools");
            for (int i = 0, n = 1 + r.nextInt(4); i < n; i++) {
                ObjectNode function = function(r, toolNames);
                tools.addObject().put("type", "function").set("function", function);
            }
        } else if (r.nextInt(10) == 0) {
            ArrayNode functions = body.putArray("functions");
            for (int i = 0, n = 1 + r.nextInt(3); i < n; i++) {
                functions.add(function(r, toolNames));
            }
        }
        ArrayNode messages = body.putArray("messages");
        for (int i = 0, n = 1 + r.nextInt(6); i < n; i++) {
            messages.add(message(r, toolNames));
        }
        switch (r.nextInt(5)) {
            case 0 -> body.putObject("response_format").put("type", "text");
            case 1 -> body.putObject("response_format").put("type", "json_object");
            case 2 -> {
                ObjectNode schema = body.putObject("response_format").put("type", "json_schema")
                        .putObject("json_schema");
                schema.put("name", name(r));
                schema.set("schema", parameters(r, 2));
            }
            default -> {
            }
        }
        if (!toolNames.isEmpty() && body.has("tools")) {
            switch (r.nextInt(4)) {
                case 0 -> body.put("tool_choice", r.nextBoolean() ? "auto" : "required");
                case 1 -> body.putObject("tool_choice").put("type", "function").putObject("function")
                        .put("name", toolNames.get(r.nextInt(toolNames.size())));
                default -> {
                }
            }
        }
        if (!claude && r.nextInt(10) < 3) {
            body.put("n", 1 + r.nextInt(5));
        }
        if (!claude && r.nextInt(10) == 0) {
            body.put("best_of", 1 + r.nextInt(5));
        }
        switch (r.nextInt(4)) {
            case 0 -> body.put("max_tokens", 1 + r.nextInt(8192));
            case 1 -> body.put("max_completion_tokens", 1 + r.nextInt(8192));
            case 2 -> body.put("max_tokens", 1 + r.nextInt(8192)).put("max_completion_tokens", 1 + r.nextInt(8192));
            default -> {
            }
        }
        if (!claude && r.nextInt(10) == 0) {
            body.putObject("prediction").put("type", "content").put("content", text(r));
        }
        Integer policyMax = r.nextBoolean() ? null : 1 + r.nextInt(4096);
        PriceState price = new PriceState(claude ? "anthropic" : "openai", model, usd(r), usd(r), Instant.EPOCH);
        return new Request(model, body, policyMax, price, 1 + r.nextInt(100_000));
    }

    private static BigDecimal usd(Random r) {
        return BigDecimal.valueOf(1 + r.nextInt(100_000), 6);
    }

    private static ObjectNode message(Random r, List<String> toolNames) {
        String role = List.of("system", "developer", "user", "user", "assistant", "tool").get(r.nextInt(6));
        ObjectNode message = JSON.createObjectNode().put("role", role);
        if (r.nextInt(10) < 3) {
            message.put("name", name(r));
        }
        switch (role) {
            case "user" -> {
                if (r.nextBoolean()) {
                    message.put("content", text(r));
                } else {
                    ArrayNode parts = message.putArray("content");
                    for (int i = 0, n = 1 + r.nextInt(4); i < n; i++) {
                        parts.add(part(r));
                    }
                }
            }
            case "assistant" -> {
                switch (r.nextInt(4)) {
                    case 0 -> message.put("content", text(r));
                    case 1 -> message.putNull("content");
                    case 2 -> {
                        ArrayNode parts = message.putArray("content");
                        parts.addObject().put("type", "text").put("text", text(r));
                        parts.addObject().put("type", "refusal").put("refusal", text(r));
                    }
                    default -> message.put("refusal", text(r));
                }
                if (r.nextBoolean()) {
                    ArrayNode calls = message.putArray("tool_calls");
                    for (int i = 0, n = 1 + r.nextInt(3); i < n; i++) {
                        ObjectNode call = calls.addObject().put("id", "call_" + name(r)).put("type", "function");
                        call.putObject("function").put("name", name(r)).put("arguments", arguments(r));
                    }
                } else if (r.nextInt(5) == 0) {
                    message.putObject("function_call").put("name", name(r)).put("arguments", arguments(r));
                }
            }
            case "tool" -> message.put("tool_call_id", "call_" + name(r)).put("content", text(r));
            default -> message.put("content", text(r));
        }
        return message;
    }

    private static ObjectNode part(Random r) {
        ObjectNode part = JSON.createObjectNode();
        switch (r.nextInt(6)) {
            case 0, 1 -> part.put("type", "text").put("text", text(r));
            case 2 -> {
                ObjectNode image = part.put("type", "image_url").putObject("image_url");
                int w = 1 + r.nextInt(r.nextBoolean() ? 8000 : 300);
                int h = 1 + r.nextInt(r.nextBoolean() ? 8000 : 300);
                image.put("url", "https://img.test/" + w + "x" + h + ".png");
                detail(r, image);
            }
            case 3 -> {
                ObjectNode image = part.put("type", "image_url").putObject("image_url");
                image.put("url", TestImages.dataUrl(r.nextBoolean() ? "png" : "jpeg", 1 + r.nextInt(700),
                        1 + r.nextInt(700)));
                detail(r, image);
            }
            case 4 -> {
                int kbps = List.of(8, 16, 24, 32, 64, 128).get(r.nextInt(6));
                byte[] audio = new byte[Math.max(1, (int) (kbps * 125 * r.nextDouble() * 20))];
                audio[0] = (byte) kbps;
                part.put("type", "input_audio").putObject("input_audio")
                        .put("data", Base64.getEncoder().encodeToString(audio)).put("format", "mp3");
            }
            default -> part.put("type", "file").putObject("file").put("file_id", "file-" + name(r))
                    .put("filename", text(r));
        }
        return part;
    }

    private static void detail(Random r, ObjectNode image) {
        switch (r.nextInt(4)) {
            case 0 -> image.put("detail", "low");
            case 1 -> image.put("detail", "high");
            case 2 -> image.put("detail", "auto");
            default -> {
            }
        }
    }

    private static ObjectNode function(Random r, List<String> names) {
        String name = name(r);
        names.add(name);
        ObjectNode function = JSON.createObjectNode().put("name", name);
        if (r.nextBoolean()) {
            function.put("description", text(r));
        }
        if (r.nextInt(5) > 0) {
            function.set("parameters", parameters(r, 2));
        }
        return function;
    }

    private static ObjectNode parameters(Random r, int depth) {
        ObjectNode schema = JSON.createObjectNode().put("type", "object");
        ObjectNode properties = schema.putObject("properties");
        ArrayNode required = JSON.createArrayNode();
        for (int i = 0, n = r.nextInt(5); i < n; i++) {
            String name = name(r);
            ObjectNode property = switch (r.nextInt(depth > 0 ? 7 : 6)) {
                case 0 -> JSON.createObjectNode().put("type", "string");
                case 1 -> JSON.createObjectNode().put("type", "number");
                case 2 -> JSON.createObjectNode().put("type", "integer");
                case 3 -> JSON.createObjectNode().put("type", "boolean");
                case 4 -> {
                    ObjectNode array = JSON.createObjectNode().put("type", "array");
                    array.putObject("items").put("type", "string");
                    yield array;
                }
                case 5 -> {
                    ObjectNode e = JSON.createObjectNode().put("type", "string");
                    ArrayNode values = e.putArray("enum");
                    for (int v = 0, m = 1 + r.nextInt(4); v < m; v++) {
                        values.add(word(r));
                    }
                    yield e;
                }
                default -> parameters(r, depth - 1);
            };
            if (r.nextBoolean()) {
                property.put("description", text(r));
            }
            properties.set(name, property);
            if (r.nextBoolean()) {
                required.add(name);
            }
        }
        schema.set("required", required);
        return schema;
    }

    private static String arguments(Random r) {
        ObjectNode args = JSON.createObjectNode();
        for (int i = 0, n = r.nextInt(4); i < n; i++) {
            switch (r.nextInt(3)) {
                case 0 -> args.put(name(r), text(r));
                case 1 -> args.put(name(r), r.nextInt());
                default -> args.put(name(r), r.nextBoolean());
            }
        }
        return args.toString();
    }

    private static String name(Random r) {
        String chars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-";
        StringBuilder s = new StringBuilder();
        for (int i = 0, n = 1 + r.nextInt(20); i < n; i++) {
            s.append(chars.charAt(r.nextInt(i == 0 ? 52 : chars.length())));
        }
        return s.toString();
    }

    private static String word(Random r) {
        return List.of("Paris", "the", "weather", "celsius", "fahrenheit", "naïve", "東京", "😀", "rate-limit",
                "0x1F", "42", "  ", "\n", "\"quoted\"", "back\\slash").get(r.nextInt(15));
    }

    /** Prose, code, unicode of many scripts, digits, whitespace runs, JSON-hostile characters. */
    private static String text(Random r) {
        StringBuilder s = new StringBuilder();
        int length = r.nextInt(10) == 0 ? 0 : r.nextInt(r.nextInt(10) == 0 ? 2000 : 200);
        while (s.length() < length) {
            switch (r.nextInt(8)) {
                case 0, 1 -> s.append(word(r)).append(' ');
                case 2 -> s.appendCodePoint(0x400 + r.nextInt(0x100));
                case 3 -> s.appendCodePoint(0x4E00 + r.nextInt(0x5000));
                case 4 -> s.appendCodePoint(0x1F300 + r.nextInt(0x300));
                case 5 -> s.append(r.nextInt(100_000));
                case 6 -> s.append("def f(x):\n    return {\"k\": x ** 2}  # ").append(name(r)).append('\n');
                default -> s.appendCodePoint(0x20 + r.nextInt(0x5F));
            }
        }
        return s.toString();
    }
}
