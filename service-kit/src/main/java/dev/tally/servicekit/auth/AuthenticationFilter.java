package dev.tally.servicekit.auth;

import dev.tally.events.json.TallyJson;
import dev.tally.servicekit.web.ApiError;
import dev.tally.servicekit.web.ApiException;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * The admin APIs' door: a protected path needs {@code Authorization: Bearer tadm_…}, an active admin key from
 * governance, and the {@link Caller} goes on the exchange for {@link CallerArgumentResolver}. The service says which
 * paths are protected; the actuator's are the same everywhere ({@link ActuatorPaths}): health, liveness and readiness
 * open, every other endpoint for platform admin keys only, whatever the service protects. The API reference is open
 * everywhere too ({@link ApiReferencePaths}).
 *
 * <p>Until the service has read tally.governance.state up to where it stood at start-up, an admin key answers 503
 * {@code loading}, whether or not it is known yet: the topic holds a key's ACTIVE record before its REVOKED one, so a
 * half-read topic could let a revoked key in, and a key not read yet would look unknown.
 */
public class AuthenticationFilter implements WebFilter, Ordered {

    static final String CALLER = AuthenticationFilter.class.getName() + ".caller";
    private static final String BEARER = "Bearer ";

    private final AdminKeys keys;
    private final BooleanSupplier keysLoaded;
    private final Predicate<String> protectedPath;

    /**
     * @param keysLoaded    true once the service's governance-state reader has caught up
     * @param protectedPath which paths (within the application, e.g. {@code /ledgers/org-1}) need an admin key
     */
    public AuthenticationFilter(AdminKeys keys, BooleanSupplier keysLoaded, Predicate<String> protectedPath) {
        this.keys = keys;
        this.keysLoaded = keysLoaded;
        this.protectedPath = protectedPath;
    }

    /** The caller the filter put on an exchange of a protected path; empty on an open one. */
    public static Optional<Caller> caller(ServerWebExchange exchange) {
        return Optional.ofNullable(exchange.getAttribute(CALLER));
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String path = ActuatorPaths.pathOf(exchange);
        boolean operatorEndpoint = ActuatorPaths.isOperatorEndpoint(path);
        if (ActuatorPaths.isHealthProbe(path) || ApiReferencePaths.isApiReference(path)
                || !(operatorEndpoint || protectedPath.test(path))) {
            return chain.filter(exchange);
        }
        String header = exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())
                || header.substring(BEARER.length()).isBlank()) {
            return reject(exchange, ApiException.unauthenticated("send an admin key as 'Authorization: Bearer tadm_…'"));
        }
        String key = header.substring(BEARER.length()).strip();
        if (!AdminKeys.looksLikeAdminKey(key)) {
            return reject(exchange, ApiException.unauthenticated(
                    "this API needs an admin key (tadm_…); gateway keys (cpk_…) are for the gateway only"));
        }
        if (!keysLoaded.getAsBoolean()) {
            return reject(exchange, ApiException.unavailable("loading",
                    "the admin keys are still being loaded from tally.governance.state; retry shortly"));
        }
        Optional<Caller> caller = keys.authenticate(key);
        if (caller.isEmpty()) {
            return reject(exchange, ApiException.unauthenticated("the admin key is unknown or revoked"));
        }
        if (operatorEndpoint && !caller.get().isPlatformAdmin()) {
            return reject(exchange, ApiException.forbidden("only a platform admin key reads the actuator"));
        }
        exchange.getAttributes().put(CALLER, caller.get());
        return chain.filter(exchange);
    }

    private static Mono<Void> reject(ServerWebExchange exchange, ApiException e) {
        var response = exchange.getResponse();
        response.setStatusCode(e.status());
        response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
        if (e.status() == HttpStatus.UNAUTHORIZED) {
            response.getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        } else if (e.status() == HttpStatus.SERVICE_UNAVAILABLE) {
            response.getHeaders().set(HttpHeaders.RETRY_AFTER, "1");
        }
        byte[] body = TallyJson.mapper().writeValueAsBytes(ApiError.of(e));
        return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
    }
}
