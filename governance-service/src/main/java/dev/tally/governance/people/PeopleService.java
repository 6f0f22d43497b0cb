package dev.tally.governance.people;

import dev.tally.events.governance.EntityStatus;
import dev.tally.events.governance.GroupKind;
import dev.tally.events.governance.MemberKind;
import dev.tally.events.governance.MemberStatus;
import dev.tally.events.ledger.AccountKind;
import dev.tally.events.ledger.OpenAccountCommand;
import dev.tally.governance.auth.Caller;
import dev.tally.governance.credit.CreditService;
import dev.tally.governance.credit.CreditTransfer;
import dev.tally.governance.credit.TransferView;
import dev.tally.governance.hierarchy.Group;
import dev.tally.governance.hierarchy.HierarchyStore;
import dev.tally.governance.hierarchy.Lookup;
import dev.tally.governance.hierarchy.Member;
import dev.tally.governance.hierarchy.Org;
import dev.tally.governance.key.ApiKeyService;
import dev.tally.governance.key.ApiKeyStore;
import dev.tally.governance.key.ApiKeyView;
import dev.tally.governance.people.PeopleViews.TeamView;
import dev.tally.governance.people.PeopleViews.UserView;
import dev.tally.governance.support.Changes;
import dev.tally.governance.support.Ids;
import dev.tally.governance.web.ApiException;
import dev.tally.governance.web.Check;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Users with personal quotas and teams with common pools. Both are ledger accounts funded from
 * the org pool; what the ledger refuses (the org pool is short) shows as a REFUSED allocation, not as credit.
 */
@Service
public class PeopleService {

    private final HierarchyStore store;
    private final Lookup lookup;
    private final Changes changes;
    private final CreditService credits;
    private final ApiKeyService keys;
    private final VacationShareBudget vacationShare;

    public PeopleService(HierarchyStore store, Lookup lookup, Changes changes, CreditService credits,
            ApiKeyService keys, VacationShareBudget vacationShare) {
        this.vacationShare = vacationShare;
        this.store = store;
        this.lookup = lookup;
        this.changes = changes;
        this.credits = credits;
        this.keys = keys;
    }

    public Mono<UserView> createUser(Caller caller, Org org, PeopleRequests.CreateUser request) {
        String email = Check.email(request.email(), "email");
        String name = request.name() == null ? email : Check.name(request.name(), "name");
        long quota = Check.notNegative(request.personalQuota(), "personal_quota", 0);
        boolean teamAdmin = Boolean.TRUE.equals(request.isTeamAdmin());
        Mono<Group> team = request.teamId() == null ? Mono.empty()
                : store.group(request.teamId())
                        .filter(g -> g.kind() == GroupKind.TEAM && g.orgId().equals(org.id()))
                        .switchIfEmpty(Mono.error(() -> ApiException.invalid("team_id",
                                "is not a team of this organisation")));
        return store.userByEmail(org.id(), email)
                .flatMap(existing -> Mono.<UserView>error(ApiException.conflict("duplicate_email",
                        "a user with e-mail " + email + " already exists in this organisation", "email")))
                .switchIfEmpty(Mono.defer(() -> team.map(g -> List.of(g)).defaultIfEmpty(List.of())
                        .zipWith(store.defaultWorkspace(org.id()))
                        .flatMap(t -> {
                            Group g = t.getT1().isEmpty() ? null : t.getT1().get(0);
                            Instant now = Instant.now();
                            Member user = new Member(Ids.newId(), org.id(),
                                    g == null ? t.getT2().id() : g.workspaceId(), g == null ? null : g.id(),
                                    MemberKind.USER, name, email, MemberStatus.ACTIVE, 0, g != null && teamAdmin,
                                    now, now);
                            return createUser(caller, org, user, quota);
                        })));
    }

    private Mono<UserView> createUser(Caller caller, Org org, Member user, long quota) {
        String openAccount = "open-account:" + user.id();
        String allocation = Ids.newId();
        List<String> commands = new ArrayList<>(List.of(openAccount));
        Mono<Void> allocate = Mono.empty();
        if (quota > 0) {
            commands.add(allocation);
            allocate = credits.stage(allocation, org.id(), "ALLOCATION", org.id(), user.id(), quota,
                    "personal quota of " + user.email(), caller.actor()).then();
        }
        Mono<ApiKeyStore.IssuedKey> work = store.insert(user)
                .then(changes.publish(user.state()))
                .then(changes.stage(new OpenAccountCommand(openAccount, org.id(), user.id(), AccountKind.MEMBER,
                        caller.actor())))
                .then(allocate)
                .then(changes.audit(org.id(), caller.actor(), "user.created", "user", user.id(),
                        Map.of("email", user.email(), "personal_quota", quota)))
                .then(keys.issueInTransaction(caller, user, "default", null));
        return changes.commit(work)
                // One after another: the allocation must reach the ledger after the account it funds.
                .flatMap(issued -> changes.dispatch(commands)
                        .then(quota > 0 ? credits.settled(allocation).map(TransferView::of).map(Optional::of)
                                : Mono.just(Optional.<TransferView>empty()))
                        .zipWhen(transfer -> store.member(user.id()), (transfer, member) ->
                                reactor.util.function.Tuples.of(member, transfer))
                        .map(t -> UserView.of(t.getT1()).with(
                                ApiKeyView.of(issued.key(), false, issued.plaintext()),
                                t.getT2().orElse(null))));
    }


