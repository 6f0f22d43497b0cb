package dev.tally.gateway.responses;

import dev.tally.events.governance.PriceState;
import dev.tally.gateway.auth.Principal;
import dev.tally.gateway.error.GatewayException;
import dev.tally.gateway.pricing.CreditPricing;
import dev.tally.gateway.pricing.ModelFamily;
import dev.tally.gateway.pricing.ResponsesMeter;
import dev.tally.gateway.provider.ProviderRouter;
import dev.tally.gateway.provider.UpstreamApi;
import dev.tally.gateway.route.BodyFields;
import dev.tally.gateway.route.HoldEstimate;
import dev.tally.gateway.route.OutputLimit;
import dev.tally.gateway.route.Route;
import dev.tally.gateway.route.WireFormat;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.Set;

/**
 * {@code POST /v1/responses}, OpenAI's Responses API, for models of OpenAI-compatible providers: the body goes to the
 * provider's {@code /responses} as the client sent it (tools, reasoning, {@code previous_response_id}, {@code store}
 * and all), with {@code max_output_tokens} set to what is held. Held at the input's upper bound
 * ({@link ResponsesMeter}, plus what the provider stored of a response it continues: {@link StoredContext}) and
 * {@code max_output_tokens}, which bounds every output token, reasoning included.
 */
@Component
public class ResponsesRoute implements Route {

    /** Above any model's output limit (OpenAI's largest is 128k): a larger value is a mistake, not a request. */
    static final int MAX_OUTPUT_TOKENS = 1_000_000;
    private static final Set<String> ROLES = Set.of("user", "assistant", "system", "developer");

    private final ResponsesMeter meter;
    private final StoredContext stored;
    private final ProviderRouter providers;

    public ResponsesRoute(ResponsesMeter meter, StoredContext stored, ProviderRouter providers) {
        this.meter = meter;
        this.stored = stored;
        this.providers = providers;
    }

    @Override
    public String endpoint() {
        return "responses";
    }

    @Override
    public UpstreamApi api() {
        return UpstreamApi.RESPONSES;
    }

    @Override
    public WireFormat format() {
        return WireFormat.OPENAI_RESPONSES;
    }

    @Override
    public void validate(ObjectNode body) {
        input(body);
        JsonNode instructions = body.get("instructions");
        if (instructions != null && !instructions.isNull() && !instructions.isString()) {
            throw GatewayException.badRequest("invalid_type", "'instructions' must be a string.", "instructions");
        }
        JsonNode tools = body.get("tools");
        if (tools != null && !tools.isNull()) {
            if (!tools.isArray()) {
                throw GatewayException.badRequest("invalid_type", "'tools' must be an array of tool definitions.",
                        "tools");
            }
            for (int i = 0; i < tools.size(); i++) {
                if (!tools.get(i).isObject() || !tools.get(i).path("type").isString()) {
                    throw GatewayException.badRequest("invalid_type", "'tools[" + i + "]' must be an object with a "
                            + "'type'.", "tools[" + i + "]");
                }
            }
        }
        BodyFields.integer(body, "max_output_tokens", 1, MAX_OUTPUT_TOKENS);
        BodyFields.bool(body, "stream");
        BodyFields.bool(body, "store");
        BodyFields.string(body, "previous_response_id");
        JsonNode conversation = body.get("conversation");
        if (conversation != null && !conversation.isNull() && !conversation.isString() && !conversation.isObject()) {
            throw GatewayException.badRequest("invalid_type", "'conversation' must be a conversation id or an object "
                    + "with its 'id'.", "conversation");
        }
        if (BodyFields.bool(body, "background")) {
            throw GatewayException.badRequest("unsupported_parameter", "'background': true is not served by this "
                    + "gateway: a background response is billed after the request ends, where the gateway cannot "
                    + "charge it. Send the request without it (stream it for long answers).", "background");
        }
    }

