package dev.tally.gateway.error;

import dev.tally.events.gateway.RequestOutcome;
import org.springframework.http.HttpStatus;

/**
 * A refusal in OpenAI's error shape: the status, OpenAI's error {@code type}, a stable {@code code}, and the
 * {@code param} at fault. Carries the outcome recorded on tally.gateway.requests.
 */
public class GatewayException extends RuntimeException {

    private final HttpStatus status;
    private final String type;
    private final String code;
    private final String param;
    private final RequestOutcome outcome;
    private final Long retryAfterSeconds;
    private final String budgetId;

    public GatewayException(HttpStatus status, String type, String code, String message, String param,
            RequestOutcome outcome, Long retryAfterSeconds, String budgetId) {
        super(message);
        this.status = status;
        this.type = type;
        this.code = code;
        this.param = param;
        this.outcome = outcome;
        this.retryAfterSeconds = retryAfterSeconds;
        this.budgetId = budgetId;
    }

    public static GatewayException badRequest(String code, String message, String param) {
        return new GatewayException(HttpStatus.BAD_REQUEST, "invalid_request_error", code, message, param,
                RequestOutcome.INVALID_REQUEST, null, null);
    }

    public static GatewayException unauthenticated(String message) {
        return new GatewayException(HttpStatus.UNAUTHORIZED, "authentication_error", "invalid_api_key", message, null,
                RequestOutcome.UNAUTHENTICATED, null, null);
    }

    public static GatewayException forbidden(String code, String message, String param) {
        return new GatewayException(HttpStatus.FORBIDDEN, "permission_error", code, message, param,
                RequestOutcome.POLICY_BLOCKED, null, null);
    }

    public static GatewayException paymentRequired(String code, String message, RequestOutcome outcome,
            String budgetId) {
        return new GatewayException(HttpStatus.PAYMENT_REQUIRED, "insufficient_quota", code, message, null, outcome,
                null, budgetId);
    }

    public static GatewayException notFound(String code, String message, String param) {
        return new GatewayException(HttpStatus.NOT_FOUND, "invalid_request_error", code, message, param,
                RequestOutcome.UNKNOWN_MODEL, null, null);
    }

    public static GatewayException rateLimited(String message, long retryAfterSeconds) {
        return new GatewayException(HttpStatus.TOO_MANY_REQUESTS, "rate_limit_error", "rate_limit_exceeded", message,
                null, RequestOutcome.RATE_LIMITED, retryAfterSeconds, null);
    }

    public static GatewayException ledgerUnavailable(String message) {
        return new GatewayException(HttpStatus.SERVICE_UNAVAILABLE, "api_error", "ledger_unavailable", message, null,
                RequestOutcome.LEDGER_UNAVAILABLE, 1L, null);
    }

    public static GatewayException providerError(String message) {
        return new GatewayException(HttpStatus.BAD_GATEWAY, "api_error", "provider_error", message, null,
                RequestOutcome.PROVIDER_ERROR, null, null);
    }

    /** The request ran past the gateway's maximum request duration and was ended. */
    public static GatewayException requestTooLong(java.time.Duration max) {
        return new GatewayException(HttpStatus.GATEWAY_TIMEOUT, "api_error", "request_timeout", "The request ran "
                + "longer than the gateway's maximum request duration (" + max.toSeconds() + " s) and was ended; "
                + "what it consumed was charged.", null, RequestOutcome.PROVIDER_ERROR, null, null);
    }

    public HttpStatus status() {
        return status;
    }

    public String type() {
        return type;
    }

    public String code() {
        return code;
    }

    public String param() {
        return param;
    }

    public RequestOutcome outcome() {
        return outcome;
    }

    public Long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public String budgetId() {
        return budgetId;
    }
}
