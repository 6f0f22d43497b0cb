package dev.tally.gateway.state;

import dev.tally.events.governance.ApiKeyState;
import dev.tally.events.governance.BudgetState;
import dev.tally.events.governance.CredentialState;
import dev.tally.events.governance.GovernanceState;
import dev.tally.events.governance.GroupState;
import dev.tally.events.governance.KeyStatus;
import dev.tally.events.governance.MemberState;
import dev.tally.events.governance.OrgState;
import dev.tally.events.governance.PolicyState;
import dev.tally.events.governance.PriceState;
import dev.tally.events.governance.ProjectMemberState;
import dev.tally.events.governance.ProjectState;
import dev.tally.events.governance.WorkspaceState;
import dev.tally.events.ledger.Scope;
import dev.tally.servicekit.auth.AdminKeys;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The gateway's in-memory copy of tally.governance.state: everything the hot path needs, looked up without I/O.
 * Fed by {@link StateTopicConsumer}; a record replaces the previous one with the same key, a tombstone removes it.
 *
 * <p>Memory follows what can still authenticate or be used, not the topic's history: revoked keys and credentials
 * stay on the compacted topic for ever, but are not kept here (a revoked key then looks unknown, which is answered
 * alike); keys past their {@code expires_at} leave at a sweep a few minutes later
 * ({@link #forgetKeysExpiredBefore}); an index entry (a group's members, a scope's policies…) goes with its last
 * record. Nothing is stored for a key that is not on the topic, so no number of unknown keys grows it.
 */
@Component
public class GovernanceView {

    private final Map<String, GovernanceState> byKey = new ConcurrentHashMap<>();
    private final Map<String, ApiKeyState> keys = new ConcurrentHashMap<>();
    private final Map<String, OrgState> orgs = new ConcurrentHashMap<>();
    private final Map<String, WorkspaceState> workspaces = new ConcurrentHashMap<>();
    private final Map<String, GroupState> groups = new ConcurrentHashMap<>();
    private final Map<String, MemberState> members = new ConcurrentHashMap<>();
    private final Map<String, ProjectState> projects = new ConcurrentHashMap<>();
    private final Map<Scope, Map<String, PolicyState>> policies = new ConcurrentHashMap<>();
    private final Map<Scope, Map<String, BudgetState>> budgets = new ConcurrentHashMap<>();
    private final Map<String, BudgetState> budgetsById = new ConcurrentHashMap<>();
    private final Map<String, PriceState> pricesByModel = new ConcurrentHashMap<>();
    /** Per organisation, its active BYOK credentials by {@code <provider>/<id>}: a request looks at its own only. */
    private final Map<String, Map<String, CredentialState>> credentials = new ConcurrentHashMap<>();
    private final Map<String, Map<String, MemberState>> membersByGroup = new ConcurrentHashMap<>();
    /** Per project, the ids of the users, agents, teams and agent groups it admits. */
    private final Map<String, Set<String>> projectMembers = new ConcurrentHashMap<>();
    /** Platform admins' keys open the gateway's actuator; no admin key opens anything else here. */
    private final AdminKeys adminKeys = new AdminKeys();

    /** Applies one record of the topic: a state, or null for a tombstone of {@code key}. */
    public void apply(String key, GovernanceState state) {
        if (state == null) {
            adminKeys.remove(key);
        } else {
            adminKeys.apply(key, state);
        }
        GovernanceState kept = state != null && kept(state) ? state : null;
        GovernanceState previous = kept == null ? byKey.remove(key) : byKey.put(key, kept);
        if (previous != null) {
            remove(previous);
        }
        if (kept != null) {
            add(kept);
        }
    }

    /** Revoked keys and credentials authenticate and open nothing: they are dropped, as a tombstone would be. */
    private static boolean kept(GovernanceState state) {
        if (state instanceof ApiKeyState k) {
            return k.status() == KeyStatus.ACTIVE;
        }
        if (state instanceof CredentialState c) {
            return c.status() == KeyStatus.ACTIVE;
        }
        return true;
    }

    /**
     * Drops every key whose expiry passed before {@code before}: nothing is published when a key expires, so each
     * gateway forgets it by its own clock ({@link StateTopicConsumer} sweeps with a delay, so that a key that just
     * expired is still refused as expired rather than unknown). A later record of the key (a new expiry) brings it
     * back.
     */
    public void forgetKeysExpiredBefore(Instant before) {
        for (ApiKeyState key : keys.values()) {
            // Both conditional: a newer record of the same key, applied meanwhile, stays.
            if (key.expiresAt() != null && key.expiresAt().isBefore(before) && byKey.remove(key.stateKey(), key)) {
                keys.remove(key.keyHash(), key);
            }
        }
    }

    /** How many records are held: for the bounds' tests. */
    public int size() {
        return byKey.size();
    }

    /** How many entries every index holds, the inner maps' included: for the bounds' tests. */
    int indexEntries() {
        return keys.size() + orgs.size() + workspaces.size() + groups.size() + members.size() + projects.size()
                + budgetsById.size() + pricesByModel.size() + nested(policies) + nested(budgets)
                + nested(credentials) + nested(membersByGroup)
                + projectMembers.size() + projectMembers.values().stream().mapToInt(Set::size).sum();
    }

    private static int nested(Map<?, ? extends Map<?, ?>> index) {
        return index.size() + index.values().stream().mapToInt(Map::size).sum();
    }

    private void add(GovernanceState state) {
        if (state instanceof ApiKeyState k) {
            keys.put(k.keyHash(), k);
        } else if (state instanceof OrgState o) {
            orgs.put(o.id(), o);
        } else if (state instanceof WorkspaceState w) {
            workspaces.put(w.id(), w);
        } else if (state instanceof GroupState g) {
            groups.put(g.id(), g);
        } else if (state instanceof MemberState m) {
            members.put(m.id(), m);
            if (m.groupId() != null) {
                membersByGroup.computeIfAbsent(m.groupId(), id -> new ConcurrentHashMap<>()).put(m.id(), m);
            }
        } else if (state instanceof ProjectState p) {
            projects.put(p.id(), p);
        } else if (state instanceof PolicyState p) {
            policies.computeIfAbsent(p.target(), s -> new ConcurrentHashMap<>()).put(p.id(), p);
        } else if (state instanceof BudgetState b) {
            budgets.computeIfAbsent(b.scope(), s -> new ConcurrentHashMap<>()).put(b.id(), b);
            budgetsById.put(b.id(), b);
        } else if (state instanceof PriceState p) {
            pricesByModel.put(p.model(), p);
        } else if (state instanceof CredentialState c) {
            credentials.computeIfAbsent(c.orgId(), org -> new ConcurrentHashMap<>())
                    .put(c.provider() + "/" + c.id(), c);
        } else if (state instanceof ProjectMemberState m) {
            projectMembers.computeIfAbsent(m.projectId(), id -> ConcurrentHashMap.newKeySet()).add(m.member().id());
        }
    }

    private void remove(GovernanceState state) {
        if (state instanceof ApiKeyState k) {
            keys.remove(k.keyHash());
        } else if (state instanceof OrgState o) {
            orgs.remove(o.id());
        } else if (state instanceof WorkspaceState w) {
            workspaces.remove(w.id());
        } else if (state instanceof GroupState g) {
            groups.remove(g.id());
        } else if (state instanceof MemberState m) {
            members.remove(m.id());
            if (m.groupId() != null) {
                removeFrom(membersByGroup, m.groupId(), m.id());
            }
        } else if (state instanceof ProjectState p) {
            projects.remove(p.id());
        } else if (state instanceof PolicyState p) {
            removeFrom(policies, p.target(), p.id());
        } else if (state instanceof BudgetState b) {
            removeFrom(budgets, b.scope(), b.id());
            budgetsById.remove(b.id());
        } else if (state instanceof PriceState p) {
            pricesByModel.remove(p.model(), p);
        } else if (state instanceof CredentialState c) {
            removeFrom(credentials, c.orgId(), c.provider() + "/" + c.id());
        } else if (state instanceof ProjectMemberState m) {
            projectMembers.computeIfPresent(m.projectId(), (id, admitted) -> {
                admitted.remove(m.member().id());
                return admitted.isEmpty() ? null : admitted;
            });
        }
    }

    /** Removes an entry of an inner map, and the inner map with its last entry. */
    private static <K, V> void removeFrom(Map<K, Map<String, V>> index, K outer, String inner) {
        index.computeIfPresent(outer, (k, entries) -> {
            entries.remove(inner);
            return entries.isEmpty() ? null : entries;
        });
    }

    public Optional<ApiKeyState> key(String keyHash) {
        return Optional.ofNullable(keys.get(keyHash));
    }

    public Optional<OrgState> org(String id) {
        return Optional.ofNullable(orgs.get(id));
    }

    public Optional<WorkspaceState> workspace(String id) {
        return Optional.ofNullable(workspaces.get(id));
    }

    public Optional<GroupState> group(String id) {
        return id == null ? Optional.empty() : Optional.ofNullable(groups.get(id));
    }

    public Optional<MemberState> member(String id) {
        return Optional.ofNullable(members.get(id));
    }

    public Optional<ProjectState> project(String id) {
        return Optional.ofNullable(projects.get(id));
    }

    /** Whether the project admits the member: itself, or the team or agent group it is in. */
    public boolean admitsToProject(String projectId, MemberState member) {
        Set<String> admitted = projectMembers.get(projectId);
        return admitted != null && (admitted.contains(member.id())
                || (member.groupId() != null && admitted.contains(member.groupId())));
    }

    public Collection<MemberState> membersOf(String groupId) {
        Map<String, MemberState> group = membersByGroup.get(groupId);
        return group == null ? List.of() : group.values();
    }

    public Collection<PolicyState> policiesAt(Scope scope) {
        Map<String, PolicyState> atTarget = policies.get(scope);
        return atTarget == null ? List.of() : atTarget.values();
    }

    public Collection<BudgetState> budgetsAt(Scope scope) {
        Map<String, BudgetState> atScope = budgets.get(scope);
        return atScope == null ? List.of() : atScope.values();
    }

    public Optional<BudgetState> budget(String id) {
        return Optional.ofNullable(budgetsById.get(id));
    }

    public Optional<PriceState> price(String model) {
        return Optional.ofNullable(pricesByModel.get(model));
    }

    public Collection<PriceState> prices() {
        return pricesByModel.values();
    }

    /** The organisation's active BYOK credential for a provider, if it has one. */
    public Optional<CredentialState> credential(String orgId, String provider) {
        String prefix = provider + "/";
        return credentials.getOrDefault(orgId, Map.of()).entrySet().stream()
                .filter(e -> e.getKey().startsWith(prefix) && e.getValue().status() == KeyStatus.ACTIVE)
                .map(Map.Entry::getValue)
                .max(java.util.Comparator.comparing(CredentialState::updatedAt));
    }

    public AdminKeys adminKeys() {
        return adminKeys;
    }
}
