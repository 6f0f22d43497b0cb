package dev.tally.servicekit.web;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebInputException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Every failure of an admin API leaves as {@link ApiError} JSON naming the field and the reason where there is one;
 * nothing leaves as a stack trace or a framework message. A service declares it as a bean; a service-specific
 * failure (a database race, say) goes in an advice of its own ordered before this one.
 */
@RestControllerAdvice
public class ApiExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

    @ExceptionHandler(ApiException.class)
    public ResponseEntity<ApiError> api(ApiException e) {
        return ResponseEntity.status(e.status()).body(ApiError.of(e));
    }

    /**
     * Unreadable input: a query parameter of the wrong type ({@code limit=abc}) is named as the client sent it, a body
     * field of the wrong type as Jackson located it.
     */
    @ExceptionHandler(ServerWebInputException.class)
    public ResponseEntity<ApiError> input(ServerWebInputException e) {
        TypeMismatchException mismatch = find(e, TypeMismatchException.class);
        if (mismatch != null && e.getMethodParameter() != null) {
            String parameter = mismatch.getPropertyName() != null ? mismatch.getPropertyName()
                    : e.getMethodParameter().getParameterName();
            if (parameter != null) {
                Class<?> type = mismatch.getRequiredType();
                return api(ApiException.invalid(parameter, "has the wrong type"
                        + (type == null ? "" : ": expected " + type.getSimpleName())));
            }
        }
        // A number past what the field's type holds (an int, a long) fails in the parser, before the field is known to
        // the binding, so it has no path; the parser still knows which field it was reading.
        InputCoercionException range = find(e, InputCoercionException.class);
        JsonParser parser = range == null ? null : range.processor();
        if (parser != null && parser.currentName() != null) {
            return api(ApiException.invalid(parser.currentName(), "is out of range: " + range.getOriginalMessage()));
        }
        UnrecognizedPropertyException unknown = find(e, UnrecognizedPropertyException.class);
        if (unknown != null) {
            return api(ApiException.invalid(fieldOf(unknown), "is not a field of this request"
                    + knownFields(unknown)));
        }
        DatabindException databind = find(e, DatabindException.class);
        if (databind != null && !databind.getPath().isEmpty()) {
            return api(ApiException.invalid(fieldOf(databind), "has the wrong type or format: "
                    + databind.getOriginalMessage()));
        }
        String reason = e.getReason() == null ? "the request body cannot be read" : e.getReason();
        if (databind != null) {
            reason = "the request body is not valid JSON: " + databind.getOriginalMessage();
        } else if (find(e, JacksonException.class) != null) {
            reason = "the request body is not valid JSON";
        }
        return api(new ApiException(HttpStatus.BAD_REQUEST, "invalid_body", reason, null, null));
    }

    private static String fieldOf(DatabindException e) {
        return e.getPath().stream()
                .map(ref -> ref.getPropertyName() != null ? ref.getPropertyName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }

    private static String knownFields(UnrecognizedPropertyException e) {
        if (e.getKnownPropertyIds() == null || e.getKnownPropertyIds().isEmpty()) {
            return "";
        }
        return "; the fields are " + e.getKnownPropertyIds().stream().map(String::valueOf).sorted()
                .collect(Collectors.joining(", "));
    }

    @ExceptionHandler(ResponseStatusException.class)
    public ResponseEntity<ApiError> status(ResponseStatusException e) {
        HttpStatus status = HttpStatus.resolve(e.getStatusCode().value());
        status = status == null ? HttpStatus.BAD_REQUEST : status;
        return api(new ApiException(status, status.name().toLowerCase(Locale.ROOT),
                e.getReason() == null ? status.getReasonPhrase() : e.getReason(), null, null));
    }

    @ExceptionHandler(Exception.class)
    public ResponseEntity<ApiError> unexpected(Exception e) {
        log.error("unexpected failure", e);
        return api(new ApiException(HttpStatus.INTERNAL_SERVER_ERROR, "internal_error",
                "internal error; the server log has the details", null, null));
    }

    private static <T extends Throwable> T find(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
