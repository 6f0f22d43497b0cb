package dev.tally.gateway.api;

import dev.tally.gateway.route.PreparedRequest;
import org.springframework.http.HttpHeaders;
import tools.jackson.databind.JsonNode;

import java.util.Map;

/**
 * What the gateway did with a request, as {@code x-tally-*} response headers: every answer carries them, whatever
 * its format, so a client whose SDK hides extra body fields (or a stream's client before its last chunk) still learns
 * the request id, the credits held and, for a whole answer, charged. The same values as the body's
 * {@code x_platform}, which they are read from when there is one.
 */
final class TallyHeaders {

    /** The header for each {@code x_platform} field. */
    private static final Map<String, String> FIELDS = Map.of(
            "request_id", "x-tally-request-id",
            "credits_reserved", "x-tally-credits-reserved",
            "credits_charged", "x-tally-credits-charged",
            "latency_ms", "x-tally-latency-ms",
            "model", "x-tally-model",
            "provider", "x-tally-provider",
            "fallback_from", "x-tally-fallback-from",
            "fallback_reason", "x-tally-fallback-reason");

    private TallyHeaders() {
    }

    /** For a whole answer: every field of its {@code x_platform}. */
    static HttpHeaders of(JsonNode xPlatform) {
        HttpHeaders headers = new HttpHeaders();
        FIELDS.forEach((field, header) -> {
            JsonNode value = xPlatform.path(field);
            if (value.isValueNode() && !value.isNull()) {
                headers.set(header, value.asString());
            }
        });
        return headers;
    }

    /** For a stream, whose headers leave before anything is charged: what is known once its credits are held. */
    static HttpHeaders held(PreparedRequest request) {
        HttpHeaders headers = new HttpHeaders();
        headers.set("x-tally-request-id", request.requestId());
        headers.set("x-tally-credits-reserved", Long.toString(request.reservedCredits()));
        headers.set("x-tally-model", request.model());
        headers.set("x-tally-provider", request.price().provider());
        if (!request.model().equals(request.requestedModel())) {
            headers.set("x-tally-fallback-from", request.requestedModel());
            headers.set("x-tally-fallback-reason", request.fallbackReason());
        }
        return headers;
    }
}
