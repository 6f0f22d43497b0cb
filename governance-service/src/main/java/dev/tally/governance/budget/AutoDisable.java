package dev.tally.governance.budget;

import dev.tally.events.governance.EntityStatus;
import dev.tally.events.governance.MemberStatus;
import dev.tally.events.ledger.BudgetExhaustedEvent;
import dev.tally.governance.hierarchy.Group;
import dev.tally.governance.hierarchy.HierarchyStore;
import dev.tally.governance.hierarchy.Member;
import dev.tally.governance.hierarchy.Org;
import dev.tally.governance.hierarchy.Project;
import dev.tally.governance.hierarchy.Workspace;
import dev.tally.governance.support.Changes;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

import java.time.Instant;
import java.util.Map;

/**
 * Disables what an exhausted auto-disable budget caps: an ACTIVE or ON_VACATION agent or user becomes
 * BUDGET_EXHAUSTED; an ACTIVE group, workspace, organisation or project becomes INACTIVE. Anything else stays as it
 * is: a replayed event changes nothing, and a DISABLED or SUSPENDED set by an administrator is not lost (re-enabling
 * after the budget would otherwise lift it too). Re-enabling is an administrator's decision (PATCH the target).
 */
@Component
public class AutoDisable {

    static final String ACTOR = "ledger:budget-exhausted";

    private final HierarchyStore store;
    private final Changes changes;

    public AutoDisable(HierarchyStore store, Changes changes) {
        this.store = store;
        this.changes = changes;
    }

    public Mono<Void> disable(BudgetExhaustedEvent event) {
        String id = event.scope().id();
        Instant now = Instant.now();
        // Empty when the target needed no change; only a change is audited.
        Mono<Boolean> disabled = switch (event.scope().level()) {
            case MEMBER -> store.member(id)
                    .filter(m -> m.status() == MemberStatus.ACTIVE || m.status() == MemberStatus.ON_VACATION)
                    .flatMap(m -> {
                        Member off = new Member(m.id(), m.orgId(), m.workspaceId(), m.groupId(), m.kind(), m.name(),
                                m.email(), MemberStatus.BUDGET_EXHAUSTED, m.personalQuota(), m.groupAdmin(),
                                m.createdAt(), now);
                        return store.update(m, off).flatMap(stored -> changes.publish(stored.state())).thenReturn(true);
                    });
            case GROUP -> store.group(id).filter(g -> g.status() == EntityStatus.ACTIVE).flatMap(g -> {
                Group off = new Group(g.id(), g.orgId(), g.workspaceId(), g.kind(), g.name(), g.description(),
                        EntityStatus.INACTIVE, g.poolCredits(), g.createdAt(), now);
                return store.update(g, off).flatMap(stored -> changes.publish(stored.state())).thenReturn(true);
            });
            case WORKSPACE -> store.workspace(id).filter(w -> w.status() == EntityStatus.ACTIVE).flatMap(w -> {
                Workspace off = new Workspace(w.id(), w.orgId(), w.name(), EntityStatus.INACTIVE, w.isDefault(),
                        w.createdAt(), now);
                return store.update(w, off).flatMap(stored -> changes.publish(stored.state())).thenReturn(true);
            });
            case ORG -> store.org(id).filter(o -> o.status() == EntityStatus.ACTIVE).flatMap(o -> {
                Org off = o.withStatus(EntityStatus.INACTIVE, now);
                return store.update(o, off).flatMap(stored -> changes.publish(stored.state())).thenReturn(true);
            });
            case PROJECT -> store.project(id).filter(p -> p.status() == EntityStatus.ACTIVE).flatMap(p -> {
                Project off = new Project(p.id(), p.orgId(), p.name(), p.description(), EntityStatus.INACTIVE,
                        p.createdAt(), now);
                return store.update(off).then(changes.publish(off.state())).thenReturn(true);
            });
        };
        return changes.commit(disabled.flatMap(changed -> changes.audit(event.ledgerId(), ACTOR,
                "budget.auto-disabled", event.scope().level().name().toLowerCase(java.util.Locale.ROOT), id,
                Map.of("budget_id", event.budgetId(), "window_start", String.valueOf(event.windowStart()),
                        "spent_credits", event.spentCredits()))));
    }
}
