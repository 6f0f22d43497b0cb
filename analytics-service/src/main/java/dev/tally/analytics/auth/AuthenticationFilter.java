package dev.tally.analytics.auth;

import dev.tally.analytics.web.ApiError;
import dev.tally.analytics.web.ApiException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * The API needs a bearer admin key; the dashboard's static files, health and actuator need none (the dashboard
 * sends the key from sessionStorage on each of its own API calls, so no cookie and no CSRF token are involved).
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

    static boolean isProtected(String path) {
        return path.equals("/me") || path.equals("/orgs") || path.startsWith("/orgs/") || path.startsWith("/admin/");
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (!isProtected(exchange.getRequest().getPath().pathWithinApplication().value())) {
            return chain.filter(exchange);
        }
        String header = exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7) || header.substring(7).isBlank()) {
            return reject(exchange, ApiException.unauthenticated("send an admin key as 'Authorization: Bearer tadm_…'"));
        }
        try {
            exchange.getAttributes().put(CALLER, resolver.resolve(header.substring(7).strip()));
        } catch (ApiException e) {
            return reject(exchange, e);
        }
        return chain.filter(exchange);
    }

    private Mono<Void> reject(ServerWebExchange exchange, ApiException e) {
        var response = exchange.getResponse();
        response.setStatusCode(e.status());
        response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
        response.getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        return response.writeWith(Mono.just(response.bufferFactory().wrap(json.writeValueAsBytes(ApiError.of(e)))));
    }
}