    public Mono<UserView> updateUser(Caller caller, Member user, PeopleRequests.UpdateUser request) {
        MemberStatus status = request.status() == null ? user.status() : userStatus(request.status());
        String name = request.name() == null ? user.name() : Check.name(request.name(), "name");
        Member updated = new Member(user.id(), user.orgId(), user.workspaceId(), user.groupId(), user.kind(), name,
                user.email(), status, user.personalQuota(), user.groupAdmin(), user.createdAt(), Instant.now());
        // The share's budget first: gateways start sharing the pool as soon as they see the new status.
        boolean startsVacation = user.groupId() != null && status == MemberStatus.ON_VACATION
                && user.status() != MemberStatus.ON_VACATION;
        Mono<Void> save = (startsVacation ? vacationShare.define(user.orgId(), user.groupId(), caller.actor())
                : Mono.<Void>empty())
                .then(changes.commit(store.update(user, updated)
                        .flatMap(stored -> changes.publish(stored.state()))
                        .then(changes.audit(user.orgId(), caller.actor(), "user.updated", "user", user.id(),
                                Map.of("status", status.name(), "name", name)))));
        if (request.personalQuota() == null) {
            return save.then(store.member(user.id())).map(UserView::of);
        }
        long target = Check.notNegative(request.personalQuota(), "personal_quota", 0);
        String transferId = Ids.newId();
        // The difference is taken from the quota as it stands under a lock, counting the transfers still on their
        // way, in the transaction that stages this one: a quota read before the request would move it twice.
        Mono<Optional<CreditTransfer>> staged = changes.commit(store.lockedQuotaWithPending(user.id())
                .flatMap(current -> {
                    long delta = target - current;
                    return delta == 0 ? Mono.just(Optional.<CreditTransfer>empty())
                            : credits.stage(transferId, user.orgId(), "REALLOCATION",
                                    delta > 0 ? user.orgId() : user.id(), delta > 0 ? user.id() : user.orgId(),
                                    Math.abs(delta), "personal quota set to " + target, caller.actor())
                                    .map(Optional::of);
                }));
        Mono<Optional<TransferView>> move = staged.flatMap(transfer -> transfer.isEmpty()
                ? Mono.just(Optional.<TransferView>empty())
                : credits.settled(transferId).map(TransferView::of).map(Optional::of));
        return save.then(move).flatMap(transfer -> store.member(user.id())
                .map(m -> UserView.of(m).with(null, transfer.orElse(null))));
    }

    /** A user changing their own status, with their own key. */
    public Mono<UserView> setStatus(Caller caller, Member user, String status) {
        if (!mayChangeOwnStatus(user.status())) {
            throw ApiException.forbidden("your status is " + user.status().name().toLowerCase(Locale.ROOT)
                    + "; an administrator must re-enable you");
        }
        return updateUser(caller, user, new PeopleRequests.UpdateUser(null, null, status));
    }

    /**
     * Suspension and exhausted budgets are decisions of an administrator or a budget; a user's own key must not
     * undo them, or a suspended user could simply set themselves active again.
     */
    static boolean mayChangeOwnStatus(MemberStatus status) {
        return status != MemberStatus.SUSPENDED && status != MemberStatus.DISABLED
                && status != MemberStatus.BUDGET_EXHAUSTED;
    }

    public Mono<TeamView> createTeam(Caller caller, Org org, PeopleRequests.CreateTeam request) {
        String name = Check.name(request.name(), "name");
        String description = Check.optionalText(request.description(), "description", Check.TEXT_MAX);
        long pool = Check.notNegative(request.commonPool(), "common_pool", 0);
        Mono<dev.tally.governance.hierarchy.Workspace> workspace = request.workspaceId() == null
                ? store.defaultWorkspace(org.id())
                : store.workspace(request.workspaceId()).filter(ws -> ws.orgId().equals(org.id()))
                        .switchIfEmpty(Mono.error(() -> ApiException.invalid("workspace_id",
                                "is not a workspace of this organisation")));
        return workspace.flatMap(ws -> store.groupNameTaken(ws.id(), name).flatMap(taken -> {
            if (taken) {
                return Mono.error(ApiException.conflict("duplicate_name",
                        "the workspace already has a group named '" + name + "'", "name"));
            }
            Instant now = Instant.now();
            Group team = new Group(Ids.newId(), org.id(), ws.id(), GroupKind.TEAM, name, description,
                    EntityStatus.ACTIVE, 0, now, now);
            String openAccount = "open-account:" + team.id();
            String allocation = Ids.newId();
            List<String> commands = new ArrayList<>(List.of(openAccount));
            Mono<Void> allocate = Mono.empty();
            if (pool > 0) {
                commands.add(allocation);
                allocate = credits.stage(allocation, org.id(), "ALLOCATION", org.id(), team.id(), pool,
                        "common pool of team " + name, caller.actor()).then();
            }
            return changes.commit(store.insert(team)
                            .then(changes.publish(team.state()))
                            .then(changes.stage(new OpenAccountCommand(openAccount, org.id(), team.id(),
                                    AccountKind.GROUP, caller.actor())))
                            .then(allocate)
                            .then(changes.audit(org.id(), caller.actor(), "team.created", "team", team.id(),
                                    Map.of("name", name, "common_pool", pool))))
                    .then(changes.dispatch(commands))
                    .then(pool > 0 ? credits.settled(allocation).map(TransferView::of).map(Optional::of)
                            : Mono.just(Optional.<TransferView>empty()))
                    .flatMap(transfer -> store.group(team.id())
                            .map(g -> TeamView.of(g).with(transfer.orElse(null))));
        }));
    }

