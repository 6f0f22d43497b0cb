package dev.tally.servicekit.web;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The one error body of every Tally admin API (governance, analytics, notifications, the ledger):
 * {@code {"error": {"status", "code", "message", "field", "reason"}}}, {@code field} and {@code reason} only for a
 * refused input.
 */
public record ApiError(Body error) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Body(int status, String code, String message, String field, String reason) {
    }

    public static ApiError of(ApiException e) {
        return new ApiError(new Body(e.status().value(), e.code(), e.getMessage(), e.field(), e.reason()));
    }
}
