package dev.tally.servicekit.web;

import org.springframework.http.HttpStatus;

/**
 * A refusal the caller can act on: the status, a stable machine code, and for input errors the field and the reason.
 * Leaves every admin API as {@link ApiError}.
 */
public class ApiException extends RuntimeException {

    private final HttpStatus status;
    private final String code;
    private final String field;
    private final String reason;

    public ApiException(HttpStatus status, String code, String message, String field, String reason) {
        super(message);
        this.status = status;
        this.code = code;
        this.field = field;
        this.reason = reason;
    }

    public static ApiException invalid(String field, String reason) {
        return new ApiException(HttpStatus.BAD_REQUEST, "invalid_field", field + " " + reason, field, reason);
    }

    public static ApiException missing(String field) {
        return new ApiException(HttpStatus.BAD_REQUEST, "missing_field", field + " is required", field, "is required");
    }

    /** Unknown ids and ids of another organisation look the same, so ids cannot be probed across tenants. */
    public static ApiException notFound(String what, String id) {
        return new ApiException(HttpStatus.NOT_FOUND, "not_found", what + " " + id + " not found", null, null);
    }

    public static ApiException conflict(String code, String message, String field) {
        return new ApiException(HttpStatus.CONFLICT, code, message, field,
                field == null ? null : "conflicts with the current state: " + message);
    }

    public static ApiException forbidden(String message) {
        return new ApiException(HttpStatus.FORBIDDEN, "forbidden", message, null, null);
    }

    public static ApiException unauthenticated(String message) {
        return new ApiException(HttpStatus.UNAUTHORIZED, "unauthenticated", message, null, null);
    }

    public static ApiException unprocessable(String code, String message, String field, String reason) {
        return new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, code, message, field, reason);
    }

    /** A passing condition (still loading, too busy): the same request may succeed shortly. */
    public static ApiException unavailable(String code, String message) {
        return new ApiException(HttpStatus.SERVICE_UNAVAILABLE, code, message, null, null);
    }

    public HttpStatus status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String field() {
        return field;
    }

    public String reason() {
        return reason;
    }
}