    /** A user belongs to at most one team: the team is a link of the user's budget and policy chain. */
    public Mono<UserView> addToTeam(Caller caller, Group team, String userId, boolean admin) {
        return store.member(userId)
                .filter(m -> m.isUser() && m.orgId().equals(team.orgId()))
                .switchIfEmpty(Mono.error(() -> ApiException.notFound("user", userId)))
                .flatMap(user -> {
                    if (user.groupId() != null && !user.groupId().equals(team.id())) {
                        return Mono.error(ApiException.conflict("already_in_team", "user " + userId
                                + " is in team " + user.groupId() + "; remove them from it first", "user_id"));
                    }
                    Member updated = new Member(user.id(), user.orgId(), team.workspaceId(), team.id(), user.kind(),
                            user.name(), user.email(), user.status(), user.personalQuota(), admin, user.createdAt(),
                            Instant.now());
                    return changes.commit(store.update(user, updated)
                                    .flatMap(stored -> changes.publish(stored.state())
                                            .then(changes.audit(team.orgId(), caller.actor(), "team.member-added",
                                                    "team", team.id(), Map.of("user_id", userId, "is_admin", admin)))
                                            .thenReturn(stored)))
                            .map(UserView::of);
                });
    }

    public Mono<UserView> removeFromTeam(Caller caller, Group team, String userId) {
        return store.member(userId)
                .filter(m -> m.isUser() && team.id().equals(m.groupId()))
                .switchIfEmpty(Mono.error(() -> ApiException.notFound("team member", userId)))
                .flatMap(user -> store.defaultWorkspace(team.orgId()).flatMap(ws -> {
                    Member updated = new Member(user.id(), user.orgId(), ws.id(), null, user.kind(), user.name(),
                            user.email(), user.status(), user.personalQuota(), false, user.createdAt(),
                            Instant.now());
                    return changes.commit(store.update(user, updated)
                                    .flatMap(stored -> changes.publish(stored.state())
                                            .then(changes.audit(team.orgId(), caller.actor(), "team.member-removed",
                                                    "team", team.id(), Map.of("user_id", userId)))
                                            .thenReturn(stored)))
                            .map(UserView::of);
                }));
    }

    /** Alfred: a user gives part of their own allocation to a colleague, logged with the reason. */
    public Mono<CreditTransfer> giveCredits(Caller caller, Member sender, PeopleRequests.MemberTransfer request) {
        sender.requireNotSuspended("transfer credits");
        long amount = Check.positive(request.amount(), "amount");
        String reason = Check.text(request.reason(), "reason", Check.TEXT_MAX);
        String key = Check.optionalText(request.idempotencyKey(), "idempotency_key",
                dev.tally.governance.credit.CreditController.IDEMPOTENCY_KEY_MAX);
        Mono<Member> recipient;
        if (request.recipientId() != null) {
            recipient = store.member(request.recipientId());
        } else {
            recipient = store.userByEmail(sender.orgId(), Check.email(request.recipientEmail(), "recipient_email"));
        }
        // The id wins when both are sent, so errors name the field that chose the recipient.
        String field = request.recipientId() != null ? "recipient_id" : "recipient_email";
        return recipient
                .filter(r -> r.isUser() && r.orgId().equals(sender.orgId()))
                .switchIfEmpty(Mono.error(() -> ApiException.invalid(field, "is not a user of your organisation")))
                .flatMap(r -> r.id().equals(sender.id())
                        ? Mono.error(ApiException.invalid(field, "must be someone else"))
                        : credits.move(sender.orgId(), "MEMBER_TRANSFER", sender.id(), r.id(), amount, reason,
                                caller.actor(), key));
    }

    public Mono<Member> me(Caller caller) {
        return store.member(caller.requireUser());
    }

    public Lookup lookup() {
        return lookup;
    }

    static MemberStatus userStatus(String value) {
        return switch (value.strip().toLowerCase(Locale.ROOT).replace('-', '_')) {
            case "active" -> MemberStatus.ACTIVE;
            case "on_vacation", "vacation" -> MemberStatus.ON_VACATION;
            case "suspended" -> MemberStatus.SUSPENDED;
            default -> throw ApiException.invalid("status", "must be one of active, on_vacation, suspended");
        };
    }
}
