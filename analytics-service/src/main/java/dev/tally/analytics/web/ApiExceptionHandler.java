package dev.tally.analytics.web;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebInputException;

/** Every failure leaves as {@link ApiError} JSON; nothing leaves as a stack trace. */
@RestControllerAdvice
public class ApiExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

    @ExceptionHandler(ApiException.class)
    ResponseEntity<ApiError> api(ApiException e) {
        return ResponseEntity.status(e.status()).body(ApiError.of(e));
    }

    /** A query parameter of the wrong type ({@code limit=abc}) is named as the client sent it. */
    @ExceptionHandler(ServerWebInputException.class)
    ResponseEntity<ApiError> input(ServerWebInputException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof TypeMismatchException mismatch && e.getMethodParameter() != null) {
                String parameter = mismatch.getPropertyName() != null ? mismatch.getPropertyName()
                        : e.getMethodParameter().getParameterName();
                return api(ApiException.invalid(parameter, "has the wrong type"));
            }
        }
        return api(new ApiException(HttpStatus.BAD_REQUEST, "invalid_request",
                e.getReason() == null ? "the request cannot be read" : e.getReason(), null, null));
    }

    @ExceptionHandler(ResponseStatusException.class)
    ResponseEntity<ApiError> status(ResponseStatusException e) {
        HttpStatus status = HttpStatus.resolve(e.getStatusCode().value());
        status = status == null ? HttpStatus.BAD_REQUEST : status;
        return api(new ApiException(status, status.name().toLowerCase(java.util.Locale.ROOT),
                e.getReason() == null ? status.getReasonPhrase() : e.getReason(), null, null));
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ApiError> unexpected(Exception e) {
        log.error("unexpected failure", e);
        return api(new ApiException(HttpStatus.INTERNAL_SERVER_ERROR, "internal_error",
                "internal error; the server log has the details", null, null));
    }
}
