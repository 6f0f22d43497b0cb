package dev.tally.governance.credit;

import dev.tally.governance.auth.Caller;
import dev.tally.governance.hierarchy.Lookup;
import dev.tally.governance.web.ApiException;
import dev.tally.governance.web.Check;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

@RestController
public class CreditController {

    /** Agent Control names the org's ledger {@code group_id} (its billing group); {@code org_id} means the same. */
    public record Purchase(String orgId, String groupId, Long amount, String idempotencyKey, String reference) {
    }

    /** @param idempotencyKey optional; a retry with the same key answers the first transfer (see CreditService) */
    public record Reallocation(String fromAccountId, String toAccountId, Long amount, String reason,
            String idempotencyKey) {
    }

    public static final int IDEMPOTENCY_KEY_MAX = 200;

    private final Lookup lookup;
    private final CreditService credits;
    private final CreditTransferStore transfers;
    private final Accounts accounts;
    private final LedgerBalances balances;

    public CreditController(Lookup lookup, CreditService credits, CreditTransferStore transfers, Accounts accounts,
            LedgerBalances balances) {
        this.lookup = lookup;
        this.credits = credits;
        this.transfers = transfers;
        this.accounts = accounts;
        this.balances = balances;
    }

    /**
     * An idempotent top-up of the org pool: the same idempotency key always names the same purchase, so a retried
     * request buys nothing twice. 201 when the ledger applied it, 202 while it has not answered yet.
     */
    @PostMapping("/credits/purchase")
    public Mono<ResponseEntity<TransferView>> purchase(Caller caller, @RequestBody Purchase request) {
        String orgId = request.orgId() != null ? Check.optionalId(request.orgId(), "org_id")
                : Check.optionalId(request.groupId(), "group_id");
        if (orgId == null) {
            throw ApiException.missing("org_id");
        }
        long amount = Check.positive(request.amount(), "amount");
        String key = Check.text(request.idempotencyKey(), "idempotency_key", IDEMPOTENCY_KEY_MAX);
        String reference = Check.optionalText(request.reference(), "reference", Check.TEXT_MAX);
        String id = "purchase:" + orgId + ":" + key;
        return lookup.org(caller, orgId)
                .flatMap(org -> transfers.find(id)
                        .flatMap(existing -> existing.amount() != amount
                                ? Mono.error(ApiException.conflict("idempotency_key_reused",
                                        "idempotency_key " + key + " was used for a purchase of " + existing.amount()
                                                + " credits", "idempotency_key"))
                                : credits.settled(id))
                        .switchIfEmpty(Mono.defer(() -> credits.purchase(org.id(), id, amount,
                                reference == null ? key : reference, caller.actor()))))
                .map(TransferView::answer);
    }

    @GetMapping("/orgs/{orgId}/balance")
    public Mono<LedgerBalances.OrgBalance> balance(Caller caller, @PathVariable String orgId) {
        return lookup.org(caller, orgId).flatMap(org -> balances.of(org.id()));
    }

    /** Alfred's credit reallocation between the org pool, team pools and users, with a reason for the audit. */
    @PostMapping("/orgs/{orgId}/transfers")
    public Mono<ResponseEntity<TransferView>> reallocate(Caller caller, @PathVariable String orgId,
            @RequestBody Reallocation request) {
        long amount = Check.positive(request.amount(), "amount");
        String reason = Check.text(request.reason(), "reason", Check.TEXT_MAX);
        String key = Check.optionalText(request.idempotencyKey(), "idempotency_key", IDEMPOTENCY_KEY_MAX);
        return lookup.org(caller, orgId).flatMap(org -> accounts.require(org.id(),
                        request.fromAccountId() == null ? org.id() : request.fromAccountId(), "from_account_id")
                .zipWith(accounts.require(org.id(), request.toAccountId(), "to_account_id"))
                .flatMap(pair -> {
                    if (pair.getT1().equals(pair.getT2())) {
                        return Mono.error(ApiException.invalid("to_account_id", "must differ from from_account_id"));
                    }
                    return credits.move(org.id(), "REALLOCATION", pair.getT1(), pair.getT2(), amount, reason,
                            caller.actor(), key);
                }))
                .map(TransferView::answer);
    }

    @GetMapping("/orgs/{orgId}/transfers")
    public Flux<TransferView> history(Caller caller, @PathVariable String orgId,
            @RequestParam(name = "account_id", required = false) String accountId,
            @RequestParam(defaultValue = "50") int limit, @RequestParam(defaultValue = "0") int offset) {
        if (limit < 1 || limit > 500) {
            throw ApiException.invalid("limit", "must be between 1 and 500");
        }
        if (offset < 0) {
            throw ApiException.invalid("offset", "must not be negative");
        }
        return lookup.org(caller, orgId).flatMapMany(org -> transfers.history(org.id(), accountId, limit, offset))
                .map(TransferView::of);
    }

    @GetMapping("/orgs/{orgId}/transfers/{transferId}")
    public Mono<TransferView> transfer(Caller caller, @PathVariable String orgId, @PathVariable String transferId) {
        return lookup.org(caller, orgId).flatMap(org -> transfers.find(transferId)
                        .filter(t -> t.orgId().equals(org.id()))
                        .switchIfEmpty(Mono.error(() -> ApiException.notFound("transfer", transferId))))
                .map(TransferView::of);
    }

}
