package dev.tally.gateway.provider;

import dev.tally.events.governance.PriceState;
import dev.tally.gateway.messages.MessagesRoute;
import dev.tally.gateway.pricing.BilledUsage;
import dev.tally.gateway.pricing.CreditPricing;
import dev.tally.gateway.pricing.MessagesMeter;
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
import java.util.Base64;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hold of a Messages API request is an upper bound of what Anthropic bills: for every generated body (system
 * prompts, text, images of every size, tool definitions, calls and results, text documents, cache marks), the
 * credits held cover the price of what {@link HonestProvider#billMessages} bills for the body the gateway forwards,
 * cache writes and reads each at its own rate.
 */
class MessagesHoldProperties {

    private static final JsonMapper JSON = HonestProvider.json();
    /** The route's provider check is not what is tested here. */
    private static final MessagesRoute ROUTE = new MessagesRoute(new MessagesMeter(new Tokenizer()),
            new dev.tally.gateway.pricing.PromptMeter(new Tokenizer()), null);
    private static final List<String> MODELS = List.of("claude-3-5-haiku-20241022", "claude-sonnet-4-5",
            "claude-opus-4-1", "claude-opus-4-7", "claude-haiku-4-5");

    record Request(String model, ObjectNode body, Integer policyMax, PriceState price, long creditsPerUsd) {
        @Override
        public String toString() {
            String text = body.toString();
            return model + " policyMax=" + policyMax + " " + (text.length() > 4000 ? text.substring(0, 4000) + "…"
                    : text);
        }
    }

    @Property(tries = 200)
    void the_messages_hold_covers_what_anthropic_bills(@ForAll("requests") Request request) {
        ROUTE.validate(request.body());
        OutputLimit output = ROUTE.output(request.body(), request.policyMax(), 1024);
        HoldEstimate hold = ROUTE.hold(request.model(), request.price(), request.creditsPerUsd(), request.body(),
                output);
        ObjectNode forwarded = ROUTE.forwarded(request.body(), output, hold.family());

        HonestProvider.Usage billed = HonestProvider.billMessages(request.model(), forwarded);
        boolean cached = forwarded.toString().contains("\"cache_control\"");
        long written = cached ? billed.promptTokens() / 4 : 0;
        long read = cached ? billed.promptTokens() / 4 : 0;
        BilledUsage usage = BilledUsage.anthropic(billed.promptTokens() - written - read, read, written,
                billed.completionTokens());

        assertThat((long) hold.inputTokens()).as("input bound vs billed input").isGreaterThanOrEqualTo(
                billed.promptTokens());
        assertThat(hold.outputTokens()).as("output bound vs billed output").isGreaterThanOrEqualTo(
                billed.completionTokens());
        assertThat(hold.credits()).as("credits held vs the price of what was billed").isGreaterThanOrEqualTo(
                CreditPricing.charge(request.price(), request.creditsPerUsd(), usage));
    }

    @Provide
    Arbitrary<Request> requests() {
        return Arbitraries.longs().map(seed -> {
            Random r = new Random(seed);
            String model = MODELS.get(r.nextInt(MODELS.size()));
            ObjectNode body = JSON.createObjectNode().put("model", model).put("max_tokens", 1 + r.nextInt(8192));
            switch (r.nextInt(3)) {
                case 0 -> body.put("system", text(r));
                case 1 -> body.putArray("system").addObject().put("type", "text").put("text", text(r))
                        .set("cache_control", JSON.createObjectNode().put("type", "ephemeral"));
                default -> {
                }
            }
            if (r.nextInt(3) == 0) {
                ArrayNode tools = body.putArray("tools");
                for (int i = 0, n = 1 + r.nextInt(4); i < n; i++) {
                    ObjectNode tool = tools.addObject().put("name", "tool_" + i).put("description", text(r));
                    ObjectNode schema = tool.putObject("input_schema").put("type", "object");
                    schema.putObject("properties").putObject("arg").put("type", "string")
                            .put("description", text(r));
                }
                if (r.nextBoolean()) {
                    body.putObject("tool_choice").put("type", "auto");
                }
            }
            ArrayNode messages = body.putArray("messages");
            for (int i = 0, n = 1 + r.nextInt(6); i < n; i++) {
                ObjectNode message = messages.addObject().put("role", i % 2 == 0 ? "user" : "assistant");
                if (r.nextBoolean()) {
                    message.put("content", text(r));
                } else {
                    ArrayNode blocks = message.putArray("content");
                    for (int j = 0, m = 1 + r.nextInt(4); j < m; j++) {
                        block(r, blocks, i % 2 == 0);
                    }
                }
            }
            Integer policyMax = r.nextBoolean() ? null : 1 + r.nextInt(4096);
            BigDecimal input = BigDecimal.valueOf(1 + r.nextInt(100_000), 6);
            PriceState price = new PriceState("anthropic", model, input, BigDecimal.valueOf(r.nextInt(100_000), 6),
                    input.divide(BigDecimal.TEN), input.multiply(new BigDecimal("1.25")), null, Instant.EPOCH);
            return new Request(model, body, policyMax, price, 1 + r.nextInt(100_000));
        });
    }

    private static void block(Random r, ArrayNode blocks, boolean user) {
        switch (r.nextInt(user ? 5 : 2)) {
            case 0 -> blocks.addObject().put("type", "text").put("text", text(r));
            case 1 -> {
                if (user) {
                    ObjectNode image = blocks.addObject().put("type", "image");
                    ObjectNode source = image.putObject("source");
                    int w = 1 + r.nextInt(2000);
                    int h = 1 + r.nextInt(2000);
                    if (r.nextInt(4) == 0) {
                        source.put("type", "url").put("url", "https://img.test/" + w + "x" + h + ".png");
                    } else {
                        source.put("type", "base64").put("media_type", "image/png").put("data",
                                Base64.getEncoder().encodeToString(TestImages.encode("png", w, h)));
                    }
                } else {
                    ObjectNode call = blocks.addObject().put("type", "tool_use").put("id", "toolu_" + r.nextInt(1000))
                            .put("name", "tool_" + r.nextInt(4));
                    call.putObject("input").put("arg", text(r));
                }
            }
            case 2 -> blocks.addObject().put("type", "tool_result").put("tool_use_id", "toolu_" + r.nextInt(1000))
                    .put("content", text(r));
            case 3 -> blocks.addObject().put("type", "document").put("title", "notes").putObject("source")
                    .put("type", "text").put("media_type", "text/plain").put("data", text(r));
            default -> blocks.addObject().put("type", "text").put("text", text(r))
                    .set("cache_control", JSON.createObjectNode().put("type", "ephemeral"));
        }
    }

    /** Prose, code, unicode of many scripts, digits, whitespace runs. */
    private static String text(Random r) {
        StringBuilder s = new StringBuilder();
        int length = 1 + r.nextInt(r.nextInt(10) == 0 ? 3000 : 200);
        while (s.length() < length) {
            switch (r.nextInt(7)) {
                case 0, 1 -> s.append(List.of("Paris", "the", "naïve", "東京", "😀", "0x1F", "  ", "\n")
                        .get(r.nextInt(8))).append(' ');
                case 2 -> s.appendCodePoint(0x400 + r.nextInt(0x100));
                case 3 -> s.appendCodePoint(0x4E00 + r.nextInt(0x5000));
                case 4 -> s.append(r.nextInt(100_000));
                case 5 -> s.append("def f(x):\n    return {\"k\": x ** 2}\n");
                default -> s.appendCodePoint(0x20 + r.nextInt(0x5F));
            }
        }
        return s.toString();
    }
}
