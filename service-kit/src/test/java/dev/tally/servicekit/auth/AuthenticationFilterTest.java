package dev.tally.servicekit.auth;

import dev.tally.events.governance.AdminKeyState;
import dev.tally.events.governance.AdminRole;
import dev.tally.events.governance.KeyStatus;
import dev.tally.events.json.TallyJson;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

class AuthenticationFilterTest {

    private final AdminKeys keys = new AdminKeys();
    private final AtomicBoolean loaded = new AtomicBoolean(true);
    private final AuthenticationFilter filter = new AuthenticationFilter(keys, loaded::get,
            path -> path.startsWith("/ledgers/") || path.startsWith("/actuator/"));

    /** What the chain behind the filter saw: null when the filter answered itself. */
    private final AtomicReference<MockServerWebExchange> passed = new AtomicReference<>();

    private MockServerWebExchange send(String path, String authorization) {
        MockServerHttpRequest.BaseBuilder<?> request = MockServerHttpRequest.get(path);
        if (authorization != null) {
            request.header(HttpHeaders.AUTHORIZATION, authorization);
        }
        MockServerWebExchange exchange = MockServerWebExchange.from(request);
        filter.filter(exchange, e -> {
            passed.set((MockServerWebExchange) e);
            return reactor.core.publisher.Mono.empty();
        }).block();
        return exchange;
    }

    private void publish(String key, String orgId, AdminRole role, KeyStatus status) {
        AdminKeyState state = AdminKeysTest.state(key, orgId, role, status);
        keys.apply(state.stateKey(), state);
    }

    private static JsonNode error(MockServerWebExchange exchange) {
        return TallyJson.mapper().readTree(exchange.getResponse().getBodyAsString().block()).path("error");
    }

    @Test
    void an_active_admin_key_passes_and_its_caller_is_on_the_exchange() {
        publish("tadm_owner", "org-1", AdminRole.ORG_OWNER, KeyStatus.ACTIVE);

        send("/ledgers/org-1", "Bearer tadm_owner");

        assertThat(passed.get()).isNotNull();
        assertThat(AuthenticationFilter.caller(passed.get()))
                .contains(new Caller(AdminRole.ORG_OWNER, "org-1", "ak-tadm_owner"));
    }

    @Test
    void the_bearer_scheme_is_case_insensitive_and_the_key_may_be_padded() {
        publish("tadm_owner", "org-1", AdminRole.ORG_OWNER, KeyStatus.ACTIVE);

        send("/ledgers/org-1", "bearer   tadm_owner ");

        assertThat(passed.get()).isNotNull();
    }

    @Test
    void no_key_answers_401_with_a_bearer_challenge_and_the_shared_error_json() {
        MockServerWebExchange exchange = send("/ledgers/org-1", null);

        assertThat(passed.get()).isNull();
        assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
        assertThat(exchange.getResponse().getHeaders().getFirst(HttpHeaders.WWW_AUTHENTICATE)).isEqualTo("Bearer");
        JsonNode error = error(exchange);
        assertThat(error.path("status").asInt()).isEqualTo(401);
        assertThat(error.path("code").asString()).isEqualTo("unauthenticated");
        assertThat(error.path("message").asString()).contains("Authorization: Bearer tadm_");
    }

    @Test
    void another_scheme_or_an_empty_bearer_is_no_key() {
        assertThat(send("/ledgers/org-1", "Basic dXNlcjpwYXNz").getResponse().getStatusCode())
                .isEqualTo(HttpStatus.UNAUTHORIZED);
        assertThat(send("/ledgers/org-1", "Bearer   ").getResponse().getStatusCode())
                .isEqualTo(HttpStatus.UNAUTHORIZED);
        assertThat(passed.get()).isNull();
    }

    @Test
    void a_gateway_key_answers_401_saying_an_admin_key_is_needed() {
        MockServerWebExchange exchange = send("/ledgers/org-1", "Bearer cpk_user-key");

        assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
        assertThat(error(exchange).path("message").asString()).contains("admin key (tadm_");
    }

    @Test
    void an_unknown_key_answers_401() {
        MockServerWebExchange exchange = send("/ledgers/org-1", "Bearer tadm_unknown");

        assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
        assertThat(error(exchange).path("message").asString()).isEqualTo("the admin key is unknown or revoked");
    }

    @Test
    void a_revoked_key_answers_401() {
        publish("tadm_revoked", "org-1", AdminRole.ORG_ADMIN, KeyStatus.REVOKED);

        MockServerWebExchange exchange = send("/ledgers/org-1", "Bearer tadm_revoked");

        assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
        assertThat(exchange.getResponse().getHeaders().getFirst(HttpHeaders.WWW_AUTHENTICATE)).isEqualTo("Bearer");
    }

