package dev.tally.gateway.messages;

import dev.tally.events.governance.PriceState;
import dev.tally.gateway.error.GatewayException;
import dev.tally.gateway.pricing.CreditPricing;
import dev.tally.gateway.pricing.MessagesMeter;
import dev.tally.gateway.pricing.ModelFamily;
import dev.tally.gateway.pricing.PromptMeter;
import dev.tally.gateway.provider.ProviderRouter;
import dev.tally.gateway.provider.UpstreamApi;
import dev.tally.gateway.route.BodyFields;
import dev.tally.gateway.route.HoldEstimate;
import dev.tally.gateway.route.OutputLimit;
import dev.tally.gateway.route.Route;
import dev.tally.gateway.route.WireFormat;
import dev.tally.gateway.translate.MessagesToChat;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code POST /v1/messages}, Anthropic's Messages API: for models whose provider is Anthropic the body goes to
 * Anthropic as the client sent it (tools, images, documents, thinking and all), with only {@code max_tokens} capped by
 * the policy, held at the input's upper bound ({@link MessagesMeter}) plus {@code max_tokens}, which Anthropic
 * requires and which bounds every output token, thinking included. For models of OpenAI-compatible providers the
 * provider translates it to chat completions ({@link MessagesToChat}), and the hold is chat's for that translation.
 */
@Component
public class MessagesRoute implements Route {

    private final MessagesMeter meter;
    private final PromptMeter chatMeter;
    private final ProviderRouter providers;

    public MessagesRoute(MessagesMeter meter, PromptMeter chatMeter, ProviderRouter providers) {
        this.meter = meter;
        this.chatMeter = chatMeter;
        this.providers = providers;
    }

    @Override
    public String endpoint() {
        return "messages";
    }

    @Override
    public UpstreamApi api() {
        return UpstreamApi.MESSAGES;
    }

    @Override
    public WireFormat format() {
        return WireFormat.ANTHROPIC;
    }

    @Override
    public void validate(ObjectNode body) {
        validateInput(body);
        JsonNode max = body.get("max_tokens");
        if (max == null || max.isNull()) {
            throw GatewayException.badRequest("missing_required_parameter", "max_tokens: Field required. The "
                    + "Messages API needs 'max_tokens', the most tokens the answer may have.", "max_tokens");
        }
        BodyFields.integer(body, "max_tokens", 1, Integer.MAX_VALUE);
        BodyFields.bool(body, "stream");
    }

    /** What count_tokens reads too: the messages, the system prompt, the tools, the stop sequences. */
    public void validateInput(ObjectNode body) {
        JsonNode messages = body.get("messages");
        if (messages == null || messages.isNull()) {
            throw GatewayException.badRequest("missing_required_parameter", "messages: Field required.",
                    "messages");
        }
        if (!messages.isArray() || messages.isEmpty()) {
            throw GatewayException.badRequest("invalid_messages", "messages: must be a non-empty array of "
                    + "{role, content} objects.", "messages");
        }
        for (int i = 0; i < messages.size(); i++) {
            JsonNode message = messages.get(i);
            String field = "messages[" + i + "]";
            if (!message.isObject()) {
                throw GatewayException.badRequest("invalid_messages", field + ": must be an object with 'role' and "
                        + "'content'.", field);
            }
            String role = message.path("role").asString(null);
            if (!"user".equals(role) && !"assistant".equals(role)) {
                throw GatewayException.badRequest("invalid_messages", field + ".role: must be 'user' or "
                        + "'assistant' (the system prompt goes in the top-level 'system').", field + ".role");
            }
            JsonNode content = message.get("content");
            if (content == null || !(content.isString() || content.isArray())) {
                throw GatewayException.badRequest("invalid_messages", field + ".content: must be a string or an "
                        + "array of content blocks.", field + ".content");
            }
            blocks(content, field + ".content");
        }
        JsonNode system = body.get("system");
        if (system != null && !system.isNull()) {
            if (!system.isString() && !system.isArray()) {
                throw GatewayException.badRequest("invalid_type", "system: must be a string or an array of text "
                        + "blocks.", "system");
            }
            blocks(system, "system");
        }
        JsonNode tools = body.get("tools");
        if (tools != null && !tools.isNull()) {
            if (!tools.isArray()) {
                throw GatewayException.badRequest("invalid_type", "tools: must be an array of tool definitions.",
                        "tools");
            }
            for (int i = 0; i < tools.size(); i++) {
                if (!tools.get(i).isObject()) {
                    throw GatewayException.badRequest("invalid_type", "tools[" + i + "]: must be an object.",
                            "tools[" + i + "]");
                }
            }
        }
        JsonNode stops = body.get("stop_sequences");
        if (stops != null && !stops.isNull()) {
            boolean strings = stops.isArray();
            for (JsonNode stop : stops) {
                strings &= stop.isString();
            }
            if (!strings) {
                throw GatewayException.badRequest("invalid_type", "stop_sequences: must be an array of strings.",
                        "stop_sequences");
            }
        }
    }

