package dev.tally.gateway.auth;

import dev.tally.events.governance.ApiKeyState;
import dev.tally.events.governance.EntityStatus;
import dev.tally.events.governance.GroupState;
import dev.tally.events.governance.KeyStatus;
import dev.tally.events.governance.MemberState;
import dev.tally.events.governance.MemberStatus;
import dev.tally.events.governance.OrgState;
import dev.tally.events.governance.WorkspaceState;
import dev.tally.events.gateway.RequestOutcome;
import dev.tally.events.ledger.Scope;
import dev.tally.events.ledger.ScopeLevel;
import dev.tally.gateway.error.GatewayException;
import dev.tally.gateway.state.GovernanceView;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The gateway's first checks of a request (docs/gateway.md): the key by its SHA-256 (active and not expired), then
 * the status of everything from the member up to the org.
 */
@Component
public class KeyAuthenticator {

    private final GovernanceView view;

    public KeyAuthenticator(GovernanceView view) {
        this.view = view;
    }

    public Principal authenticate(String authorization) {
        String key = bearer(authorization);
        // A revoked key is not kept in the view (GovernanceView), so it is refused as an unknown one.
        ApiKeyState apiKey = view.key(sha256(key)).orElseThrow(() -> GatewayException.unauthenticated(
                "Incorrect API key provided: it is unknown or was revoked."));
        if (apiKey.status() != KeyStatus.ACTIVE) {
            throw GatewayException.unauthenticated("This API key has been revoked.");
        }
        // Nothing is published when a key expires: each gateway compares the expiry with its own clock (and forgets
        // the key a while later: GovernanceView#forgetExpiredKeys).
        if (!apiKey.usableAt(Instant.now())) {
            throw GatewayException.unauthenticated("This API key expired at " + apiKey.expiresAt() + ".");
        }
        MemberState member = view.member(apiKey.memberId())
                .orElseThrow(() -> GatewayException.unauthenticated("The key's owner no longer exists."));
        checkMember(member);
        OrgState org = view.org(member.orgId())
                .orElseThrow(() -> GatewayException.unauthenticated("The key's organisation no longer exists."));
        if (org.status() != EntityStatus.ACTIVE) {
            throw GatewayException.forbidden("org_inactive", "The organisation is inactive.", null);
        }
        WorkspaceState workspace = view.workspace(member.workspaceId()).orElse(null);
        if (workspace != null && workspace.status() != EntityStatus.ACTIVE) {
            throw GatewayException.forbidden("workspace_inactive", "The workspace " + workspace.name()
                    + " is inactive.", null);
        }
        GroupState group = view.group(member.groupId()).orElse(null);
        if (group != null && group.status() != EntityStatus.ACTIVE) {
            throw GatewayException.forbidden("group_inactive", "The group " + group.name() + " is inactive.", null);
        }
        List<Scope> chain = new ArrayList<>(4);
        chain.add(new Scope(ScopeLevel.ORG, org.id()));
        if (workspace != null) {
            chain.add(new Scope(ScopeLevel.WORKSPACE, workspace.id()));
        }
        if (group != null) {
            chain.add(new Scope(ScopeLevel.GROUP, group.id()));
        }
        chain.add(new Scope(ScopeLevel.MEMBER, member.id()));
        return new Principal(apiKey, member, group, workspace, org, List.copyOf(chain));
    }

    private static void checkMember(MemberState member) {
        MemberStatus status = member.status();
        if (status == MemberStatus.BUDGET_EXHAUSTED) {
            throw GatewayException.paymentRequired("budget_exhausted", member.name()
                    + " was disabled because a budget with auto_disable was exhausted; an administrator can "
                    + "re-enable it.", RequestOutcome.BUDGET_EXCEEDED, null);
        }
        if (status == MemberStatus.DISABLED || status == MemberStatus.SUSPENDED) {
            throw GatewayException.forbidden("member_disabled", member.name() + " is "
                    + status.name().toLowerCase(java.util.Locale.ROOT) + ".", null);
        }
    }

    private static String bearer(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw GatewayException.unauthenticated("You didn't provide an API key. Send 'Authorization: Bearer cpk_…'.");
        }
        return authorization.substring(7).strip();
    }

    static String sha256(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
