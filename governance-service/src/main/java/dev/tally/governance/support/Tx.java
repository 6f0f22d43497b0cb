package dev.tally.governance.support;

import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/** One database transaction around a reactive pipeline: entity changes and their outbox rows commit together. */
@Component
public class Tx {

    private final TransactionalOperator operator;

    public Tx(TransactionalOperator operator) {
        this.operator = operator;
    }

    public <T> Mono<T> run(Mono<T> work) {
        return operator.transactional(work);
    }
}
