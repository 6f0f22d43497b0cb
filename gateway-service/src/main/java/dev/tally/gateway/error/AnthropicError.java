package dev.tally.gateway.error;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Anthropic's error body, {@code {"type": "error", "error": {"type", "message"}}}, for the Messages routes, so that
 * Anthropic's SDKs and Claude Code raise their usual exceptions. The gateway's own {@code code} and the field at fault
 * go in {@code error.details} ({@code error_code}, {@code param}), where Anthropic's SDKs read an error code; the
 * message names the field too.
 */
public record AnthropicError(String type, Body error) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Body(String type, String message, Details details) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Details(String error_code, String param) {
    }

    public static AnthropicError of(int status, String message, String code, String param) {
        return new AnthropicError("error", new Body(type(status), message, new Details(code, param)));
    }

    public static AnthropicError of(GatewayException e) {
        return of(e.status().value(), e.getMessage(), e.code(), e.param());
    }

    /** The same refusal as OpenAI's body says it. */
    public static AnthropicError of(int status, OpenAiError openAi) {
        return of(status, openAi.error().message(), openAi.error().code(), openAi.error().param());
    }

    /**
     * Anthropic's error type for an HTTP status, as its API uses them. 402 is Anthropic's {@code billing_error}
     * (credit or spend limit), which its SDKs raise as their payment-required exception: what a budget or balance
     * refusal is. Anthropic has no 503; "try again shortly" is its {@code overloaded_error}.
     */
    public static String type(int status) {
        return switch (status) {
            case 401 -> "authentication_error";
            case 402 -> "billing_error";
            case 403 -> "permission_error";
            case 404 -> "not_found_error";
            case 413 -> "request_too_large";
            case 429 -> "rate_limit_error";
            case 503, 529 -> "overloaded_error";
            case 504 -> "timeout_error";
            default -> status >= 500 ? "api_error" : "invalid_request_error";
        };
    }
}
