package dev.tally.governance.credit;

import dev.tally.governance.web.ApiException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

import java.time.Instant;

public record TransferView(String id, String orgId, String kind, String fromAccountId, String toAccountId,
        long amount, String reason, String actor, String status, String detail, Instant createdAt,
        Instant updatedAt) {

    public static TransferView of(CreditTransfer t) {
        return new TransferView(t.id(), t.orgId(), t.kind(), t.fromAccount(), t.toAccount(), t.amount(), t.reason(),
                t.actor(), t.status(), t.detail(), t.createdAt(), t.updatedAt());
    }

    /** 201 applied, 202 still pending (poll the transfer), 409 refused by the ledger with its reason. */
    public static ResponseEntity<TransferView> answer(CreditTransfer transfer) {
        return switch (transfer.status()) {
            case "APPLIED" -> ResponseEntity.status(HttpStatus.CREATED).body(of(transfer));
            case "PENDING" -> ResponseEntity.status(HttpStatus.ACCEPTED).body(of(transfer));
            default -> throw new ApiException(HttpStatus.CONFLICT, "transfer_refused",
                    "the ledger refused the transfer: " + transfer.detail(), "amount", transfer.detail());
        };
    }
}
