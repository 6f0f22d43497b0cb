package dev.tally.gateway.route;

import dev.tally.gateway.error.GatewayException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.math.BigInteger;
import java.util.List;

/** Reads optional fields of a request body, refusing a wrong type or value with a 400 that names the field. */
public final class BodyFields {

    private BodyFields() {
    }

    /** The field's integer value from {@code min} to {@code max}; null when absent or null. */
    public static Integer integer(ObjectNode body, String field, int min, int max) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!integerIn(value, min, max)) {
            throw GatewayException.badRequest("invalid_value", "'" + field + "' must be an integer from " + min
                    + (max == Integer.MAX_VALUE ? " up" : " to " + max) + ".", field);
        }
        return value.asInt();
    }

    /**
     * Whether the value is a JSON integer from {@code min} to {@code max}. Compared as a BigInteger: a number past
     * 64 bits is out of range, not an error (Jackson refuses to read it as a long).
     */
    public static boolean integerIn(JsonNode value, long min, long max) {
        if (value == null || !value.isIntegralNumber()) {
            return false;
        }
        BigInteger number = value.bigIntegerValue();
        return number.compareTo(BigInteger.valueOf(min)) >= 0 && number.compareTo(BigInteger.valueOf(max)) <= 0;
    }

    /** The field's boolean value; false when absent or null. */
    public static boolean bool(ObjectNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return false;
        }
        if (!value.isBoolean()) {
            throw GatewayException.badRequest("invalid_type", "'" + field + "' must be true or false.", field);
        }
        return value.asBoolean();
    }

    /** The field's string value; null when absent or null. */
    public static String string(ObjectNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isString()) {
            throw GatewayException.badRequest("invalid_type", "'" + field + "' must be a string.", field);
        }
        return value.asString();
    }

    /** The field's value, one of {@code allowed}; null when absent or null. */
    public static String oneOf(ObjectNode body, String field, List<String> allowed) {
        String value = string(body, field);
        if (value != null && !allowed.contains(value)) {
            throw GatewayException.badRequest("invalid_value", "'" + field + "' must be one of " + allowed + ".",
                    field);
        }
        return value;
    }
}
