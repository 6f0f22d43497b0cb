package dev.tally.notification.auth;

import dev.tally.notification.state.GovernanceStateConsumer;
import dev.tally.notification.web.ApiError;
import dev.tally.notification.web.ApiException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/** Every route but health needs {@code Authorization: Bearer tadm_…}; the caller goes on the exchange. */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class AuthenticationFilter implements WebFilter {

    static final String CALLER = AuthenticationFilter.class.getName() + ".caller";

    private final AdminKeys keys;
    private final GovernanceStateConsumer state;
    private final JsonMapper json;

    public AuthenticationFilter(AdminKeys keys, GovernanceStateConsumer state, JsonMapper json) {
        this.keys = keys;
        this.state = state;
        this.json = json;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String path = exchange.getRequest().getPath().pathWithinApplication().value();
        if (path.startsWith("/actuator")) {
            return chain.filter(exchange);
        }
        String header = exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7) || header.substring(7).isBlank()) {
            return reject(exchange, ApiException.unauthenticated("send an admin key as 'Authorization: Bearer tadm_…'"));
        }
        var caller = keys.authenticate(header.substring(7).strip());
        if (caller.isEmpty()) {
            if (!state.ready()) {
                // Keys are known only once the state topic is read; until then a valid key would look unknown.
                return reject(exchange, new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "loading",
                        "the admin keys are still being loaded; retry shortly", null, null));
            }
            return reject(exchange, ApiException.unauthenticated("the admin key is unknown or revoked"));
        }
        exchange.getAttributes().put(CALLER, caller.get());
        return chain.filter(exchange);
    }

    private Mono<Void> reject(ServerWebExchange exchange, ApiException e) {
        var response = exchange.getResponse();
        response.setStatusCode(e.status());
        response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
        if (e.status() == HttpStatus.UNAUTHORIZED) {
            response.getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        }
        byte[] body = json.writeValueAsBytes(ApiError.of(e));
        return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
    }
}
