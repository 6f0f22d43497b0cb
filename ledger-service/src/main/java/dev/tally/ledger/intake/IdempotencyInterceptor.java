package dev.tally.ledger.intake;

import dev.tally.events.ledger.CommandRejectedReply;
import dev.tally.events.ledger.LedgerCommand;
import dev.tally.events.ledger.LedgerReply;
import dev.tally.events.ledger.RejectionReason;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.UnitOfWork;

import org.springframework.stereotype.Component;

import java.util.Optional;

/**
 * Makes every ledger command exactly-once: a command id seen before gets its first reply back and reaches no
 * aggregate. Runs inside the unit of work's transaction, so the remembered outcome commits with the events.
 * Axon's Spring configuration registers every handler-interceptor bean with the command bus.
 */
@Component
public class IdempotencyInterceptor implements MessageHandlerInterceptor<CommandMessage<?>> {

    private final CommandOutcomeStore outcomes;

    public IdempotencyInterceptor(CommandOutcomeStore outcomes) {
        this.outcomes = outcomes;
    }

    @Override
    public Object handle(UnitOfWork<? extends CommandMessage<?>> unitOfWork, InterceptorChain chain)
            throws Exception {
        if (!(unitOfWork.getMessage().getPayload() instanceof LedgerCommand command)) {
            return chain.proceed();
        }
        Optional<LedgerReply> first = outcomes.find(command);
        if (first.isPresent()) {
            return first.get();
        }
        Object reply = chain.proceed();
        if (reply instanceof LedgerReply ledgerReply && !isTransient(ledgerReply)) {
            outcomes.remember(command, ledgerReply);
        }
        return reply;
    }

    /** "Not due yet" depends on the clock, not the command: remembering it would stop the expiry for good. */
    private static boolean isTransient(LedgerReply reply) {
        return reply instanceof CommandRejectedReply rejected
                && rejected.reason() == RejectionReason.RESERVATION_NOT_DUE;
    }
}
