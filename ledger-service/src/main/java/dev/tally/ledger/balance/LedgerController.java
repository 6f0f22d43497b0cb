package dev.tally.ledger.balance;

import dev.tally.events.ledger.view.LedgerView;
import dev.tally.servicekit.auth.Caller;
import dev.tally.servicekit.web.ApiException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** Balances as the projection has them, for the organisation's owner and admins and for platform admins. */
@RestController
public class LedgerController {

    private final BalanceStore store;

    public LedgerController(BalanceStore store) {
        this.store = store;
    }

    @GetMapping("/ledgers/{ledgerId}")
    public Mono<LedgerView> ledger(Caller caller, @PathVariable String ledgerId) {
        caller.requireOrg(ledgerId, "ledger", ledgerId);
        return Mono.fromCallable(() -> store.read(ledgerId)
                        .map(snapshot -> LedgerViews.of(snapshot, store.eventsApplied(ledgerId)))
                        .orElseThrow(() -> ApiException.notFound("ledger", ledgerId)))
                .subscribeOn(Schedulers.boundedElastic());
    }
}
