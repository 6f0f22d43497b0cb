package dev.tally.governance;

import dev.tally.events.governance.ApiKeyState;
import dev.tally.events.governance.BudgetState;
import dev.tally.events.governance.KeyStatus;
import dev.tally.events.governance.MemberState;
import dev.tally.events.governance.OrgState;
import dev.tally.events.governance.PolicyState;
import dev.tally.events.governance.PriceState;
import dev.tally.events.ledger.BudgetPeriod;
import dev.tally.events.ledger.ScopeLevel;
import dev.tally.governance.support.Admin;
import dev.tally.governance.support.GovernanceTestBase;
import dev.tally.servicekit.auth.KeyHash;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import tools.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Agent Control's walkthrough end to end: org → workspace → group → agent → key → top-up → policy → budget. */
class GovernanceWalkthroughIT extends GovernanceTestBase {

    @Test
    void seed_004_walkthrough_reaches_the_ledger_and_the_state_topic() {
        JsonNode org = platform().create("/orgs", Map.of("name", "Acme Corp", "description", "Main production org"));
        String orgId = org.path("id").asString();
        assertThat(org.path("slug").asString()).isEqualTo("acme-corp");
        assertThat(org.path("credits_per_usd").asLong()).isEqualTo(100);
        assertThat(org.path("is_active").asBoolean()).isTrue();
        assertThat(org.path("ledger_status").asString()).isEqualTo("ACCEPTED");
        String ownerKey = org.path("owner_key").path("plaintext_key").asString();
        assertThat(ownerKey).startsWith("tadm_");
        Admin owner = as(ownerKey);

        String workspaceId = owner.create("/orgs/" + orgId + "/workspaces", Map.of("name", "Production"))
                .path("id").asString();
        String groupId = owner.create("/workspaces/" + workspaceId + "/agent-groups",
                Map.of("name", "Support Bots", "description", "Customer-facing agents")).path("id").asString();
        JsonNode agent = owner.create("/agent-groups/" + groupId + "/agents", Map.of("name", "support-bot-1"));
        String agentId = agent.path("id").asString();
        assertThat(agent.path("status").asString()).isEqualTo("ACTIVE");

        JsonNode key = owner.create("/agents/" + agentId + "/keys", Map.of("name", "prod-key"));
        String plaintext = key.path("plaintext_key").asString();
        assertThat(plaintext).startsWith("cpk_");
        assertThat(key.path("key_suffix").asString()).isEqualTo(plaintext.substring(plaintext.length() - 8));
        JsonNode listed = owner.read("/agents/" + agentId + "/keys");
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).has("plaintext_key")).as("the plaintext is shown once only").isFalse();

        Map<String, Object> topUp = Map.of("org_id", orgId, "amount", 10_000, "idempotency_key", "topup-001");
        JsonNode purchase = Admin.json(owner.post("/credits/purchase", topUp), HttpStatus.CREATED);
        assertThat(purchase.path("status").asString()).isEqualTo("APPLIED");
        JsonNode again = Admin.json(owner.post("/credits/purchase", topUp), HttpStatus.CREATED);
        assertThat(again.path("id").asString()).isEqualTo(purchase.path("id").asString());
        owner.post("/credits/purchase", Map.of("org_id", orgId, "amount", 5, "idempotency_key", "topup-001"))
                .expectStatus().isEqualTo(HttpStatus.CONFLICT);
        JsonNode balance = owner.read("/orgs/" + orgId + "/balance");
        assertThat(balance.path("balance").asLong()).as("a retried top-up buys nothing twice").isEqualTo(10_000);

        JsonNode policy = owner.create("/policies", Map.of("name", "Org model allowlist", "org_id", orgId,
                "allowed_models", List.of("gpt-4o-mini", "mock-model"), "max_output_tokens", 2048));
        owner.create("/policies", Map.of("name", "Agent hard limit", "agent_id", agentId,
                "max_output_tokens", 512, "rpm_limit", 10));
        assertThat(owner.read("/policies?org_id=" + orgId)).hasSize(1);

        JsonNode budget = owner.create("/budgets", Map.of("period", "DAILY", "limit_credits", 1000,
                "auto_disable", true, "agent_id", agentId));
        assertThat(budget.path("ledger_status").asString()).isEqualTo("ACCEPTED");
        assertThat(budget.path("thresholds")).hasSize(4);
        assertThat(owner.read("/budgets?agent_id=" + agentId)).hasSize(1);

        String keyHash = KeyHash.of(plaintext);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(stateTopic().get("org:" + orgId, OrgState.class)).get()
                    .extracting(OrgState::ledgerId).isEqualTo(orgId);
            assertThat(stateTopic().get("member:" + agentId, MemberState.class)).get()
                    .satisfies(m -> {
                        assertThat(m.groupId()).isEqualTo(groupId);
                        assertThat(m.workspaceId()).isEqualTo(workspaceId);
                    });
            assertThat(stateTopic().get("api-key:" + keyHash, ApiKeyState.class)).get()
                    .satisfies(k -> {
                        assertThat(k.memberId()).isEqualTo(agentId);
                        assertThat(k.status()).isEqualTo(KeyStatus.ACTIVE);
                    });
            assertThat(stateTopic().get("policy:" + policy.path("id").asString(), PolicyState.class)).get()
                    .satisfies(p -> {
                        assertThat(p.allowedModels()).containsExactly("gpt-4o-mini", "mock-model");
                        assertThat(p.target().level()).isEqualTo(ScopeLevel.ORG);
                    });
            assertThat(stateTopic().get("budget:" + budget.path("id").asString(), BudgetState.class)).get()
                    .satisfies(b -> {
                        assertThat(b.period()).isEqualTo(BudgetPeriod.DAILY);
                        assertThat(b.scope().id()).isEqualTo(agentId);
                        assertThat(b.autoDisable()).isTrue();
                    });
            assertThat(stateTopic().get("price:mock/mock-model", PriceState.class)).get()
                    .extracting(PriceState::inputUsdPer1k)
                    .satisfies(p -> assertThat(p).isEqualByComparingTo(new BigDecimal("0.001")));
        });
    }

    @Test
    void platform_admins_edit_prices_and_deletions_reach_gateways_as_tombstones() {
        JsonNode price = Admin.json(platform().put("/pricing/acme-llm/acme-1",
                Map.of("input_usd_per_1k", new BigDecimal("0.0004"), "output_usd_per_1k", new BigDecimal("0.0016"))),
                HttpStatus.OK);
        assertThat(price.path("input_usd_per_1k").decimalValue()).isEqualByComparingTo("0.0004");
        assertThat(as(null).read("/pricing")).extracting(p -> p.path("model").asString()).contains("acme-1");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(stateTopic().get("price:acme-llm/acme-1", PriceState.class)).get()
                        .extracting(PriceState::outputUsdPer1k)
                        .satisfies(p -> assertThat(p).isEqualByComparingTo("0.0016")));

        platform().delete("/pricing/acme-llm/acme-1").expectStatus().isNoContent();
        TestOrg org = newOrg("Tombstones", 0);
        String policyId = org.owner().create("/policies", Map.of("org_id", org.id(), "rpm_limit", 60))
                .path("id").asString();
        org.owner().delete("/policies/" + policyId).expectStatus().isNoContent();
        org.owner().get("/policies/" + policyId).expectStatus().isNotFound();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(stateTopic().deleted("price:acme-llm/acme-1")).isTrue();
            assertThat(stateTopic().deleted("policy:" + policyId)).isTrue();
        });
    }

    @Test
    void cache_and_reasoning_rates_are_set_shown_and_published_and_omitted_ones_are_null() {
        JsonNode price = Admin.json(platform().put("/pricing/acme-llm/acme-think", Map.of(
                "input_usd_per_1k", new BigDecimal("0.003"), "output_usd_per_1k", new BigDecimal("0.015"),
                "cached_input_usd_per_1k", new BigDecimal("0.0003"), "reasoning_usd_per_1k", new BigDecimal("0.02"))),
                HttpStatus.OK);

        assertThat(price.path("cached_input_usd_per_1k").decimalValue()).isEqualByComparingTo("0.0003");
        assertThat(price.path("reasoning_usd_per_1k").decimalValue()).isEqualByComparingTo("0.02");
        assertThat(price.path("cache_write_usd_per_1k").isNull()).isTrue();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(stateTopic().get("price:acme-llm/acme-think", PriceState.class)).get()
                        .satisfies(p -> {
                            assertThat(p.cachedInputUsdPer1k()).isEqualByComparingTo("0.0003");
                            assertThat(p.cacheWriteUsdPer1k()).isNull();
                            assertThat(p.reasoningUsdPer1k()).isEqualByComparingTo("0.02");
                        }));
    }

    @Test
    void the_seeded_prices_carry_the_published_cache_rates() {
        JsonNode prices = as(null).read("/pricing");

        assertThat(prices).filteredOn(p -> p.path("model").asString().equals("gpt-4o-mini")).singleElement()
                .satisfies(p -> assertThat(p.path("cached_input_usd_per_1k").decimalValue())
                        .isEqualByComparingTo("0.000075"));
        assertThat(prices).filteredOn(p -> p.path("model").asString().equals("claude-3-haiku-20240307"))
                .singleElement().satisfies(p -> {
                    assertThat(p.path("cached_input_usd_per_1k").decimalValue()).isEqualByComparingTo("0.00003");
                    assertThat(p.path("cache_write_usd_per_1k").decimalValue()).isEqualByComparingTo("0.0003");
                });
    }

    @Test
    void openais_embedding_models_are_priced_at_its_list_prices_for_input_only() {
        JsonNode prices = as(null).read("/pricing");

        Map<String, String> perThousand = Map.of("text-embedding-3-small", "0.00002",
                "text-embedding-3-large", "0.00013", "text-embedding-ada-002", "0.0001");
        perThousand.forEach((model, usd) -> assertThat(prices)
                .filteredOn(p -> p.path("model").asString().equals(model)).singleElement().satisfies(p -> {
                    assertThat(p.path("provider").asString()).isEqualTo("openai");
                    assertThat(p.path("input_usd_per_1k").decimalValue()).isEqualByComparingTo(usd);
                    assertThat(p.path("output_usd_per_1k").decimalValue()).isEqualByComparingTo("0");
                }));
    }

    @Test
    void a_price_is_deleted_by_the_provider_name_it_was_set_with_in_any_case() {
        JsonNode price = Admin.json(platform().put("/pricing/CaseLLM/case-1",
                Map.of("input_usd_per_1k", 10, "output_usd_per_1k", new BigDecimal("0.5"))), HttpStatus.OK);
        assertThat(price.path("provider").asString()).isEqualTo("casellm");

        platform().delete("/pricing/CaseLLM/case-1").expectStatus().isNoContent();
        assertThat(as(null).read("/pricing")).extracting(p -> p.path("model").asString()).doesNotContain("case-1");
    }
}
