package dev.tally.analytics.support;

import dev.tally.events.gateway.GatewayRequestRecord;
import dev.tally.events.gateway.RequestOutcome;
import dev.tally.events.governance.EntityStatus;
import dev.tally.events.governance.GroupKind;
import dev.tally.events.governance.GroupState;
import dev.tally.events.governance.MemberKind;
import dev.tally.events.governance.MemberState;
import dev.tally.events.governance.MemberStatus;
import dev.tally.events.governance.OrgState;
import dev.tally.events.governance.ProjectState;
import dev.tally.events.ledger.BudgetDefinedEvent;
import dev.tally.events.ledger.BudgetExhaustedEvent;
import dev.tally.events.ledger.BudgetPeriod;
import dev.tally.events.ledger.BudgetThresholdCrossedEvent;
import dev.tally.events.ledger.CreditReservedEvent;
import dev.tally.events.ledger.CreditsPurchasedEvent;
import dev.tally.events.ledger.CreditsTransferredEvent;
import dev.tally.events.ledger.LeaseChargedEvent;
import dev.tally.events.ledger.Leg;
import dev.tally.events.ledger.Priority;
import dev.tally.events.ledger.Scope;
import dev.tally.events.ledger.ScopeLevel;
import dev.tally.events.ledger.UsageRecordedEvent;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

/** Records of one test organisation, built with shared-events' own types. */
public final class Fixtures {

    public final String org;
    public final String pool;

    public Fixtures(String prefix) {
        this.org = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        this.pool = org + "-pool";
    }

    public OrgState orgState(String name) {
        return new OrgState(org, name, org, EntityStatus.ACTIVE, org, pool, 100, Instant.now());
    }

    public GroupState team(String id, String name) {
        return new GroupState(id, org, org + "-ws", GroupKind.TEAM, name, EntityStatus.ACTIVE, id + "-pool",
                Instant.now());
    }

    public MemberState member(String id, String name, MemberKind kind, String groupId) {
        return new MemberState(id, org, org + "-ws", groupId, kind, name, null, MemberStatus.ACTIVE,
                kind == MemberKind.USER ? id + "-acct" : null, 0, Instant.now());
    }

    public ProjectState project(String id, String name) {
        return new ProjectState(id, org, name, EntityStatus.ACTIVE, Instant.now());
    }

    public CreditsPurchasedEvent purchase(long credits, Instant at) {
        return new CreditsPurchasedEvent(org, UUID.randomUUID().toString(), at, pool, credits, "admin-key:test",
                "invoice-1");
    }

    public CreditsTransferredEvent transfer(String from, String to, long credits, Instant at) {
        return new CreditsTransferredEvent(org, UUID.randomUUID().toString(), at, from, to, credits, "admin-key:test",
                "vacation cover");
    }

    public BudgetDefinedEvent budget(String id, ScopeLevel level, String scopeId, BudgetPeriod period, long limit) {
        return new BudgetDefinedEvent(org, UUID.randomUUID().toString(), Instant.now(), id, new Scope(level, scopeId),
                period, limit, List.of(50, 80), false, "admin-key:test");
    }

    public CreditReservedEvent reserve(String reservationId, long credits, Instant at) {
        return new CreditReservedEvent(org, UUID.randomUUID().toString(), at, reservationId, credits,
                List.of(new Leg(pool, credits)), List.of(), List.of(new Scope(ScopeLevel.ORG, org)), Priority.NORMAL,
                at.plusSeconds(600));
    }

    /** A settled request: charged from the org pool, counted against every scope of the chain. */
    public UsageRecordedEvent usage(String reservationId, long charged, Instant at, Scope... chain) {
        return new UsageRecordedEvent(org, UUID.randomUUID().toString(), at, reservationId, charged + 10, charged,
                charged, 0, 10, List.of(new Leg(pool, charged)), List.of(chain), 100, 50, "gpt-4o-mini", "openai");
    }

    /** One request charged against a lease from the org pool, which keeps {@code remaining} open afterwards. */
    public LeaseChargedEvent leaseCharge(String leaseId, String requestId, long charged, long remaining, Instant at,
            Scope... chain) {
        return new LeaseChargedEvent(org, UUID.randomUUID().toString(), at, leaseId, requestId, charged, charged, 0,
                remaining, List.of(new Leg(pool, charged)), List.of(chain), 100, 50, "gpt-4o-mini", "openai");
    }

    public BudgetThresholdCrossedEvent threshold(String budgetId, Scope scope, int percent, long spent, long limit) {
        return new BudgetThresholdCrossedEvent(org, UUID.randomUUID().toString(), Instant.now(), budgetId, scope,
                BudgetPeriod.MONTHLY, Instant.now().atZone(ZoneOffset.UTC).toLocalDate().withDayOfMonth(1), percent,
                spent, limit);
    }

    /** The ledger's announcement that a TOTAL budget reached its limit at {@code at}. */
    public BudgetExhaustedEvent exhaustedTotal(String budgetId, Scope scope, long spent, long limit, Instant at) {
        return new BudgetExhaustedEvent(org, UUID.randomUUID().toString(), at, budgetId, scope, BudgetPeriod.TOTAL,
                java.time.LocalDate.EPOCH, spent, limit, false);
    }

    public GatewayRequestRecord request(String member, MemberKind kind, String project, String model,
            String provider, long prompt, long completion, long charged, Instant at) {
        return request(UUID.randomUUID().toString(), member, kind, project, model, provider, prompt, completion,
                charged, RequestOutcome.SUCCESS, at);
    }

    public GatewayRequestRecord request(String requestId, String member, MemberKind kind, String project,
            String model, String provider, long prompt, long completion, long charged, RequestOutcome outcome,
            Instant at) {
        boolean ok = outcome == RequestOutcome.SUCCESS;
        return new GatewayRequestRecord(requestId, org, member, kind, "key-" + member, project, model, model,
                provider, false, false, "normal", outcome, ok ? 200 : 402, ok ? null : "budget_exceeded", null,
                prompt, completion, ok ? charged + 5 : 0, ok ? charged : 0, 120, 100, at);
    }
}
