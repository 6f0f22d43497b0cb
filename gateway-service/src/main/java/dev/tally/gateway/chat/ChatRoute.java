package dev.tally.gateway.chat;

import dev.tally.events.governance.PriceState;
import dev.tally.gateway.error.GatewayException;
import dev.tally.gateway.pricing.ModelFamily;
import dev.tally.gateway.pricing.CreditPricing;
import dev.tally.gateway.pricing.MessagesMeter;
import dev.tally.gateway.pricing.PromptMeter;
import dev.tally.gateway.provider.ProviderRouter;
import dev.tally.gateway.provider.UpstreamApi;
import dev.tally.gateway.route.HoldEstimate;
import dev.tally.gateway.route.OutputLimit;
import dev.tally.gateway.route.Route;
import dev.tally.gateway.translate.ChatToMessages;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code POST /v1/chat/completions}: messages in, held as docs/gateway.md "What is held" says. */
@Component
public class ChatRoute implements Route {

    private final PromptMeter meter;
    private final MessagesMeter messagesMeter;
    private final ProviderRouter providers;

    public ChatRoute(PromptMeter meter, MessagesMeter messagesMeter, ProviderRouter providers) {
        this.meter = meter;
        this.messagesMeter = messagesMeter;
        this.providers = providers;
    }

    @Override
    public String endpoint() {
        return "chat.completions";
    }

    @Override
    public UpstreamApi api() {
        return UpstreamApi.CHAT_COMPLETIONS;
    }

    @Override
    public void validate(ObjectNode body) {
        JsonNode messages = body.path("messages");
        if (!messages.isArray() || messages.isEmpty()) {
            throw GatewayException.badRequest("invalid_messages", "'messages' must be a non-empty array.", "messages");
        }
        for (int i = 0; i < messages.size(); i++) {
            if (!messages.get(i).isObject() || !messages.get(i).path("role").isString()) {
                throw GatewayException.badRequest("invalid_messages", "messages[" + i + "] needs a 'role'.",
                        "messages[" + i + "]");
            }
        }
    }

    /** Every provider type speaks chat completions. */
    @Override
    public void checkServes(String model, PriceState price) {
    }

    @Override
    public OutputLimit output(ObjectNode body, Integer policyMaxOutputTokens, int defaultMaxTokens) {
        return OutputLimit.of(body, policyMaxOutputTokens, defaultMaxTokens);
    }

    /**
     * For a model Anthropic serves, the body is translated to the Messages API here, so that what cannot be is
     * refused before anything is held; the input held is the larger of chat's bound and the translation's
     * ({@link MessagesMeter}: Anthropic adds a system prompt for tools, and a response format is a tool).
     */
    @Override
    public HoldEstimate hold(String model, PriceState price, long creditsPerUsd, ObjectNode body,
            OutputLimit output) {
        HoldEstimate chat = HoldEstimate.of(meter, model, price, creditsPerUsd, body, output);
        if (!providers.speaksMessages(price.provider())) {
            return chat;
        }
        ObjectNode translated = ChatToMessages.request(body, model, output.perChoice());
        int input = Math.max(chat.inputTokens(), messagesMeter.inputTokens(chat.family(), translated));
        long credits = CreditPricing.credits(price, creditsPerUsd, input, chat.outputTokens());
        return new HoldEstimate(chat.family(), input, chat.outputTokens(), Math.max(1, credits));
    }

    @Override
    public ObjectNode forwarded(ObjectNode body, OutputLimit output, ModelFamily family) {
        ObjectNode forwarded = body.deepCopy();
        output.writeTo(forwarded, family);
        return forwarded;
    }

    @Override
    public String inputField() {
        return "messages";
    }

    @Override
    public boolean fallsBack() {
        return true;
    }
}