    /** {@code input}: a string, or an array of items (messages with a role, or typed items); or only a prompt. */
    private static void input(ObjectNode body) {
        JsonNode input = body.get("input");
        if (input == null || input.isNull()) {
            if (body.path("prompt").isObject()) {
                return;
            }
            throw GatewayException.badRequest("missing_required_parameter", "Missing required parameter: 'input' "
                    + "(a string, or an array of input items).", "input");
        }
        if (input.isString()) {
            return;
        }
        if (!input.isArray()) {
            throw GatewayException.badRequest("invalid_type", "'input' must be a string or an array of input items.",
                    "input");
        }
        for (int i = 0; i < input.size(); i++) {
            JsonNode item = input.get(i);
            String field = "input[" + i + "]";
            if (!item.isObject()) {
                throw GatewayException.badRequest("invalid_type", "'" + field + "' must be an object: a message "
                        + "with 'role' and 'content', or an item with a 'type'.", field);
            }
            JsonNode role = item.get("role");
            if (role == null) {
                if (!item.path("type").isString()) {
                    throw GatewayException.badRequest("invalid_value", "'" + field + "' needs a 'role' (a message) or "
                            + "a 'type' (function_call_output, reasoning…).", field);
                }
                continue;
            }
            if (!role.isString() || !ROLES.contains(role.asString())) {
                throw GatewayException.badRequest("invalid_value", "'" + field + ".role' must be one of " + ROLES
                        + ".", field + ".role");
            }
            JsonNode content = item.get("content");
            if (content == null || !(content.isString() || content.isArray())) {
                throw GatewayException.badRequest("invalid_type", "'" + field + ".content' must be a string or an "
                        + "array of content parts.", field + ".content");
            }
            for (int j = 0; j < content.size(); j++) {
                if (!content.get(j).isObject() || !content.get(j).path("type").isString()) {
                    String part = field + ".content[" + j + "]";
                    throw GatewayException.badRequest("invalid_type", "'" + part + "' must be a content part, an "
                            + "object with a 'type' (input_text, input_image, input_file…).", part);
                }
            }
        }
    }

    /**
     * A response another organisation stored is not this one's to continue: refused as the provider refuses an id it
     * does not know (404), before anything is held. Known for responses this replica answered (docs/gateway.md).
     */
    @Override
    public void checkAccess(Principal principal, ObjectNode body) {
        JsonNode previous = body.path("previous_response_id");
        if (previous.isString() && stored.owner(previous.asString())
                .filter(owner -> !owner.equals(principal.org().id())).isPresent()) {
            throw GatewayException.notFound("previous_response_not_found", "Previous response with id '"
                    + previous.asString() + "' not found.", "previous_response_id");
        }
    }

    /** OpenAI-compatible providers only; Anthropic's models are not translated to Responses. */
    @Override
    public void checkServes(String model, PriceState price) {
        if (!providers.serves(price.provider(), UpstreamApi.RESPONSES)) {
            throw GatewayException.badRequest("model_not_supported", "model: '" + model + "' is not served through "
                    + "the Responses API (/v1/responses): its provider '" + price.provider() + "' does not serve "
                    + "the Responses API. Send it to /v1/chat/completions (or /v1/messages for Anthropic's models).",
                    "model");
        }
    }

    /**
     * {@code max_output_tokens} (else the policy's or the gateway's default), capped by the policy's
     * {@code max_output_tokens}; one answer per request.
     */
    @Override
    public OutputLimit output(ObjectNode body, Integer policyMaxOutputTokens, int defaultMaxTokens) {
        Integer requested = BodyFields.integer(body, "max_output_tokens", 1, MAX_OUTPUT_TOKENS);
        int limit = requested != null ? requested : policyMaxOutputTokens != null ? policyMaxOutputTokens
                : defaultMaxTokens;
        if (policyMaxOutputTokens != null) {
            limit = Math.min(limit, policyMaxOutputTokens);
        }
        return new OutputLimit(limit, 1, false, false);
    }

    @Override
    public HoldEstimate hold(String model, PriceState price, long creditsPerUsd, ObjectNode body,
            OutputLimit output) {
        ModelFamily family = ModelFamily.of(model, price.provider());
        long input = meter.inputTokens(family, body) + stored.bound(body);
        int inputTokens = (int) Math.min(Integer.MAX_VALUE, input);
        long credits = CreditPricing.credits(price, creditsPerUsd, inputTokens, output.tokens());
        return new HoldEstimate(family, inputTokens, output.tokens(), Math.max(1, credits));
    }

    /** The client's body, as it sent it, with {@code max_output_tokens} set to what is held. */
    @Override
    public ObjectNode forwarded(ObjectNode body, OutputLimit output, ModelFamily family) {
        ObjectNode forwarded = body.deepCopy();
        forwarded.put("max_output_tokens", output.perChoice());
        return forwarded;
    }

    @Override
    public String inputField() {
        return "input";
    }
}
