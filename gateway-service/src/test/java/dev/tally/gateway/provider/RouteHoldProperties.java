package dev.tally.gateway.provider;

import dev.tally.events.governance.PriceState;
import dev.tally.gateway.completions.CompletionsRoute;
import dev.tally.gateway.embeddings.EmbeddingsRoute;
import dev.tally.gateway.pricing.CreditPricing;
import dev.tally.gateway.pricing.Tokenizer;
import dev.tally.gateway.route.HoldEstimate;
import dev.tally.gateway.route.OutputLimit;
import dev.tally.gateway.route.Route;
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
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hold of embeddings and legacy completions is an upper bound of what the provider bills: for every generated
 * body, the credits held cover the price of what {@link HonestProvider} bills for the body the gateway forwards.
 */
class RouteHoldProperties {

    private static final JsonMapper JSON = HonestProvider.json();
    private static final Tokenizer TOKENIZER = new Tokenizer();
    /** The routes' provider checks are not what is tested here. */
    private static final EmbeddingsRoute EMBEDDINGS = new EmbeddingsRoute(TOKENIZER, null);
    private static final CompletionsRoute COMPLETIONS = new CompletionsRoute(TOKENIZER, null);
    private static final List<String> EMBEDDING_MODELS = List.of("text-embedding-3-small", "text-embedding-3-large",
            "text-embedding-ada-002");
    private static final List<String> COMPLETION_MODELS = List.of("gpt-3.5-turbo-instruct", "davinci-002",
            "babbage-002");

    record Request(Route route, String model, ObjectNode body, Integer policyMax, PriceState price,
            long creditsPerUsd) {
        @Override
        public String toString() {
            String text = body.toString();
            return model + " policyMax=" + policyMax + " " + (text.length() > 4000 ? text.substring(0, 4000) + "…"
                    : text);
        }
    }

    @Property(tries = 200)
    void the_embeddings_hold_covers_what_an_honest_provider_bills(@ForAll("embeddings") Request request) {
        assertCovers(request, (model, forwarded) -> HonestProvider.billEmbeddings(model, forwarded));
    }

    @Property(tries = 200)
    void the_completions_hold_covers_what_an_honest_provider_bills(@ForAll("completions") Request request) {
        assertCovers(request, (model, forwarded) -> HonestProvider.billCompletions(model, forwarded));
    }

    private static void assertCovers(Request request,
            java.util.function.BiFunction<String, ObjectNode, HonestProvider.Usage> provider) {
        request.route().validate(request.body());
        OutputLimit output = request.route().output(request.body(), request.policyMax(), 1024);
        HoldEstimate hold = request.route().hold(request.model(), request.price(), request.creditsPerUsd(),
                request.body(), output);
        ObjectNode forwarded = request.route().forwarded(request.body(), output, hold.family());

        HonestProvider.Usage billed = provider.apply(request.model(), forwarded);

        assertThat((long) hold.inputTokens()).as("input bound vs billed prompt")
                .isGreaterThanOrEqualTo(billed.promptTokens());
        assertThat(hold.outputTokens()).as("output bound vs billed completion")
                .isGreaterThanOrEqualTo(billed.completionTokens());
        assertThat(hold.credits()).as("credits held vs the price of what was billed").isGreaterThanOrEqualTo(
                CreditPricing.credits(request.price(), request.creditsPerUsd(), billed.promptTokens(),
                        billed.completionTokens()));
    }

    @Provide
    Arbitrary<Request> embeddings() {
        return Arbitraries.longs().map(seed -> {
            Random r = new Random(seed);
            String model = EMBEDDING_MODELS.get(r.nextInt(EMBEDDING_MODELS.size()));
            ObjectNode body = JSON.createObjectNode().put("model", model);
            body.set("input", inputs(r, false));
            if (r.nextBoolean()) {
                body.put("dimensions", 1 + r.nextInt(3072));
            }
            if (r.nextBoolean()) {
                body.put("encoding_format", r.nextBoolean() ? "float" : "base64");
            }
            return new Request(EMBEDDINGS, model, body, null, price(r, model), 1 + r.nextInt(100_000));
        });
    }

    @Provide
    Arbitrary<Request> completions() {
        return Arbitraries.longs().map(seed -> {
            Random r = new Random(seed);
            String model = COMPLETION_MODELS.get(r.nextInt(COMPLETION_MODELS.size()));
            ObjectNode body = JSON.createObjectNode().put("model", model);
            body.set("prompt", inputs(r, true));
            if (r.nextInt(4) > 0) {
                body.put("max_tokens", r.nextInt(4097));
            }
            int n = 1 + r.nextInt(5);
            if (r.nextBoolean()) {
                body.put("n", n);
            }
            if (r.nextInt(3) == 0) {
                body.put("best_of", n + r.nextInt(21 - n));
            }
            if (r.nextInt(4) == 0) {
                body.put("echo", true);
            }
            if (r.nextInt(4) == 0) {
                body.put("suffix", text(r, false));
            }
            Integer policyMax = r.nextBoolean() ? null : 1 + r.nextInt(4096);
            return new Request(COMPLETIONS, model, body, policyMax, price(r, model), 1 + r.nextInt(100_000));
        });
    }

    /** One of OpenAI's four shapes: a string, strings, token ids, arrays of token ids. */
    private static tools.jackson.databind.JsonNode inputs(Random r, boolean emptyAllowed) {
        switch (r.nextInt(4)) {
            case 0 -> {
                return JSON.getNodeFactory().stringNode(text(r, emptyAllowed));
            }
            case 1 -> {
                ArrayNode texts = JSON.createArrayNode();
                for (int i = 0, n = 1 + r.nextInt(8); i < n; i++) {
                    texts.add(text(r, emptyAllowed));
                }
                return texts;
            }
            case 2 -> {
                return tokens(r);
            }
            default -> {
                ArrayNode arrays = JSON.createArrayNode();
                for (int i = 0, n = 1 + r.nextInt(8); i < n; i++) {
                    arrays.add(tokens(r));
                }
                return arrays;
            }
        }
    }

    private static ArrayNode tokens(Random r) {
        ArrayNode ids = JSON.createArrayNode();
        for (int i = 0, n = 1 + r.nextInt(300); i < n; i++) {
            ids.add(r.nextInt(100_000));
        }
        return ids;
    }

    private static PriceState price(Random r, String model) {
        return new PriceState("openai", model, BigDecimal.valueOf(1 + r.nextInt(100_000), 6),
                BigDecimal.valueOf(r.nextInt(100_000), 6), Instant.EPOCH);
    }

    /** Prose, code, unicode of many scripts, digits, whitespace runs. */
    private static String text(Random r, boolean emptyAllowed) {
        StringBuilder s = new StringBuilder();
        int length = (emptyAllowed && r.nextInt(10) == 0 ? 0 : 1) * (1 + r.nextInt(r.nextInt(10) == 0 ? 3000 : 200));
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
