package dev.tally.ledger.balance;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

@RestController
public class LedgerController {

    private final BalanceStore store;

    public LedgerController(BalanceStore store) {
        this.store = store;
    }

    @GetMapping("/ledgers/{ledgerId}")
    public Mono<LedgerView> ledger(@PathVariable String ledgerId) {
        return Mono.fromCallable(() -> store.read(ledgerId)
                        .map(snapshot -> LedgerView.of(snapshot, store.eventsApplied(ledgerId)))
                        .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "no ledger " + ledgerId)))
                .subscribeOn(Schedulers.boundedElastic());
    }
}
