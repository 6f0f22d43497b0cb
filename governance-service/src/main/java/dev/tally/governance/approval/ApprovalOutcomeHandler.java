package dev.tally.governance.approval;

import dev.tally.governance.audit.AuditLog;
import dev.tally.governance.publication.StateOutbox;
import dev.tally.governance.ledger.LedgerOutcome;
import dev.tally.governance.ledger.LedgerOutcomeHandler;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

import java.util.Map;

/** Completes an approval once the ledger has moved (or refused to move) the approved credits. */
@Component
public class ApprovalOutcomeHandler implements LedgerOutcomeHandler {

    private final ApprovalStore approvals;
    private final AuditLog audit;

    private final StateOutbox outbox;

    public ApprovalOutcomeHandler(ApprovalStore approvals, AuditLog audit, StateOutbox outbox) {
        this.outbox = outbox;
        this.approvals = approvals;
        this.audit = audit;
    }

    @Override
    public Mono<Void> onAnswer(LedgerOutcome outcome) {
        return approvals.byTransfer(outcome.commandId())
                .filter(a -> "APPROVING".equals(a.status()))
                .flatMap(a -> outcome.accepted()
                        ? approvals.transition(a.id(), "APPROVING", "APPROVED", a.decidedBy(), a.decisionNote(), null)
                                .flatMap(done -> audit.record(a.orgId(), a.decidedBy(), "approval.approved",
                                                "approval", a.id(), Map.of("amount", a.amount()))
                                        .then(outbox.stage(ApprovalAlerts.decided(done, "approved")))
                                        .doOnSuccess(staged -> outbox.flushSoon()))
                        : approvals.transition(a.id(), "APPROVING", "PENDING", null,
                                        "the ledger refused the transfer: " + outcome.reason() + ": "
                                                + outcome.detail(), null)
                                .flatMap(back -> audit.record(a.orgId(), a.decidedBy(), "approval.transfer-refused",
                                        "approval", a.id(), Map.of("reason", String.valueOf(outcome.reason())))))
                .then();
    }
}
