package dev.tally.governance.auth;

import dev.tally.governance.web.ApiError;
import dev.tally.governance.web.ApiException;
import dev.tally.servicekit.auth.ActuatorPaths;
import dev.tally.servicekit.auth.ApiReferencePaths;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every admin route needs a bearer key. The caller is stored on the exchange for {@link CallerArgumentResolver};
 * health checks, the public price list and the API reference ({@link ApiReferencePaths}) need none. The actuator's
 * other endpoints (metrics, info) need a platform admin key, as in every Tally service ({@link ActuatorPaths}). A gateway key ({@code cpk_}) reaches the people's
 * own routes only ({@link #forGatewayKeys}); on any other route it is refused here, before its body is read, so a
 * member learns nothing from how a route would have judged the body or the ids it names.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class AuthenticationFilter implements WebFilter {

    static final String CALLER = AuthenticationFilter.class.getName() + ".caller";

    private final CallerResolver resolver;
    private final JsonMapper json;

    public AuthenticationFilter(CallerResolver resolver, JsonMapper json) {
        this.resolver = resolver;
        this.json = json;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String path = ActuatorPaths.pathOf(exchange);
        if (ActuatorPaths.isHealthProbe(path) || ApiReferencePaths.isApiReference(path)
                || (path.equals("/pricing") && exchange.getRequest().getMethod() == HttpMethod.GET)) {
            return chain.filter(exchange);
        }
        boolean operatorEndpoint = ActuatorPaths.isOperatorEndpoint(path);
        String header = exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7) || header.substring(7).isBlank()) {
            return reject(exchange, ApiException.unauthenticated("send an admin key as 'Authorization: Bearer tadm_…'"));
        }
        return resolver.resolve(header.substring(7).strip())
                .flatMap(caller -> {
                    if (operatorEndpoint && !caller.isPlatformAdmin()) {
                        return reject(exchange, ApiException.forbidden("only a platform admin key reads the actuator"));
                    }
                    if (caller.memberId() != null && !forGatewayKeys(path)) {
                        return reject(exchange, ApiException.forbidden("this route needs an admin key (tadm_…); a "
                                + "gateway key reaches /users/me and the quota requests of /approvals only"));
                    }
                    exchange.getAttributes().put(CALLER, caller);
                    return chain.filter(exchange);
                })
                .onErrorResume(ApiException.class, e -> reject(exchange, e));
    }

    /**
     * The routes a user acts on with their own gateway key (docs/governance.md, roles): their record under
     * {@code /users/me}, and quota requests (their own; a team admin's also its team's). Each route still checks the
     * caller's role; an agent's key is refused by all of them.
     */
    static boolean forGatewayKeys(String path) {
        return path.equals("/users/me") || path.startsWith("/users/me/")
                || path.equals("/approvals") || path.startsWith("/approvals/");
    }

    private Mono<Void> reject(ServerWebExchange exchange, ApiException e) {
        var response = exchange.getResponse();
        if (response.isCommitted()) {
            return Mono.error(e);
        }
        response.setStatusCode(e.status());
        response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
        response.getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        byte[] body = json.writeValueAsBytes(ApiError.of(e));
        return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
    }
}
