package dev.tally.governance;

import dev.tally.governance.support.Admin;
import dev.tally.governance.support.GovernanceTestBase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Tenant isolation, roles, and the 4xx answers that name the field and the reason. */
class AccessAndValidationIT extends GovernanceTestBase {

    private TestOrg acme;
    private TestOrg globex;
    private String acmeWorkspace;
    private String acmeGroup;
    private String acmeAgent;
    private String globexAgent;

    @BeforeEach
    void twoTenants() {
        acme = newOrg("Acme", 0);
        globex = newOrg("Globex", 0);
        acmeWorkspace = acme.owner().create("/orgs/" + acme.id() + "/workspaces", Map.of("name", "prod"))
                .path("id").asString();
        acmeGroup = acme.owner().create("/workspaces/" + acmeWorkspace + "/agent-groups", Map.of("name", "bots"))
                .path("id").asString();
        acmeAgent = acme.owner().create("/agent-groups/" + acmeGroup + "/agents", Map.of("name", "bot-1"))
                .path("id").asString();
        String globexWorkspace = globex.owner().create("/orgs/" + globex.id() + "/workspaces", Map.of("name", "prod"))
                .path("id").asString();
        String globexGroup = globex.owner().create("/workspaces/" + globexWorkspace + "/agent-groups",
                Map.of("name", "bots")).path("id").asString();
        globexAgent = globex.owner().create("/agent-groups/" + globexGroup + "/agents", Map.of("name", "bot-1"))
                .path("id").asString();
    }

    @Test
    void a_key_of_one_organisation_sees_nothing_of_another_and_gets_404_for_its_ids() {
        Admin other = globex.owner();
        for (String path : List.of("/orgs/" + acme.id(), "/orgs/" + acme.id() + "/workspaces",
                "/workspaces/" + acmeWorkspace, "/agent-groups/" + acmeGroup, "/agents/" + acmeAgent,
                "/agents/" + acmeAgent + "/keys", "/orgs/" + acme.id() + "/balance", "/orgs/" + acme.id() + "/audit",
                "/policies?org_id=" + acme.id(), "/budgets?agent_id=" + acmeAgent)) {
            JsonNode body = Admin.json(other.get(path), HttpStatus.NOT_FOUND);
            assertThat(body.path("error").path("code").asString()).as(path).isEqualTo("not_found");
        }
        other.post("/agents/" + acmeAgent + "/keys", Map.of("name", "stolen")).expectStatus().isNotFound();
        other.post("/orgs/" + acme.id() + "/workspaces", Map.of("name", "x")).expectStatus().isNotFound();
        other.post("/budgets", Map.of("period", "DAILY", "limit_credits", 1, "agent_id", acmeAgent))
                .expectStatus().isNotFound();
        other.patch("/agents/" + acmeAgent, Map.of("status", "DISABLED")).expectStatus().isNotFound();

        String unknown = "01a20000-0000-7000-8000-000000000000";
        String foreignBody = other.get("/agents/" + acmeAgent).expectBody(String.class).returnResult()
                .getResponseBody();
        String unknownBody = other.get("/agents/" + unknown).expectBody(String.class).returnResult()
                .getResponseBody();
        assertThat(foreignBody.replace(acmeAgent, "ID")).as("a foreign id looks exactly like an unknown one")
                .isEqualTo(unknownBody.replace(unknown, "ID"));

        JsonNode visible = other.read("/orgs");
        assertThat(visible).extracting(o -> o.path("id").asString()).containsExactly(globex.id());
        assertThat(platform().read("/orgs")).extracting(o -> o.path("id").asString())
                .contains(acme.id(), globex.id());
    }

