package dev.tally.analytics.directory;

import dev.tally.events.governance.GovernanceState;
import dev.tally.events.governance.GroupState;
import dev.tally.events.governance.MemberState;
import dev.tally.events.governance.OrgState;
import dev.tally.events.governance.ProjectState;
import dev.tally.events.governance.WorkspaceState;
import org.springframework.stereotype.Component;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This service's copy of tally.governance.state: the names people recognise in place of ids (admin keys are kept
 * apart, in {@link dev.tally.servicekit.auth.AdminKeys}). Every state key is {@code <kind>:<id>}, so one map serves every lookup.
 */
@Component
public class GovernanceDirectory {

    private final Map<String, GovernanceState> byKey = new ConcurrentHashMap<>();

    public void apply(String key, GovernanceState state) {
        if (state == null) {
            byKey.remove(key);
        } else {
            byKey.put(key, state);
        }
    }

    public MemberState member(String id) {
        return id != null && byKey.get("member:" + id) instanceof MemberState m ? m : null;
    }

    public GroupState group(String id) {
        return id != null && byKey.get("group:" + id) instanceof GroupState g ? g : null;
    }

    public List<OrgState> orgs() {
        return byKey.values().stream().filter(OrgState.class::isInstance).map(OrgState.class::cast)
                .sorted(Comparator.comparing(OrgState::name)).toList();
    }

    /** A display name for an id of any kind, or null when governance never published it. */
    public String nameOf(String kind, String id) {
        if (id == null) {
            return null;
        }
        GovernanceState state = byKey.get(kind + ":" + id);
        if (state instanceof MemberState m) {
            return m.name();
        } else if (state instanceof GroupState g) {
            return g.name();
        } else if (state instanceof ProjectState p) {
            return p.name();
        } else if (state instanceof WorkspaceState w) {
            return w.name();
        } else if (state instanceof OrgState o) {
            return o.name();
        }
        return null;
    }

    /** The name of the node a ledger scope names; ORG, WORKSPACE, GROUP, MEMBER and PROJECT match the state kinds. */
    public String scopeName(String level, String id) {
        return nameOf(level.toLowerCase(java.util.Locale.ROOT), id);
    }

    /** Which team or agent group a member belongs to now; cost allocation charges a member's spend there. */
    public String groupOf(String memberId) {
        MemberState member = member(memberId);
        return member == null ? null : member.groupId();
    }

    /** Which ledger account belongs to whom, so transfers read "Team Platform → Alice" rather than account ids. */
    public String accountOwner(String accountId) {
        for (GovernanceState state : byKey.values()) {
            if (state instanceof OrgState o && accountId.equals(o.poolAccountId())) {
                return o.name() + " (org pool)";
            } else if (state instanceof GroupState g && accountId.equals(g.poolAccountId())) {
                return g.name() + " (team pool)";
            } else if (state instanceof MemberState m && accountId.equals(m.accountId())) {
                return m.name();
            }
        }
        return null;
    }
}
