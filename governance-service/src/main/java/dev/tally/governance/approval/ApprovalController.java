package dev.tally.governance.approval;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tally.governance.auth.Caller;
import dev.tally.governance.auth.Role;
import dev.tally.governance.credit.CreditService;
import dev.tally.governance.credit.CreditTransferStore;
import dev.tally.governance.credit.TransferView;
import dev.tally.governance.hierarchy.HierarchyStore;
import dev.tally.governance.support.Changes;
import dev.tally.governance.support.Ids;
import dev.tally.governance.web.ApiException;
import dev.tally.governance.web.Check;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Instant;
import java.util.Locale;
import java.util.Map;

/**
 * A user asks for more quota with a reason; an admin of their team or organisation approves
 * (the ledger moves the credits to the user) or rejects. Every step is in the audit log.
 */
@RestController
public class ApprovalController {

    public record QuotaRequest(Long amount, String reason) {
    }

    /** @param source org_pool (default for org admins) or team_pool (default for team admins) */
    public record Decision(String note, String source) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ApprovalView(String id, String orgId, String userId, String teamId, long amount, String reason,
            String status, Instant requestedAt, String decidedBy, Instant decidedAt, String decisionNote,
            String transferId, TransferView transfer) {

        static ApprovalView of(Approval a, TransferView transfer) {
            return new ApprovalView(a.id(), a.orgId(), a.memberId(), a.groupId(), a.amount(), a.reason(),
                    a.status().toLowerCase(Locale.ROOT), a.requestedAt(), a.decidedBy(), a.decidedAt(),
                    a.decisionNote(), a.transferId(), transfer);
        }
    }

    private final ApprovalStore approvals;
    private final HierarchyStore hierarchy;
    private final CreditService credits;
    private final CreditTransferStore transfers;
    private final Changes changes;

    public ApprovalController(ApprovalStore approvals, HierarchyStore hierarchy, CreditService credits,
            CreditTransferStore transfers, Changes changes) {
        this.approvals = approvals;
        this.hierarchy = hierarchy;
        this.credits = credits;
        this.transfers = transfers;
        this.changes = changes;
    }

    @PostMapping("/approvals")
    @ResponseStatus(HttpStatus.CREATED)
    public Mono<ApprovalView> request(Caller caller, @RequestBody QuotaRequest request) {
        String userId = caller.requireUser();
        long amount = Check.positive(request.amount(), "amount");
        String reason = Check.text(request.reason(), "reason", Check.TEXT_MAX);
        return hierarchy.member(userId).flatMap(user -> {
            Approval approval = new Approval(Ids.newId(), user.orgId(), user.id(), user.groupId(), amount, reason,
                    "PENDING", Instant.now(), null, null, null, null);
            return changes.commit(approvals.insert(approval)
                            .then(changes.audit(user.orgId(), caller.actor(), "approval.requested", "approval",
                                    approval.id(), Map.of("amount", amount, "reason", reason)))
                            .then(changes.alert(ApprovalAlerts.requested(approval,
                                    user.email() != null ? user.email() : user.name()))))
                    .thenReturn(ApprovalView.of(approval, null));
        });
    }

    @GetMapping("/approvals/mine")
    public Flux<ApprovalView> mine(Caller caller) {
        return approvals.ofMember(caller.requireUser()).map(a -> ApprovalView.of(a, null));
    }

    /** Team admins see their team's requests; org admins see the whole organisation's. */
    @GetMapping("/approvals/pending")
    public Flux<ApprovalView> pending(Caller caller, @RequestParam(name = "org_id", required = false) String orgId) {
        if (caller.role() == Role.GROUP_ADMIN) {
            return approvals.pending(caller.orgId(), caller.groupId()).map(a -> ApprovalView.of(a, null));
        }
        String org = orgId != null ? orgId : caller.orgId();
        if (org == null) {
            throw ApiException.missing("org_id");
        }
        caller.requireOrgAdmin(org, "organisation", org);
        return approvals.pending(org, null).map(a -> ApprovalView.of(a, null));
    }

    @GetMapping("/approvals/{approvalId}")
    public Mono<ApprovalView> get(Caller caller, @PathVariable String approvalId) {
        return approvals.find(approvalId)
                .filter(a -> a.memberId().equals(caller.memberId()) || mayDecide(caller, a))
                .switchIfEmpty(Mono.error(() -> ApiException.notFound("approval", approvalId)))
                .flatMap(this::view);
    }

