package dev.tally.governance.web;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebInputException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

import java.util.stream.Collectors;

/** Every failure leaves as {@link ApiError} JSON; nothing leaves as a stack trace. */
@RestControllerAdvice
public class ApiExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

    @ExceptionHandler(ApiException.class)
    ResponseEntity<ApiError> api(ApiException e) {
        return ResponseEntity.status(e.status()).body(ApiError.of(e));
    }

    /**
     * Unreadable bodies: name the field whose value had the wrong type, as Jackson located it. A query parameter of
     * the wrong type ({@code limit=abc}) is named the same way, as the client sent it.
     */
    @ExceptionHandler(ServerWebInputException.class)
    ResponseEntity<ApiError> input(ServerWebInputException e) {
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
        } else if (find(e, tools.jackson.core.JacksonException.class) != null) {
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
    ResponseEntity<ApiError> status(ResponseStatusException e) {
        HttpStatus status = HttpStatus.resolve(e.getStatusCode().value());
        status = status == null ? HttpStatus.BAD_REQUEST : status;
        String code = status.name().toLowerCase(java.util.Locale.ROOT);
        return api(new ApiException(status, code, e.getReason() == null ? status.getReasonPhrase() : e.getReason(),
                null, null));
    }

    /** A race that the checks before the insert could not see, e.g. two users created with one e-mail at once. */
    @ExceptionHandler(DuplicateKeyException.class)
    ResponseEntity<ApiError> duplicate(DuplicateKeyException e) {
        return api(ApiException.conflict("duplicate", "an entity with the same unique value already exists", null));
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ApiError> unexpected(Exception e) {
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