    @Test
    void roles_limit_what_a_key_may_do_in_its_own_organisation() {
        JsonNode user = acme.owner().create("/orgs/" + acme.id() + "/users", Map.of("email", "u@acme.example"));
        Admin member = as(user.path("api_key").path("plaintext_key").asString());
        member.post("/orgs/" + acme.id() + "/workspaces", Map.of("name", "mine"))
                .expectStatus().isForbidden().expectBody().jsonPath("$.error.code").isEqualTo("forbidden");
        member.get("/agents/" + acmeAgent).expectStatus().isForbidden();

        String agentKey = acme.owner().create("/agents/" + acmeAgent + "/keys", Map.of("name", "k"))
                .path("plaintext_key").asString();
        as(agentKey).get("/users/me").expectStatus().isForbidden();

        JsonNode admin = acme.owner().create("/orgs/" + acme.id() + "/admin-keys", Map.of("name", "ops"));
        Admin orgAdmin = as(admin.path("plaintext_key").asString());
        orgAdmin.create("/orgs/" + acme.id() + "/workspaces", Map.of("name", "staging"));
        orgAdmin.post("/orgs/" + acme.id() + "/admin-keys", Map.of("name", "escalate")).expectStatus().isForbidden();
        orgAdmin.post("/orgs", Map.of("name", "Another")).expectStatus().isForbidden();
        orgAdmin.put("/pricing/mock/mock-model", Map.of("input_usd_per_1k", 0, "output_usd_per_1k", 0))
                .expectStatus().isForbidden();

        Admin.json(acme.owner().delete("/orgs/" + acme.id() + "/admin-keys/" + admin.path("id").asString()),
                HttpStatus.OK);
        orgAdmin.get("/orgs/" + acme.id()).expectStatus().isUnauthorized()
                .expectBody().jsonPath("$.error.code").isEqualTo("unauthenticated");
    }

    @Test
    void requests_without_a_valid_key_are_401_and_the_price_list_is_public() {
        as(null).get("/orgs").expectStatus().isUnauthorized()
                .expectHeader().valueEquals("WWW-Authenticate", "Bearer");
        as("tadm_not-a-real-key-0000000000").get("/orgs").expectStatus().isUnauthorized();
        as("sk-something-else").get("/orgs").expectStatus().isUnauthorized();
        JsonNode prices = as(null).read("/pricing");
        assertThat(prices).extracting(p -> p.path("model").asString()).contains("gpt-4o-mini", "mock-model");
    }

    @Test
    void actuator_health_is_open_and_its_other_endpoints_need_a_platform_admin_key() {
        as(null).get("/actuator/health").expectStatus().isOk();
        for (String endpoint : List.of("/actuator/metrics", "/actuator/info", "/actuator/prometheus")) {
            as(null).get(endpoint).expectStatus().isUnauthorized();
            acme.owner().get(endpoint).expectStatus().isForbidden();
            platform().get(endpoint).expectStatus().isOk();
        }
        // Its consumers' lag is what an operator alerts on.
        platform().get("/actuator/prometheus").expectBody(String.class)
                .value(body -> assertThat(body).contains("kafka_consumer_fetch_manager_records_lag_max"));
    }

