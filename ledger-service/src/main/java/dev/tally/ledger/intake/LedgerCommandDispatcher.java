package dev.tally.ledger.intake;

import dev.tally.events.ledger.CommandRejectedReply;
import dev.tally.events.ledger.LedgerCommand;
import dev.tally.events.ledger.LedgerReply;
import dev.tally.events.ledger.RejectionReason;
import dev.tally.ledger.domain.LedgerNotOpenedException;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;

/**
 * Runs a ledger command through the aggregate and always answers with a reply: refusals and unknown ledgers are
 * replies, never exceptions that escape to the caller.
 */
@Service
public class LedgerCommandDispatcher {

    private static final Logger log = LoggerFactory.getLogger(LedgerCommandDispatcher.class);
    private static final int ATTEMPTS = 3;

    private final CommandGateway commandGateway;
    private final CommandOutcomeStore outcomes;

    public LedgerCommandDispatcher(CommandGateway commandGateway, CommandOutcomeStore outcomes) {
        this.commandGateway = commandGateway;
        this.outcomes = outcomes;
    }

    public LedgerReply dispatch(LedgerCommand command) {
        if (command.commandId() == null || command.commandId().isBlank()
                || command.ledgerId() == null || command.ledgerId().isBlank()) {
            return new CommandRejectedReply(command.commandId(), command.ledgerId(), RejectionReason.INVALID_COMMAND,
                    "command_id and ledger_id are required", null);
        }
        for (int attempt = 1; ; attempt++) {
            try {
                return commandGateway.sendAndWait(command);
            } catch (RuntimeException e) {
                Throwable cause = rootCause(e);
                if (cause instanceof AggregateNotFoundException) {
                    return new CommandRejectedReply(command.commandId(), command.ledgerId(),
                            RejectionReason.UNKNOWN_LEDGER, "no ledger " + command.ledgerId(), null);
                }
                if (cause instanceof LedgerNotOpenedException notOpened) {
                    return notOpened.reply();
                }
                // Another replica (during a rebalance) or a concurrent duplicate won the race: look again.
                boolean raced = cause instanceof ConcurrencyException || cause instanceof DuplicateKeyException
                        || e instanceof ConcurrencyException || e instanceof DuplicateKeyException;
                if (raced && attempt < ATTEMPTS) {
                    log.debug("command {} raced ({}), retrying", command.commandId(), cause.toString());
                    continue;
                }
                if (raced) {
                    return outcomes.find(command).orElseThrow(() -> e);
                }
                throw e;
            }
        }
    }

    private static Throwable rootCause(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause
                && !(cause instanceof AggregateNotFoundException) && !(cause instanceof LedgerNotOpenedException)
                && !(cause instanceof ConcurrencyException)) {
            cause = cause.getCause();
        }
        return cause;
    }
}