    /** Every block of an array is an object with a type; what each type holds is Anthropic's to check. */
    private static void blocks(JsonNode content, String field) {
        if (!content.isArray()) {
            return;
        }
        for (int j = 0; j < content.size(); j++) {
            if (!content.get(j).isObject() || !content.get(j).path("type").isString()) {
                String name = field + "[" + j + "]";
                throw GatewayException.badRequest("invalid_messages", name + ": must be a content block, an object "
                        + "with a 'type'.", name);
            }
        }
    }

    /** Anthropic's models, and OpenAI-compatible providers' through chat completions; not the mock provider's. */
    @Override
    public void checkServes(String model, PriceState price) {
        if (!providers.serves(price.provider(), UpstreamApi.MESSAGES)) {
            throw GatewayException.badRequest("model_not_supported", "model: '" + model + "' is not served through "
                    + "the Messages API (/v1/messages): its provider '" + price.provider() + "' speaks neither "
                    + "Anthropic's API nor OpenAI's. Send it to /v1/chat/completions.", "model");
        }
    }

    /** {@code max_tokens}, required, capped by the policy's {@code max_output_tokens}; one answer per request. */
    @Override
    public OutputLimit output(ObjectNode body, Integer policyMaxOutputTokens, int defaultMaxTokens) {
        int perChoice = BodyFields.integer(body, "max_tokens", 1, Integer.MAX_VALUE);
        if (policyMaxOutputTokens != null) {
            perChoice = Math.min(perChoice, policyMaxOutputTokens);
        }
        return new OutputLimit(perChoice, 1, true, false);
    }

    @Override
    public HoldEstimate hold(String model, PriceState price, long creditsPerUsd, ObjectNode body,
            OutputLimit output) {
        ModelFamily family = ModelFamily.of(model, price.provider());
        int input = inputTokens(model, price, body);
        long credits = CreditPricing.credits(price, creditsPerUsd, input, output.tokens());
        return new HoldEstimate(family, input, output.tokens(), Math.max(1, credits));
    }

    /**
     * The most input tokens the provider can bill for the body: the hold's input, and count_tokens' answer. For an
     * OpenAI-compatible provider, the chat request the body is translated to, as chat holds it; a body that cannot
     * be translated is refused here, before anything is held.
     */
    public int inputTokens(String model, PriceState price, ObjectNode body) {
        ModelFamily family = ModelFamily.of(model, price.provider());
        if (providers != null && !providers.speaksMessages(price.provider())) {
            int maxTokens = BodyFields.integerIn(body.path("max_tokens"), 1, Integer.MAX_VALUE)
                    ? body.path("max_tokens").asInt() : 1;
            return chatMeter.inputTokens(family, MessagesToChat.request(body, model, maxTokens));
        }
        return meter.inputTokens(family, body);
    }

    /** The client's body, as it sent it, with {@code max_tokens} set to what is held. */
    @Override
    public ObjectNode forwarded(ObjectNode body, OutputLimit output, ModelFamily family) {
        ObjectNode forwarded = body.deepCopy();
        forwarded.put("max_tokens", output.perChoice());
        return forwarded;
    }

    @Override
    public String inputField() {
        return "messages";
    }
}