    @Test
    void bad_input_gets_a_4xx_that_names_the_field_and_the_reason() {
        Admin owner = acme.owner();
        String workspaces = "/orgs/" + acme.id() + "/workspaces";
        expectError(owner.post(workspaces, Map.of()), HttpStatus.BAD_REQUEST, "missing_field", "name");
        expectError(owner.post(workspaces, Map.of("name", "  ")), HttpStatus.BAD_REQUEST, "invalid_field", "name");
        expectError(owner.post(workspaces, Map.of("name", "x".repeat(121))), HttpStatus.BAD_REQUEST,
                "invalid_field", "name");
        expectError(owner.post(workspaces, "{\"name\": 123}"), HttpStatus.BAD_REQUEST, "invalid_field", "name");
        expectError(owner.post(workspaces, "{\"name\": "), HttpStatus.BAD_REQUEST, "invalid_body", null);
        expectError(owner.post(workspaces, Map.of("name", "prod")), HttpStatus.CONFLICT, "duplicate_name", "name");
        expectError(owner.post("/workspaces/01a20000-0000-7000-8000-000000000000/agent-groups", Map.of("name", "g")),
                HttpStatus.NOT_FOUND, "not_found", null);

        expectError(owner.post("/budgets", "{\"period\": \"DAILY\", \"limit_credits\": \"abc\", \"agent_id\": \""
                + acmeAgent + "\"}"), HttpStatus.BAD_REQUEST, "invalid_field", "limit_credits");
        expectError(owner.post("/budgets", Map.of("period", "DAILY", "limit_credits", 1.5, "agent_id", acmeAgent)),
                HttpStatus.BAD_REQUEST, "invalid_field", "limit_credits");
        expectError(owner.post("/budgets", Map.of("period", "HOURLY", "limit_credits", 10, "agent_id", acmeAgent)),
                HttpStatus.BAD_REQUEST, "invalid_field", "period");
        expectError(owner.post("/budgets", Map.of("period", "DAILY", "limit_credits", 10)),
                HttpStatus.UNPROCESSABLE_CONTENT, "invalid_target", "target");
        expectError(owner.post("/budgets", Map.of("period", "DAILY", "limit_credits", 10, "org_id", acme.id(),
                "agent_id", acmeAgent)), HttpStatus.UNPROCESSABLE_CONTENT, "invalid_target", "agent_id");
        expectError(owner.post("/policies", Map.of("name", "p", "max_output_tokens", 10)),
                HttpStatus.UNPROCESSABLE_CONTENT, "invalid_target", "target");
        expectError(owner.get("/policies"), HttpStatus.BAD_REQUEST, "invalid_target", "target");
        expectError(owner.get("/budgets?org_id=" + acme.id() + "&workspace_id=" + acmeWorkspace),
                HttpStatus.BAD_REQUEST, "invalid_target", "workspace_id");
        expectError(owner.post("/policies", Map.of("org_id", acme.id(), "max_output_tokens", 0)),
                HttpStatus.BAD_REQUEST, "invalid_field", "max_output_tokens");
        expectError(owner.post("/policies", Map.of("org_id", acme.id(), "time_windows",
                        List.of(Map.of("days", List.of("MON"), "start", "9am", "end", "17:00")))),
                HttpStatus.BAD_REQUEST, "invalid_field", "time_windows[0].start");

        expectError(owner.post("/orgs/" + acme.id() + "/users", Map.of("email", "not-an-email")),
                HttpStatus.BAD_REQUEST, "invalid_field", "email");
        expectError(owner.post("/orgs/" + acme.id() + "/users", Map.of("email", "a@b.example", "personal_quota", -1)),
                HttpStatus.BAD_REQUEST, "invalid_field", "personal_quota");
        expectError(owner.post("/credits/purchase", Map.of("org_id", acme.id(), "amount", 0, "idempotency_key", "k")),
                HttpStatus.BAD_REQUEST, "invalid_field", "amount");
        expectError(owner.post("/credits/purchase", Map.of("org_id", acme.id(), "amount", 10)),
                HttpStatus.BAD_REQUEST, "missing_field", "idempotency_key");
        expectError(owner.post("/orgs/" + acme.id() + "/transfers", Map.of("to_account_id", globexAgent,
                "amount", 1, "reason", "r")), HttpStatus.BAD_REQUEST, "invalid_field", "to_account_id");

        for (String rate : List.of("cached_input_usd_per_1k", "cache_write_usd_per_1k", "reasoning_usd_per_1k")) {
            expectError(platform().put("/pricing/acme-llm/bad-rates", Map.of("input_usd_per_1k", 1,
                    "output_usd_per_1k", 2, rate, new BigDecimal("-0.5"))), HttpStatus.BAD_REQUEST, "invalid_field",
                    rate);
        }
        expectError(platform().put("/pricing/acme-llm/bad-rates", "{\"input_usd_per_1k\": 1, \"output_usd_per_1k\": 2,"
                + " \"reasoning_usd_per_1k\": \"lots\"}"), HttpStatus.BAD_REQUEST, "invalid_field",
                "reasoning_usd_per_1k");
        assertThat(as(null).read("/pricing")).extracting(p -> p.path("model").asString()).doesNotContain("bad-rates");
    }

    @Test
    void only_the_owner_lists_the_admin_keys() {
        JsonNode admin = acme.owner().create("/orgs/" + acme.id() + "/admin-keys", Map.of("name", "ops"));
        Admin orgAdmin = as(admin.path("plaintext_key").asString());

        expectError(orgAdmin.get("/orgs/" + acme.id() + "/admin-keys"), HttpStatus.FORBIDDEN, "forbidden", null);
        assertThat(acme.owner().read("/orgs/" + acme.id() + "/admin-keys"))
                .extracting(k -> k.path("name").asString()).containsExactlyInAnyOrder("owner", "ops");
        assertThat(platform().read("/orgs/" + acme.id() + "/admin-keys")).hasSize(2);
    }

    @Test
    void an_admin_sets_an_agent_active_or_disabled_but_never_budget_exhausted() {
        expectError(acme.owner().patch("/agents/" + acmeAgent, Map.of("status", "BUDGET_EXHAUSTED")),
                HttpStatus.BAD_REQUEST, "invalid_field", "status");
        assertThat(acme.owner().read("/agents/" + acmeAgent).path("status").asString()).isEqualTo("ACTIVE");
        assertThat(Admin.json(acme.owner().patch("/agents/" + acmeAgent, Map.of("status", "DISABLED")),
                HttpStatus.OK).path("status").asString()).isEqualTo("DISABLED");
    }

