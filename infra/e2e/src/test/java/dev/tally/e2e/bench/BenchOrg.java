package dev.tally.e2e.bench;

import dev.tally.e2e.support.Governance;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The benchmark's organisation, made only through governance's admin API as an administrator would: one organisation
 * with plenty of credit; for scenario A one agent with a key; for scenario B a thousand agents of one agent group,
 * each with a key and a DAILY budget of its own. Every agent has such a budget (A's too), so that the two scenarios
 * differ only in how many keys share the load.
 *
 * <p>One credit is a micro-dollar ({@code credits_per_usd} 1,000,000), so a request costs tens of credits and the
 * exactness check compares real arithmetic rather than a count of one-credit requests.
 */
record BenchOrg(String id, long creditsPerUsd, long purchased, Governance owner, String singleKey,
        List<String> manyKeys, Map<String, String> agentByKey) {

    static final long CREDITS_PER_USD = 1_000_000;
    /** Far more than the run can spend: about 40 credits a request, a few hundred thousand requests. */
    static final long PURCHASE = 10_000_000_000L;
    /** Each agent's DAILY budget: never reached, and a twentieth of it (a lease's cap) is thousands of requests. */
    static final long DAILY_BUDGET = 100_000_000L;
    private static final int PROGRESS_EVERY = 200;
    /** Governance calls in flight while the thousand agents are made: a budget waits for the ledger's answer. */
    private static final int PARALLEL_CALLS = 8;

    static BenchOrg create(String governanceUrl, String adminKey, int manyAgents)
            throws InterruptedException, ExecutionException {
        Governance platform = new Governance(governanceUrl, adminKey);
        JsonNode org = platform.post("/orgs", Map.of("name", "Product benchmark " + System.currentTimeMillis(),
                "credits_per_usd", CREDITS_PER_USD));
        String orgId = org.path("id").asString();
        Governance owner = platform.as(org.path("owner_key").path("plaintext_key").asString());
        purchase(owner, orgId);
        String workspace = org.path("default_workspace_id").asString();
        String singleGroup = group(owner, workspace, "one-key");
        Map<String, String> singleAgent = new ConcurrentHashMap<>();
        String singleKey = agentWithKeyAndBudget(owner, singleGroup, "agent-a", singleAgent);

        String manyGroup = group(owner, workspace, "many-keys");
        List<String> manyKeys = new ArrayList<>();
        Map<String, String> agentByKey = new ConcurrentHashMap<>();
        long begin = System.nanoTime();
        ExecutorService calls = Executors.newFixedThreadPool(PARALLEL_CALLS);
        try {
            List<Future<String>> keys = new ArrayList<>();
            for (int i = 0; i < manyAgents; i++) {
                String name = String.format("agent-b-%04d", i);
                keys.add(calls.submit(() -> agentWithKeyAndBudget(owner, manyGroup, name, agentByKey)));
            }
            for (Future<String> key : keys) {
                manyKeys.add(key.get());
                if (manyKeys.size() % PROGRESS_EVERY == 0) {
                    System.out.printf("  %,d agents with a key and a budget (%.0f s)%n", manyKeys.size(),
                            (System.nanoTime() - begin) / 1e9);
                }
            }
        } finally {
            calls.shutdownNow();
        }
        // Concurrent writes can make governance's state relay drop records: it deletes "seq <= the last seq it sent",
        // which also removes a row whose transaction took a lower seq but committed after the relay read the outbox,
        // unsent (the gateway then answers "The key's owner no longer exists." for good). ProductBenchmark repairs
        // the agents whose keys the gateway refuses (repairAgent). POST /admin/republish would be the documented
        // repair, but with a thousand agents it did not answer within minutes.
        agentByKey.putAll(singleAgent);
        return new BenchOrg(orgId, CREDITS_PER_USD, PURCHASE, owner, singleKey, List.copyOf(manyKeys),
                Map.copyOf(agentByKey));
    }

    /** Sent again with the same idempotency key until the ledger has applied it (a slow ledger answers 202 first). */
    private static void purchase(Governance owner, String orgId) throws InterruptedException {
        Map<String, Object> body = Map.of("org_id", orgId, "amount", PURCHASE, "idempotency_key", "product-bench");
        for (int attempt = 1; ; attempt++) {
            String status;
            try {
                status = owner.post("/credits/purchase", body).path("status").asString();
            } catch (AssertionError pending) {
                status = String.valueOf(pending.getMessage());
            }
            if ("APPLIED".equals(status)) {
                return;
            }
            if (attempt == 30) {
                throw new IllegalStateException("the purchase was not applied: " + status);
            }
            Thread.sleep(1000);
        }
    }

    private static String group(Governance owner, String workspace, String name) {
        return owner.post("/workspaces/" + workspace + "/agent-groups", Map.of("name", name)).path("id").asString();
    }

    /** An agent, its gateway key and its DAILY budget; returns the key's plaintext. */
    private static String agentWithKeyAndBudget(Governance owner, String group, String name,
            Map<String, String> agentByKey) {
        String agent = owner.post("/agent-groups/" + group + "/agents", Map.of("name", name)).path("id").asString();
        String key = owner.post("/agents/" + agent + "/keys", Map.of("name", name + "-key"))
                .path("plaintext_key").asString();
        JsonNode budget = owner.post("/budgets", Map.of("period", "DAILY", "limit_credits", DAILY_BUDGET,
                "agent_id", agent, "name", name + "-daily"));
        // PENDING only means the ledger answered late; it applies the budget all the same.
        if ("REJECTED".equals(budget.path("ledger_status").asString())) {
            throw new IllegalStateException("the ledger rejected the budget of " + name + ": " + budget);
        }
        agentByKey.put(key, agent);
        return key;
    }

    /** Stages the agent's record again (an unchanged status is still a write), for a gateway that never got it. */
    void repairAgent(String key) {
        owner.patch("/agents/" + agentByKey.get(key), Map.of("status", "ACTIVE"));
    }
}
