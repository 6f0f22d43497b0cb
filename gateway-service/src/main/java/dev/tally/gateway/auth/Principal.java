package dev.tally.gateway.auth;

import dev.tally.events.governance.ApiKeyState;
import dev.tally.events.governance.GroupState;
import dev.tally.events.governance.MemberKind;
import dev.tally.events.governance.MemberState;
import dev.tally.events.governance.OrgState;
import dev.tally.events.governance.WorkspaceState;
import dev.tally.events.ledger.Scope;

import java.util.List;

/**
 * Who is calling, resolved from the key: the member and every node above it.
 *
 * @param chain the scopes from the org down to the member, in that order; budgets and policies attach to these
 */
public record Principal(ApiKeyState key, MemberState member, GroupState group, WorkspaceState workspace,
        OrgState org, List<Scope> chain) {

    public boolean isUser() {
        return member.kind() == MemberKind.USER;
    }
}