    @Test
    void while_the_keys_load_even_a_known_key_answers_503_loading() {
        publish("tadm_owner", "org-1", AdminRole.ORG_OWNER, KeyStatus.ACTIVE);
        loaded.set(false);

        MockServerWebExchange exchange = send("/ledgers/org-1", "Bearer tadm_owner");

        assertThat(passed.get()).isNull();
        assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
        assertThat(exchange.getResponse().getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("1");
        assertThat(error(exchange).path("code").asString()).isEqualTo("loading");
    }

    @Test
    void while_the_keys_load_a_missing_key_is_still_401() {
        loaded.set(false);

        assertThat(send("/ledgers/org-1", null).getResponse().getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
    }

    @Test
    void paths_the_service_does_not_protect_pass_without_a_key() {
        send("/pricing", null);

        assertThat(passed.get()).isNotNull();
        assertThat(AuthenticationFilter.caller(passed.get())).isEmpty();
    }

    @Test
    void health_liveness_and_readiness_stay_open_even_under_a_protected_prefix() {
        for (String probe : new String[] {"/actuator/health", "/actuator/health/liveness",
                "/actuator/health/readiness"}) {
            passed.set(null);
            send(probe, null);
            assertThat(passed.get()).as(probe).isNotNull();
        }
        passed.set(null);
        assertThat(send("/actuator/metrics", null).getResponse().getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
        assertThat(send("/actuator/healthcheck-lookalike", null).getResponse().getStatusCode())
                .isEqualTo(HttpStatus.UNAUTHORIZED);
    }

    @Test
    void other_actuator_endpoints_need_a_platform_admin_key_even_where_the_service_protects_no_path() {
        AuthenticationFilter openService = new AuthenticationFilter(keys, loaded::get, path -> false);
        publish("tadm_platform", null, AdminRole.PLATFORM_ADMIN, KeyStatus.ACTIVE);
        publish("tadm_owner", "org-1", AdminRole.ORG_OWNER, KeyStatus.ACTIVE);

        for (String endpoint : new String[] {"/actuator", "/actuator/metrics", "/actuator/info",
                "/actuator/metrics/jvm.memory.used"}) {
            assertThat(status(openService, endpoint, null)).as(endpoint).isEqualTo(HttpStatus.UNAUTHORIZED);
            assertThat(status(openService, endpoint, "Bearer tadm_owner")).as(endpoint).isEqualTo(HttpStatus.FORBIDDEN);
            assertThat(status(openService, endpoint, "Bearer tadm_platform")).as(endpoint).isNull();
        }
        for (String disguised : new String[] {"/%61ctuator/metrics", "/actuator;x=1/metrics", "/actuator//info"}) {
            assertThat(status(openService, disguised, null)).as(disguised).isEqualTo(HttpStatus.UNAUTHORIZED);
        }
        assertThat(status(openService, "/actuator/health", null)).isNull();
        assertThat(status(openService, "/actuatorish", null)).isNull();
    }

    @Test
    void the_api_reference_opens_without_a_key_even_where_the_service_protects_every_path() {
        AuthenticationFilter closedService = new AuthenticationFilter(keys, loaded::get, path -> true);

        for (String reference : new String[] {"/v3/api-docs", "/v3/api-docs.yaml", "/v3/api-docs/swagger-config",
                "/swagger-ui.html", "/swagger-ui/index.html", "/webjars/swagger-ui/index.html",
                "/webjars/*swagger-ui/**"}) {
            assertThat(status(closedService, reference, null)).as(reference).isNull();
        }
        for (String lookalike : new String[] {"/v3/api-docsx", "/swagger-ui.htmlx", "/swagger-uix/a",
                "/webjars/other/swagger-ui", "/webjars/swagger-uix/a", "/orgs/swagger-ui/"}) {
            assertThat(status(closedService, lookalike, null)).as(lookalike).isEqualTo(HttpStatus.UNAUTHORIZED);
        }
    }

    /** The status the filter answered with; null when it let the request through. */
    private static HttpStatus status(AuthenticationFilter filter, String path, String authorization) {
        // From a URI as sent: the String variants would encode the '%' of an encoded path once more.
        MockServerHttpRequest.BaseBuilder<?> request = MockServerHttpRequest.method(HttpMethod.GET, URI.create(path));
        if (authorization != null) {
            request.header(HttpHeaders.AUTHORIZATION, authorization);
        }
        MockServerWebExchange exchange = MockServerWebExchange.from(request);
        AtomicBoolean through = new AtomicBoolean();
        filter.filter(exchange, e -> {
            through.set(true);
            return reactor.core.publisher.Mono.empty();
        }).block();
        return through.get() ? null : HttpStatus.valueOf(exchange.getResponse().getStatusCode().value());
    }
}