    @Test
    void a_rename_to_a_name_taken_in_any_case_is_a_duplicate_name() {
        Admin owner = acme.owner();
        String staging = owner.create("/orgs/" + acme.id() + "/workspaces", Map.of("name", "staging"))
                .path("id").asString();
        String team = owner.create("/orgs/" + acme.id() + "/teams", Map.of("name", "research",
                "workspace_id", acmeWorkspace)).path("id").asString();
        String secondAgent = owner.create("/agent-groups/" + acmeGroup + "/agents", Map.of("name", "bot-2"))
                .path("id").asString();

        expectError(owner.patch("/workspaces/" + staging, Map.of("name", "PROD")), HttpStatus.CONFLICT,
                "duplicate_name", "name");
        expectError(owner.patch("/teams/" + team, Map.of("name", "Bots")), HttpStatus.CONFLICT,
                "duplicate_name", "name");
        expectError(owner.patch("/agent-groups/" + acmeGroup, Map.of("name", "research")), HttpStatus.CONFLICT,
                "duplicate_name", "name");
        expectError(owner.patch("/agents/" + secondAgent, Map.of("name", "BOT-1")), HttpStatus.CONFLICT,
                "duplicate_name", "name");

        assertThat(Admin.json(owner.patch("/workspaces/" + acmeWorkspace, Map.of("name", "Prod")), HttpStatus.OK)
                .path("name").asString()).as("a change of case of its own name").isEqualTo("Prod");
        assertThat(Admin.json(owner.patch("/agents/" + acmeAgent, Map.of("name", "Bot-1")), HttpStatus.OK)
                .path("name").asString()).isEqualTo("Bot-1");
        assertThat(Admin.json(owner.patch("/teams/" + team, Map.of("name", "Research")), HttpStatus.OK)
                .path("name").asString()).isEqualTo("Research");
    }

    @Test
    void a_query_parameter_of_the_wrong_type_is_an_invalid_field_naming_the_parameter() {
        Admin owner = acme.owner();
        String team = owner.create("/orgs/" + acme.id() + "/teams", Map.of("name", "ops")).path("id").asString();
        String user = owner.create("/orgs/" + acme.id() + "/users", Map.of("email", "q@acme.example"))
                .path("id").asString();

        expectError(owner.get("/orgs/" + acme.id() + "/transfers?limit=abc"), HttpStatus.BAD_REQUEST,
                "invalid_field", "limit");
        expectError(owner.post("/teams/" + team + "/members/" + user + "?is_admin=maybe", null),
                HttpStatus.BAD_REQUEST, "invalid_field", "is_admin");
    }

    @Test
    void byok_credentials_are_stored_encrypted_and_never_returned() {
        String secret = "sk-live-0123456789abcdefWXYZ";
        JsonNode created = acme.owner().create("/orgs/" + acme.id() + "/credentials",
                Map.of("provider", "openai", "api_key", secret, "label", "prod-openai-key"));
        assertThat(created.path("last_four").asString()).isEqualTo("WXYZ");
        String listing = acme.owner().get("/orgs/" + acme.id() + "/credentials").expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(listing).contains("prod-openai-key").doesNotContain(secret).doesNotContain("ciphertext");
        globex.owner().get("/orgs/" + acme.id() + "/credentials").expectStatus().isNotFound();
        expectError(acme.owner().post("/orgs/" + acme.id() + "/credentials", Map.of("provider", "openai")),
                HttpStatus.BAD_REQUEST, "missing_field", "api_key");
    }

    private static void expectError(WebTestClient.ResponseSpec response, HttpStatus status, String code,
            String field) {
        JsonNode body = Admin.json(response, status);
        assertThat(body.path("error").path("code").asString()).as("error code in %s", body).isEqualTo(code);
        assertThat(body.path("error").path("status").asInt()).isEqualTo(status.value());
        assertThat(body.path("error").path("message").asString()).isNotBlank();
        if (field != null) {
            assertThat(body.path("error").path("field").asString()).as("field in %s", body).isEqualTo(field);
            assertThat(body.path("error").path("reason").asString()).as("reason in %s", body).isNotBlank();
        }
    }
}
