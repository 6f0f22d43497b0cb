package dev.tally.ledger.access;

import dev.tally.events.governance.AdminRole;
import dev.tally.events.governance.KeyStatus;
import dev.tally.events.json.TallyJson;
import dev.tally.events.ledger.CommandAcceptedReply;
import dev.tally.ledger.support.GovernanceKeys;
import dev.tally.ledger.support.LedgerServiceTestBase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

import java.time.Duration;

import static dev.tally.ledger.support.Commands.id;
import static dev.tally.ledger.support.Commands.openLedger;
import static dev.tally.ledger.support.Commands.purchase;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Who may read a ledger over HTTP: the owner and admins of its organisation (ledger id = organisation id) and platform
 * admins; everyone else is told nothing, each route alike.
 */
class LedgerAccessIT extends LedgerServiceTestBase {

    /** The three routes, each answering 200 for a ledger that exists. */
    enum Route {
        BALANCES(HttpMethod.GET, "/ledgers/{id}"),
        EVENTS(HttpMethod.GET, "/ledgers/{id}/events"),
        VERIFY(HttpMethod.POST, "/ledgers/{id}/verify");

        final HttpMethod method;
        final String path;

        Route(HttpMethod method, String path) {
            this.method = method;
            this.path = path;
        }

        EntityExchangeResult<String> call(WebTestClient client, String ledgerId) {
            return client.method(method).uri(path, ledgerId).exchange().expectBody(String.class).returnResult();
        }
    }

    private String orgId;

    @BeforeEach
    void aLedgerWithCredits() {
        orgId = "org-" + id();
        assertThat(ledger.sendAndWait(openLedger(orgId))).isInstanceOf(CommandAcceptedReply.class);
        assertThat(ledger.sendAndWait(purchase(orgId, 100))).isInstanceOf(CommandAcceptedReply.class);
        // GET /ledgers/{id} reads the projection, which follows the event store by a moment.
        await().atMost(Duration.ofSeconds(30)).until(() -> Route.BALANCES.call(http(), orgId).getStatus().value() == 200);
    }

    private String keyOf(String org, AdminRole role) {
        String key = GovernanceKeys.newKey(INFRA, org, role);
        http(key);
        return key;
    }

    private static JsonNode error(EntityExchangeResult<String> answer) {
        return TallyJson.mapper().readTree(answer.getResponseBody()).path("error");
    }

    @ParameterizedTest
    @EnumSource(Route.class)
    void without_a_key_the_route_answers_401_with_a_bearer_challenge(Route route) {
        EntityExchangeResult<String> answer = route.call(anonymous(), orgId);

        assertThat(answer.getStatus().value()).isEqualTo(401);
        assertThat(answer.getResponseHeaders().getFirst(HttpHeaders.WWW_AUTHENTICATE)).isEqualTo("Bearer");
        assertThat(error(answer).path("code").asString()).isEqualTo("unauthenticated");
    }

    @ParameterizedTest
    @EnumSource(Route.class)
    void a_gateway_key_answers_401(Route route) {
        EntityExchangeResult<String> answer = route.call(anonymous().mutate()
                .defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer cpk_" + id()).build(), orgId);

        assertThat(answer.getStatus().value()).isEqualTo(401);
        assertThat(error(answer).path("message").asString()).contains("admin key");
    }

    @ParameterizedTest
    @EnumSource(Route.class)
    void a_revoked_key_answers_401(Route route) {
        String key = keyOf(orgId, AdminRole.ORG_ADMIN);
        assertThat(route.call(http(key), orgId).getStatus().value()).isEqualTo(200);

        GovernanceKeys.publish(INFRA, key, orgId, AdminRole.ORG_ADMIN, KeyStatus.REVOKED);

        await().atMost(Duration.ofSeconds(30)).until(() -> route.call(http(key), orgId).getStatus().value() == 401);
    }

    @ParameterizedTest
    @EnumSource(Route.class)
    void another_organisations_admin_gets_exactly_the_answer_of_an_unknown_ledger(Route route) {
        String foreign = keyOf("org-other-" + id(), AdminRole.ORG_OWNER);
        String unknownLedger = "org-unknown-" + id();

        EntityExchangeResult<String> foreignAnswer = route.call(http(foreign), orgId);
        EntityExchangeResult<String> unknownAnswer = route.call(http(), unknownLedger);

        assertThat(foreignAnswer.getStatus().value()).isEqualTo(404);
        assertThat(unknownAnswer.getStatus().value()).isEqualTo(404);
        assertThat(foreignAnswer.getResponseBody()).isEqualTo(unknownAnswer.getResponseBody().replace(unknownLedger, orgId));
        assertThat(error(foreignAnswer).path("code").asString()).isEqualTo("not_found");
        assertThat(error(foreignAnswer).path("message").asString()).isEqualTo("ledger " + orgId + " not found");
    }

    @ParameterizedTest
    @EnumSource(Route.class)
    void the_organisations_own_admin_and_owner_read_it(Route route) {
        assertThat(route.call(http(keyOf(orgId, AdminRole.ORG_ADMIN)), orgId).getStatus().value()).isEqualTo(200);
        assertThat(route.call(http(keyOf(orgId, AdminRole.ORG_OWNER)), orgId).getStatus().value()).isEqualTo(200);
    }

    @ParameterizedTest
    @EnumSource(Route.class)
    void a_platform_admin_reads_every_ledger(Route route) {
        assertThat(route.call(http(), orgId).getStatus().value()).isEqualTo(200);
    }

    @Test
    void health_liveness_and_readiness_stay_open_without_a_key() {
        anonymous().get().uri("/actuator/health").exchange().expectStatus().isOk();
        anonymous().get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
        anonymous().get().uri("/actuator/health/readiness").exchange().expectStatus().isOk();
    }

    @Test
    void the_actuators_other_endpoints_need_a_platform_admin_key() {
        String orgAdmin = keyOf(orgId, AdminRole.ORG_ADMIN);
        for (String endpoint : new String[] {"/actuator/metrics", "/actuator/info"}) {
            anonymous().get().uri(endpoint).exchange().expectStatus().isUnauthorized();
            http(orgAdmin).get().uri(endpoint).exchange().expectStatus().isForbidden();
            http().get().uri(endpoint).exchange().expectStatus().isOk();
        }
    }
}
