package dev.tally.notification.web;

import dev.tally.servicekit.web.ApiError;
import dev.tally.servicekit.web.ApiException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * A race that the checks before an insert could not see, e.g. two channels created with one name at once: a 409, not
 * the kit's 500. Ordered before the kit's handler, which would otherwise take it as any other exception.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
public class DuplicateKeyHandler {

    @ExceptionHandler(DuplicateKeyException.class)
    ResponseEntity<ApiError> duplicate(DuplicateKeyException e) {
        ApiException conflict = ApiException.conflict("duplicate",
                "an entity with the same unique value already exists", null);
        return ResponseEntity.status(conflict.status()).body(ApiError.of(conflict));
    }
}
