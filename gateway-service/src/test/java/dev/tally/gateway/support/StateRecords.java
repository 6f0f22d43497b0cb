package dev.tally.gateway.support;

import dev.tally.events.governance.ApiKeyState;
import dev.tally.events.governance.EntityStatus;
import dev.tally.events.governance.GovernanceState;
import dev.tally.events.governance.GroupKind;
import dev.tally.events.governance.GroupState;
import dev.tally.events.governance.KeyStatus;
import dev.tally.events.governance.MemberKind;
import dev.tally.events.governance.MemberState;
import dev.tally.events.governance.MemberStatus;
import dev.tally.events.governance.OrgState;
import dev.tally.events.governance.WorkspaceState;
import dev.tally.gateway.state.GovernanceView;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

/** Governance state records for unit tests, as governance publishes them on tally.governance.state. */
public final class StateRecords {

    public static final Instant AT = Instant.parse("2025-01-06T12:00:00Z");
    public static final String ORG = "org-1";
    public static final String WORKSPACE = "ws-1";
    public static final String TEAM = "team-1";

    private StateRecords() {
    }

    public static OrgState org(EntityStatus status) {
        return new OrgState(ORG, "Acme", "acme", status, "ledger-1", "acct-org-pool", 100, AT);
    }

    public static WorkspaceState workspace(EntityStatus status) {
        return new WorkspaceState(WORKSPACE, ORG, "Engineering", status, AT);
    }

    public static GroupState team(String id, EntityStatus status) {
        return new GroupState(id, ORG, WORKSPACE, GroupKind.TEAM, "Team " + id, status, "acct-pool-" + id, AT);
    }

    public static MemberState user(String id, String groupId, MemberStatus status) {
        return new MemberState(id, ORG, WORKSPACE, groupId, MemberKind.USER, "User " + id, id + "@acme.test", status,
                "acct-" + id, 1000, AT);
    }

    public static MemberState agent(String id, String groupId) {
        return new MemberState(id, ORG, WORKSPACE, groupId, MemberKind.AGENT, "Agent " + id, null,
                MemberStatus.ACTIVE, "acct-" + id, 0, AT);
    }

    public static ApiKeyState key(String rawKey, String memberId, KeyStatus status) {
        return key(rawKey, memberId, status, null);
    }

    /** @param expiresAt null for a key that never expires */
    public static ApiKeyState key(String rawKey, String memberId, KeyStatus status, java.time.Instant expiresAt) {
        return new ApiKeyState(sha256Hex(rawKey), "key-" + memberId, ORG, memberId, "laptop",
                rawKey.substring(rawKey.length() - 4), status, AT, expiresAt);
    }

    /** Lower-case hex SHA-256 of the whole key, as governance stores it. */
    public static String sha256Hex(String rawKey) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(rawKey.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static GovernanceView viewOf(GovernanceState... states) {
        GovernanceView view = new GovernanceView();
        for (GovernanceState state : states) {
            view.apply(state.stateKey(), state);
        }
        return view;
    }
}
