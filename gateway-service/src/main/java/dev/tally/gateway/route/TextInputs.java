package dev.tally.gateway.route;

import dev.tally.gateway.error.GatewayException;
import dev.tally.gateway.pricing.ModelFamily;
import dev.tally.gateway.pricing.Tokenizer;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/**
 * OpenAI's four shapes of text input, as embeddings take {@code input} and legacy completions {@code prompt}: a
 * string, an array of strings, one array of token ids, or an array of token-id arrays. Each string or token array is
 * one input: one embedding, or one prompt completed {@code n} times.
 */
public record TextInputs(List<TextInput> inputs) {

    /** One input: its text, or (text null) the number of token ids it was sent as, which count themselves. */
    public record TextInput(String text, int tokenIds) {

        public boolean tokens() {
            return text == null;
        }
    }

    /**
     * @param emptyTextAllowed whether an empty string is an input (a completion's prompt may be empty; an embedding's
     *                         may not)
     * @param maxInputs        the most inputs one request may carry
     */
    public static TextInputs read(JsonNode value, String field, boolean emptyTextAllowed, int maxInputs) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            throw GatewayException.badRequest("missing_required_parameter", "Missing required parameter: '" + field
                    + "'.", field);
        }
        if (value.isString()) {
            return new TextInputs(List.of(text(value, field, emptyTextAllowed)));
        }
        if (!value.isArray()) {
            throw invalidType(field);
        }
        if (value.isEmpty()) {
            throw GatewayException.badRequest("invalid_value", "'" + field + "' must not be an empty array.", field);
        }
        if (value.get(0).isNumber()) {
            return new TextInputs(List.of(tokens(value, field)));
        }
        if (value.size() > maxInputs) {
            throw GatewayException.badRequest("invalid_value", "'" + field + "' holds " + value.size()
                    + " inputs; at most " + maxInputs + " are allowed in one request.", field);
        }
        List<TextInput> inputs = new ArrayList<>(value.size());
        boolean strings = value.get(0).isString();
        for (int i = 0; i < value.size(); i++) {
            JsonNode element = value.get(i);
            String name = field + "[" + i + "]";
            if (strings && element.isString()) {
                inputs.add(text(element, name, emptyTextAllowed));
            } else if (!strings && element.isArray()) {
                if (element.isEmpty()) {
                    throw GatewayException.badRequest("invalid_value", "'" + name
                            + "' must not be an empty array of token ids.", name);
                }
                inputs.add(tokens(element, name));
            } else {
                throw GatewayException.badRequest("invalid_type", "'" + name + "' must be "
                        + (strings ? "a string, like '" + field + "[0]'" : "an array of token ids, like '" + field
                        + "[0]'") + ": '" + field + "' is a string, an array of strings, an array of token ids or an "
                        + "array of token-id arrays.", name);
            }
        }
        return new TextInputs(List.copyOf(inputs));
    }

    public int size() {
        return inputs.size();
    }

    /**
     * Each input's tokens: text counted with the family's tokenizer, scaled up where that is not the provider's own
     * (as the chat hold is); token ids count themselves.
     */
    public long[] tokens(Tokenizer tokenizer, ModelFamily family) {
        long[] counts = new long[inputs.size()];
        for (int i = 0; i < counts.length; i++) {
            TextInput input = inputs.get(i);
            counts[i] = input.tokens() ? input.tokenIds()
                    : (long) Math.ceil(tokenizer.count(family, input.text()) * family.textFactor());
        }
        return counts;
    }

    private static TextInput text(JsonNode value, String field, boolean emptyAllowed) {
        if (!emptyAllowed && value.asString().isEmpty()) {
            throw GatewayException.badRequest("invalid_value", "'" + field + "' must not be an empty string.", field);
        }
        return new TextInput(value.asString(), 0);
    }

    private static TextInput tokens(JsonNode array, String field) {
        for (int i = 0; i < array.size(); i++) {
            JsonNode id = array.get(i);
            if (!BodyFields.integerIn(id, 0, Integer.MAX_VALUE)) {
                String name = field + "[" + i + "]";
                throw GatewayException.badRequest("invalid_type", "'" + name + "' must be a token id: an integer "
                        + "of 0 or more.", name);
            }
        }
        return new TextInput(null, array.size());
    }

    private static GatewayException invalidType(String field) {
        return GatewayException.badRequest("invalid_type", "'" + field + "' must be a string, an array of strings, "
                + "an array of token ids or an array of token-id arrays.", field);
    }
}