    @PostMapping("/approvals/{approvalId}/approve")
    public Mono<ApprovalView> approve(Caller caller, @PathVariable String approvalId,
            @RequestBody(required = false) Decision decision) {
        String note = decision == null ? null : Check.optionalText(decision.note(), "note", Check.TEXT_MAX);
        return decidable(caller, approvalId).flatMap(a -> {
            String source = source(caller, a, decision == null ? null : decision.source());
            String transferId = Ids.newId();
            return changes.commit(approvals.transition(a.id(), "PENDING", "APPROVING", caller.actor(), note,
                                    transferId)
                            .switchIfEmpty(Mono.error(() -> ApiException.conflict("not_pending",
                                    "approval " + a.id() + " was decided meanwhile", null)))
                            .flatMap(moving -> credits.stage(transferId, a.orgId(), "APPROVAL", source, a.memberId(),
                                    a.amount(), "approved quota request " + a.id() + ": " + a.reason(),
                                    caller.actor())))
                    .then(credits.settled(transferId))
                    .flatMap(transfer -> approvals.find(a.id()).map(done -> {
                        if ("REFUSED".equals(transfer.status())) {
                            throw new ApiException(HttpStatus.CONFLICT, "transfer_refused",
                                    "the ledger refused to move the credits (" + transfer.detail()
                                            + "); the request is pending again", "source", transfer.detail());
                        }
                        return ApprovalView.of(done, TransferView.of(transfer));
                    }));
        });
    }

    @PostMapping("/approvals/{approvalId}/reject")
    public Mono<ApprovalView> reject(Caller caller, @PathVariable String approvalId,
            @RequestBody(required = false) Decision decision) {
        String note = decision == null ? null : Check.optionalText(decision.note(), "note", Check.TEXT_MAX);
        return decidable(caller, approvalId).flatMap(a -> changes.commit(
                        approvals.transition(a.id(), "PENDING", "REJECTED", caller.actor(), note, null)
                                .switchIfEmpty(Mono.error(() -> ApiException.conflict("not_pending",
                                        "approval " + a.id() + " was decided meanwhile", null)))
                                .flatMap(rejected -> changes.audit(a.orgId(), caller.actor(), "approval.rejected",
                                        "approval", a.id(), Map.of("note", note == null ? "" : note))
                                        .then(changes.alert(ApprovalAlerts.decided(rejected, "rejected")))
                                        .thenReturn(rejected))))
                .map(a -> ApprovalView.of(a, null));
    }

    private Mono<Approval> decidable(Caller caller, String approvalId) {
        Mono<Void> notSuspended = caller.memberId() == null ? Mono.empty()
                : hierarchy.member(caller.memberId())
                        .doOnNext(me -> me.requireNotSuspended("decide quota requests")).then();
        return notSuspended.then(approvals.find(approvalId))
                .filter(a -> mayDecide(caller, a))
                .switchIfEmpty(Mono.error(() -> ApiException.notFound("approval", approvalId)))
                .flatMap(a -> "PENDING".equals(a.status()) ? Mono.just(a)
                        : Mono.error(ApiException.conflict("not_pending",
                                "approval " + a.id() + " is " + a.status().toLowerCase(Locale.ROOT), null)));
    }

    private static boolean mayDecide(Caller caller, Approval a) {
        if (caller.administers(a.orgId())) {
            return true;
        }
        return caller.role() == Role.GROUP_ADMIN && a.orgId().equals(caller.orgId()) && a.groupId() != null
                && a.groupId().equals(caller.groupId()) && !a.memberId().equals(caller.memberId());
    }

    private static String source(Caller caller, Approval a, String requested) {
        String source = requested != null ? requested.strip().toLowerCase(Locale.ROOT)
                : caller.role() == Role.GROUP_ADMIN ? "team_pool" : "org_pool";
        switch (source) {
            case "org_pool":
                if (caller.role() == Role.GROUP_ADMIN) {
                    throw ApiException.forbidden("a team admin approves from the team pool; ask an org admin for more");
                }
                return a.orgId();
            case "team_pool":
                if (a.groupId() == null) {
                    throw ApiException.invalid("source", "the requester is in no team; use org_pool");
                }
                return a.groupId();
            default:
                throw ApiException.invalid("source", "must be org_pool or team_pool");
        }
    }

    private Mono<ApprovalView> view(Approval a) {
        if (a.transferId() == null) {
            return Mono.just(ApprovalView.of(a, null));
        }
        return transfers.find(a.transferId()).map(t -> ApprovalView.of(a, TransferView.of(t)))
                .defaultIfEmpty(ApprovalView.of(a, null));
    }
}
