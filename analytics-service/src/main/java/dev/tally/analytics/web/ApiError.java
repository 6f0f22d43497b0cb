package dev.tally.analytics.web;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The error body of every Tally API (governance's shape): {@code {"error": {"status", "code", "message", "field", "reason"}}}. */
public record ApiError(Body error) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Body(int status, String code, String message, String field, String reason) {
    }

    public static ApiError of(ApiException e) {
        return new ApiError(new Body(e.status().value(), e.code(), e.getMessage(), e.field(), e.reason()));
    }
}
