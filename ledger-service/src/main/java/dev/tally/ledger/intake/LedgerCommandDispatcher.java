package dev.tally.ledger.intake;

import dev.tally.events.ledger.CommandRejectedReply;
import dev.tally.events.ledger.LedgerCommand;
import dev.tally.events.ledger.LedgerReply;
import dev.tally.events.ledger.OpenLedgerCommand;
import dev.tally.events.ledger.RejectionReason;
import dev.tally.ledger.domain.LedgerBatch;
import dev.tally.ledger.domain.LedgerNotOpenedException;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

    /**
     * The replies to {@code commands}, all of one ledger, in order, decided in one unit of work (one transaction)
     * where it can: commands already answered get their first reply and a repeated id in the list gets the reply of
     * its first occurrence, as one at a time would. A new ledger's commands, and a batch that fails (an unknown
     * ledger, a race another replica won three times), are decided one at a time instead.
     */
    public List<LedgerReply> dispatchAll(String ledgerId, List<LedgerCommand> commands) {
        if (commands.size() == 1 || commands.stream().anyMatch(LedgerCommandDispatcher::unbatchable)) {
            return commands.stream().map(this::dispatch).toList();
        }
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            Map<String, LedgerReply> known = outcomes.findAll(ledgerId,
                    commands.stream().map(LedgerCommand::commandId).distinct().toList());
            Map<String, LedgerCommand> fresh = new LinkedHashMap<>();
            commands.stream().filter(c -> !known.containsKey(c.commandId()))
                    .forEach(c -> fresh.putIfAbsent(c.commandId(), c));
            try {
                if (!fresh.isEmpty()) {
                    @SuppressWarnings("unchecked")
                    List<LedgerReply> replies = (List<LedgerReply>) commandGateway.sendAndWait(
                            new LedgerBatch(ledgerId, List.copyOf(fresh.values())));
                    Iterator<LedgerReply> decided = replies.iterator();
                    fresh.keySet().forEach(id -> known.put(id, decided.next()));
                }
                return commands.stream().map(c -> known.get(c.commandId())).toList();
            } catch (RuntimeException e) {
                Throwable cause = rootCause(e);
                if (!raced(e, cause)) {
                    log.debug("batch of {} commands of ledger {} failed ({}); one at a time instead",
                            fresh.size(), ledgerId, cause.toString());
                    break;
                }
                log.debug("batch of ledger {} raced ({}), retrying", ledgerId, cause.toString());
            }
        }
        return commands.stream().map(this::dispatch).toList();
    }

    /** A command that opens the ledger must run alone: the batch needs the ledger to exist. */
    private static boolean unbatchable(LedgerCommand command) {
        return command instanceof OpenLedgerCommand || command.commandId() == null || command.commandId().isBlank();
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
                boolean raced = raced(e, cause);
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

    private static boolean raced(RuntimeException e, Throwable cause) {
        return cause instanceof ConcurrencyException || cause instanceof DuplicateKeyException
                || e instanceof ConcurrencyException || e instanceof DuplicateKeyException;
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
