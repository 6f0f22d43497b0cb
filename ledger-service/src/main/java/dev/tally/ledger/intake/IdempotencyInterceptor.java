package dev.tally.ledger.intake;

import dev.tally.events.ledger.CommandRejectedReply;
import dev.tally.events.ledger.LedgerCommand;
import dev.tally.events.ledger.LedgerReply;
import dev.tally.events.ledger.RejectionReason;
import dev.tally.ledger.domain.LedgerBatch;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.UnitOfWork;

import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.List;
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
        Object payload = unitOfWork.getMessage().getPayload();
        if (payload instanceof LedgerBatch batch) {
            return rememberAll(batch, chain);
        }
        if (!(payload instanceof LedgerCommand command)) {
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

    /**
     * The dispatcher sends a batch only commands it found no outcome for; should another replica have applied one
     * meanwhile, the outcome's primary key fails the insert, and with it the batch's whole transaction.
     */
    private Object rememberAll(LedgerBatch batch, InterceptorChain chain) throws Exception {
        Object result = chain.proceed();
        @SuppressWarnings("unchecked")
        List<LedgerReply> replies = (List<LedgerReply>) result;
        List<LedgerCommand> commands = new ArrayList<>();
        List<LedgerReply> lasting = new ArrayList<>();
        for (int i = 0; i < replies.size(); i++) {
            if (!isTransient(replies.get(i))) {
                commands.add(batch.commands().get(i));
                lasting.add(replies.get(i));
            }
        }
        outcomes.rememberAll(commands, lasting);
        return result;
    }

    /** "Not due yet" depends on the clock, not the command: remembering it would stop the expiry for good. */
    private static boolean isTransient(LedgerReply reply) {
        return reply instanceof CommandRejectedReply rejected
                && rejected.reason() == RejectionReason.RESERVATION_NOT_DUE;
    }
}
