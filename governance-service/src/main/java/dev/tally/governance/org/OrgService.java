package dev.tally.governance.org;

import dev.tally.events.governance.EntityStatus;
import dev.tally.events.ledger.OpenLedgerCommand;
import dev.tally.governance.auth.Caller;
import dev.tally.governance.auth.Role;
import dev.tally.governance.hierarchy.HierarchyStore;
import dev.tally.governance.hierarchy.Org;
import dev.tally.governance.hierarchy.Workspace;
import dev.tally.governance.support.Changes;
import dev.tally.governance.support.Ids;
import dev.tally.governance.support.Slugs;
import dev.tally.governance.web.ApiException;
import dev.tally.governance.web.Check;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Instant;
import java.util.Map;

@Service
public class OrgService {

    static final long DEFAULT_CREDITS_PER_USD = 100;

    private final HierarchyStore store;
    private final AdminKeyStore adminKeys;
    private final Changes changes;

    public OrgService(HierarchyStore store, AdminKeyStore adminKeys, Changes changes) {
        this.store = store;
        this.adminKeys = adminKeys;
        this.changes = changes;
    }

    /**
     * Creates the organisation, its default workspace, its owner key (returned once) and, through the ledger outbox,
     * its ledger. The answer says whether the ledger has confirmed yet.
     */
    public Mono<OrgView> create(Caller caller, OrgRequests.CreateOrg request) {
        caller.requirePlatformAdmin();
        String name = Check.name(request.name(), "name");
        String description = Check.optionalText(request.description(), "description", Check.TEXT_MAX);
        long rate = request.creditsPerUsd() == null ? DEFAULT_CREDITS_PER_USD
                : Check.creditsPerUsd(request.creditsPerUsd(), "credits_per_usd");
        long overdraft = Check.notNegative(request.criticalOverdraftLimit(), "critical_overdraft_limit", 0);
        Instant now = Instant.now();
        Org org = new Org(Ids.newId(), name, Slugs.of(name), description, EntityStatus.ACTIVE, rate, overdraft, now,
                now);
        Workspace workspace = new Workspace(Ids.newId(), org.id(), "default", EntityStatus.ACTIVE, true, now, now);
        String openLedger = "open-ledger:" + org.id();
        return store.slugTaken(org.slug())
                .flatMap(taken -> taken
                        ? Mono.error(ApiException.conflict("duplicate_name",
                                "an organisation named like '" + name + "' exists (slug " + org.slug() + ")", "name"))
                        : changes.commit(store.insert(org)
                                .then(store.insert(workspace))
                                .then(changes.publish(org.state()))
                                .then(changes.publish(workspace.state()))
                                .then(changes.stage(new OpenLedgerCommand(openLedger, org.id(), org.id(), overdraft,
                                        caller.actor())))
                                .then(changes.audit(org.id(), caller.actor(), "org.created", "org", org.id(),
                                        Map.of("name", name)))
                                .then(adminKeys.create(org.id(), Role.ORG_OWNER, "owner", null))))
                .flatMap(ownerKey -> changes.dispatch(openLedger)
                        .map(outcome -> OrgView.of(org, workspace.id())
                                .withCreation(outcome.status().name(), ownerKey)));
    }

    public Flux<OrgView> list(Caller caller) {
        if (!caller.isPlatformAdmin() && caller.orgId() == null) {
            return Flux.empty();
        }
        return store.orgs(caller.isPlatformAdmin() ? null : caller.orgId())
                .filter(org -> caller.administers(org.id()))
                .concatMap(this::view);
    }

    public Mono<OrgView> get(Caller caller, String orgId) {
        return find(caller, orgId).flatMap(this::view);
    }

    public Mono<OrgView> update(Caller caller, String orgId, OrgRequests.UpdateOrg request) {
        return find(caller, orgId).flatMap(org -> {
            EntityStatus status = request.status() != null ? request.status()
                    : request.isActive() != null ? (request.isActive() ? EntityStatus.ACTIVE : EntityStatus.INACTIVE)
                    : org.status();
            long rate = request.creditsPerUsd() == null ? org.creditsPerUsd()
                    : Check.creditsPerUsd(request.creditsPerUsd(), "credits_per_usd");
            requirePlatformAdminFor(caller, org, status, request.status() != null ? "status" : "is_active", rate);
            Org updated = new Org(org.id(),
                    request.name() == null ? org.name() : Check.name(request.name(), "name"), org.slug(),
                    request.description() == null ? org.description()
                            : Check.text(request.description(), "description", Check.TEXT_MAX),
                    status, rate, org.criticalOverdraftLimit(), org.createdAt(), Instant.now());
            return changes.commit(store.update(org, updated)
                            .flatMap(stored -> changes.publish(stored.state())
                                    .then(changes.audit(org.id(), caller.actor(), "org.updated", "org", org.id(),
                                            Map.of("status", stored.status().name())))
                                    .thenReturn(stored)))
                    .flatMap(this::view);
        });
    }

    /**
     * An organisation's own administrators may switch it off (a kill switch for all its spending), but switching it
     * back on and the credit rate (what its credits are worth) are the platform's decisions: an organisation a
     * platform admin stopped must not be able to start itself again, nor price its own credits.
     */
    static void requirePlatformAdminFor(Caller caller, Org org, EntityStatus status, String statusField, long rate) {
        if (caller.isPlatformAdmin()) {
            return;
        }
        if (org.status() != EntityStatus.ACTIVE && status == EntityStatus.ACTIVE) {
            throw new ApiException(HttpStatus.FORBIDDEN, "forbidden", "only a platform admin can reactivate an "
                    + "organisation", statusField, "only a platform admin can reactivate an organisation");
        }
        if (rate != org.creditsPerUsd()) {
            throw new ApiException(HttpStatus.FORBIDDEN, "forbidden", "only a platform admin can change "
                    + "credits_per_usd", "credits_per_usd", "only a platform admin can change it");
        }
    }

    public Mono<Org> find(Caller caller, String orgId) {
        return store.org(orgId)
                .switchIfEmpty(Mono.error(() -> ApiException.notFound("organisation", orgId)))
                .doOnNext(org -> caller.requireOrgAdmin(org.id(), "organisation", orgId));
    }

    private Mono<OrgView> view(Org org) {
        return store.defaultWorkspace(org.id()).map(Workspace::id).defaultIfEmpty("")
                .map(ws -> OrgView.of(org, ws.isEmpty() ? null : ws));
    }
}
