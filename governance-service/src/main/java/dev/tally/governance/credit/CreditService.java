package dev.tally.governance.credit;

import dev.tally.events.ledger.PurchaseCreditsCommand;
import dev.tally.events.ledger.TransferCreditsCommand;
import dev.tally.governance.support.Changes;
import dev.tally.governance.support.Ids;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

import dev.tally.governance.web.ApiException;
import org.springframework.dao.DuplicateKeyException;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * Moves credits by asking the ledger, which alone decides whether a movement is possible. The movement is recorded
 * as a PENDING transfer with its ledger command in one transaction, and settled when the ledger answers.
 */
@Service
public class CreditService {

    private final CreditTransferStore transfers;
    private final Changes changes;

    public CreditService(CreditTransferStore transfers, Changes changes) {
        this.transfers = transfers;
        this.changes = changes;
    }

    /**
     * Stages a movement inside the caller's transaction. {@code from == null} is a purchase into {@code to}.
     *
     * @param id the transfer and ledger command id; the caller derives it from an idempotency key where there is one
     */
    public Mono<CreditTransfer> stage(String id, String orgId, String kind, String from, String to, long amount,
            String reason, String actor) {
        Instant now = Instant.now();
        CreditTransfer transfer = new CreditTransfer(id, orgId, kind, from, to, amount, reason, actor, "PENDING", null,
                now, now);
        var command = from == null
                ? new PurchaseCreditsCommand(id, orgId, to, amount, actor, reason)
                : new TransferCreditsCommand(id, orgId, from, to, amount, actor, reason);
        return transfers.insert(transfer)
                .then(changes.stage(command))
                .then(changes.audit(orgId, actor, "credits." + kind.toLowerCase(java.util.Locale.ROOT), "transfer",
                        id, Map.of("from", from == null ? "purchase" : from, "to", to, "amount", amount)))
                .thenReturn(transfer);
    }

    /** Stages, commits, sends, and answers with the transfer as the ledger left it (or PENDING if it is slow). */
    public Mono<CreditTransfer> move(String orgId, String kind, String from, String to, long amount, String reason,
            String actor) {
        String id = Ids.newId();
        return changes.commit(stage(id, orgId, kind, from, to, amount, reason, actor))
                .then(settled(id));
    }

    /**
     * As {@link #move}, under a caller's idempotency key (null: none). The same key with the same movement answers
     * the first transfer as it stands (sending its command again if the ledger has not answered); the same key with
     * another movement is {@code 409 idempotency_key_reused}. Administrators' keys are scoped per organisation; a
     * member's own transfers ({@code MEMBER_TRANSFER}) have keys scoped per sender, so a colleague's key is neither
     * refused nor answered with the colleague's transfer.
     */
    public Mono<CreditTransfer> move(String orgId, String kind, String from, String to, long amount, String reason,
            String actor, String idempotencyKey) {
        if (idempotencyKey == null) {
            return move(orgId, kind, from, to, amount, reason, actor);
        }
        String stored = storedKey(kind, from, idempotencyKey);
        String id = Ids.newId();
        Mono<CreditTransfer> first = changes.commit(stage(id, orgId, kind, from, to, amount, reason, actor)
                        .flatMap(staged -> transfers.keyed(id, stored).thenReturn(staged)))
                .then(settled(id))
                // A concurrent request with the same key committed first: answer as a retry of it.
                .onErrorResume(DuplicateKeyException.class, e -> transfers.byIdempotencyKey(orgId, stored)
                        .flatMap(existing -> retried(existing, kind, from, to, amount, reason, idempotencyKey)));
        return transfers.byIdempotencyKey(orgId, stored)
                .flatMap(existing -> retried(existing, kind, from, to, amount, reason, idempotencyKey))
                .switchIfEmpty(Mono.defer(() -> first));
    }

    /**
     * The key as stored: a member's keys are prefixed with the sender's id. Scoped per organisation, one member's key
     * would refuse another's with a 409 describing the first member's transfer (its id, amount and accounts).
     */
    static String storedKey(String kind, String from, String idempotencyKey) {
        return "MEMBER_TRANSFER".equals(kind) ? "member:" + from + ":" + idempotencyKey : idempotencyKey;
    }

    private Mono<CreditTransfer> retried(CreditTransfer existing, String kind, String from, String to, long amount,
            String reason, String idempotencyKey) {
        boolean same = existing.kind().equals(kind) && Objects.equals(existing.fromAccount(), from)
                && existing.toAccount().equals(to) && existing.amount() == amount
                && Objects.equals(existing.reason(), reason);
        if (!same) {
            return Mono.error(ApiException.conflict("idempotency_key_reused", "idempotency_key " + idempotencyKey
                    + " was used for another transfer (" + existing.id() + ": " + existing.amount() + " credits from "
                    + existing.fromAccount() + " to " + existing.toAccount() + ")", "idempotency_key"));
        }
        return settled(existing.id());
    }

    /** Buys credits into the org pool under a caller-chosen id, so that a retry is the same purchase. */
    public Mono<CreditTransfer> purchase(String orgId, String id, long amount, String reference, String actor) {
        return changes.commit(stage(id, orgId, "PURCHASE", null, orgId, amount, reference, actor))
                .then(settled(id));
    }

    /** Sends a committed transfer's command and returns the transfer after the ledger's answer (if any). */
    public Mono<CreditTransfer> settled(String id) {
        return changes.dispatch(id).then(transfers.find(id));
    }
}
