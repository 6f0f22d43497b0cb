package dev.tally.gateway.provider;

import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * How every HTTP provider's failures become {@link ProviderFailure}s: an error status with the provider's own error
 * message (OpenAI and Anthropic both put it at {@code error.message}), an unreachable host, or no answer in time.
 */
final class UpstreamErrors {

    private final String provider;
    private final JsonMapper json;

    UpstreamErrors(String provider, JsonMapper json) {
        this.provider = provider;
        this.json = json;
    }

    /** For {@code retrieve().onStatus(HttpStatusCode::isError, …)}. */
    Function<ClientResponse, Mono<? extends Throwable>> fromStatus() {
        return response -> response.bodyToMono(String.class).defaultIfEmpty("")
                .map(text -> new ProviderFailure(response.statusCode().value(), provider + " answered "
                        + response.statusCode().value() + ": " + message(text),
                        response.statusCode().value() == 400 && contextLength(text)));
    }

    /** Connection failures and timeouts are worth a retry: status 0. */
    Throwable fromTransport(Throwable e, Duration timeout) {
        if (e instanceof WebClientRequestException) {
            return new ProviderFailure(0, provider + " unreachable: " + e.getMessage());
        }
        if (e instanceof TimeoutException) {
            return new ProviderFailure(0, provider + " did not answer within " + timeout.toMillis() + " ms");
        }
        return e;
    }

    /**
     * OpenAI (and the servers that copy it: vLLM, Azure) answer {@code "code": "context_length_exceeded"}; Anthropic
     * an {@code invalid_request_error} whose message is "prompt is too long: N tokens > M maximum"; Gemini's
     * compatible endpoint "exceeds the maximum number of tokens allowed".
     */
    boolean contextLength(String body) {
        try {
            JsonNode error = json.readTree(body).path("error");
            if ("context_length_exceeded".equals(error.path("code").asString(""))) {
                return true;
            }
            String message = error.path("message").asString("").toLowerCase(java.util.Locale.ROOT);
            return message.contains("prompt is too long") || message.contains("maximum context length")
                    || message.contains("context length") || message.contains("exceeds the maximum number of tokens");
        } catch (RuntimeException e) {
            return false;
        }
    }

    String message(String body) {
        try {
            JsonNode error = json.readTree(body).path("error");
            if (error.isObject()) {
                return error.path("message").asString(body);
            }
        } catch (RuntimeException e) {
            // not JSON: report the text itself
        }
        return body.length() > 300 ? body.substring(0, 300) : body;
    }
}
