package dev.tally.governance.org;

import dev.tally.governance.auth.Caller;
import dev.tally.governance.auth.KeyLifetime;
import dev.tally.governance.auth.Role;
import dev.tally.governance.support.Changes;
import dev.tally.governance.web.ApiException;
import dev.tally.governance.web.Check;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Instant;
import java.util.Locale;
import java.util.Map;

@RestController
public class OrgController {

    private final OrgService orgs;
    private final AdminKeyStore adminKeys;
    private final Changes changes;

    public OrgController(OrgService orgs, AdminKeyStore adminKeys, Changes changes) {
        this.orgs = orgs;
        this.adminKeys = adminKeys;
        this.changes = changes;
    }

    @PostMapping("/orgs")
    @ResponseStatus(HttpStatus.CREATED)
    public Mono<OrgView> create(Caller caller, @RequestBody OrgRequests.CreateOrg request) {
        return orgs.create(caller, request);
    }

    @GetMapping("/orgs")
    public Flux<OrgView> list(Caller caller) {
        return orgs.list(caller);
    }

    @GetMapping("/orgs/{orgId}")
    public Mono<OrgView> get(Caller caller, @PathVariable String orgId) {
        return orgs.get(caller, orgId);
    }

    @PatchMapping("/orgs/{orgId}")
    public Mono<OrgView> update(Caller caller, @PathVariable String orgId,
            @RequestBody OrgRequests.UpdateOrg request) {
        return orgs.update(caller, orgId, request);
    }

    @PostMapping("/orgs/{orgId}/admin-keys")
    @ResponseStatus(HttpStatus.CREATED)
    public Mono<AdminKeyView> createAdminKey(Caller caller, @PathVariable String orgId,
            @RequestBody OrgRequests.CreateAdminKey request) {
        return orgs.find(caller, orgId).flatMap(org -> {
            caller.requireOrgOwner(org.id(), "organisation", orgId);
            String name = Check.name(request.name(), "name");
            Role role = request.role() == null ? Role.ORG_ADMIN : parseRole(request.role());
            Instant expiresAt = KeyLifetime.expiresAt(request.expiresAt(), Instant.now());
            return changes.commit(adminKeys.create(org.id(), role, name, expiresAt)
                    .flatMap(key -> changes.audit(org.id(), caller.actor(), "admin-key.created", "admin_key",
                            key.id(), Map.of("role", role.name())).thenReturn(key)));
        });
    }

    /**
     * A new key with the same role and name; the old one keeps working until the grace deadline (or its own earlier
     * expiry), so whatever uses it can switch over.
     */
    @PostMapping("/orgs/{orgId}/admin-keys/{keyId}/rotate")
    @ResponseStatus(HttpStatus.CREATED)
    public Mono<AdminKeyView> rotateAdminKey(Caller caller, @PathVariable String orgId, @PathVariable String keyId,
            @RequestBody(required = false) OrgRequests.RotateAdminKey request) {
        return orgs.find(caller, orgId).flatMap(org -> {
            caller.requireOrgOwner(org.id(), "organisation", orgId);
            Instant now = Instant.now();
            Instant deadline = KeyLifetime.graceDeadline(request == null ? null : request.graceSeconds(), now);
            Instant newExpiry = KeyLifetime.expiresAt(request == null ? null : request.expiresAt(), now);
            return adminKeys.find(keyId)
                    .filter(key -> org.id().equals(key.orgId()))
                    .switchIfEmpty(Mono.error(() -> ApiException.notFound("admin key", keyId)))
                    .flatMap(old -> {
                        if (!old.isActive()) {
                            return Mono.error(ApiException.conflict("key_inactive", "admin key " + keyId + " is "
                                    + (old.revokedAt() != null ? "revoked" : "expired")
                                    + "; create a new key instead of rotating it", null));
                        }
                        Instant oldExpiry = KeyLifetime.afterRotation(old.expiresAt(), deadline);
                        return changes.commit(adminKeys.expireAt(old.id(), oldExpiry)
                                        .then(adminKeys.create(org.id(), Role.valueOf(old.role()), old.name(),
                                                newExpiry))
                                        .flatMap(created -> changes.audit(org.id(), caller.actor(),
                                                        "admin-key.rotated", "admin_key", old.id(),
                                                        Map.of("new_key_id", created.id(),
                                                                "expires_at", oldExpiry.toString()))
                                                .thenReturn(created)))
                                .flatMap(created -> adminKeys.find(old.id()).map(created::replacing));
                    });
        });
    }

    @GetMapping("/orgs/{orgId}/admin-keys")
    public Flux<AdminKeyView> listAdminKeys(Caller caller, @PathVariable String orgId) {
        // Role.ORG_ADMIN: everything except admin keys, which includes knowing who holds them.
        return orgs.find(caller, orgId).flatMapMany(org -> {
            caller.requireOrgOwner(org.id(), "organisation", orgId);
            return adminKeys.list(org.id());
        });
    }

    @DeleteMapping("/orgs/{orgId}/admin-keys/{keyId}")
    public Mono<AdminKeyView> revokeAdminKey(Caller caller, @PathVariable String orgId, @PathVariable String keyId) {
        return orgs.find(caller, orgId).flatMap(org -> {
            caller.requireOrgOwner(org.id(), "organisation", orgId);
            return adminKeys.find(keyId)
                    .filter(key -> org.id().equals(key.orgId()))
                    .switchIfEmpty(Mono.error(() -> ApiException.notFound("admin key", keyId)))
                    .flatMap(key -> changes.commit(adminKeys.revoke(key.id())
                            .then(changes.audit(org.id(), caller.actor(), "admin-key.revoked", "admin_key", key.id(),
                                    Map.of()))))
                    .then(adminKeys.find(keyId));
        });
    }

    private static Role parseRole(String role) {
        return switch (role.toLowerCase(Locale.ROOT)) {
            case "org_admin", "admin" -> Role.ORG_ADMIN;
            case "org_owner", "owner" -> Role.ORG_OWNER;
            default -> throw ApiException.invalid("role", "must be one of org_admin, org_owner");
        };
    }
}
