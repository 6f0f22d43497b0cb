package dev.tally.ledger.domain;

import dev.tally.events.ledger.LedgerCommand;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.modelling.command.CommandTargetResolver;
import org.axonframework.modelling.command.VersionedAggregateIdentifier;
import org.springframework.stereotype.Component;

/**
 * Routes every ledger command to the ledger it names. shared-events stays free of Axon annotations, so the target
 * comes from {@link LedgerCommand#ledgerId()} instead of {@code @TargetAggregateIdentifier}.
 */
@Component("ledgerTargetResolver")
public class LedgerTargetResolver implements CommandTargetResolver {

    @Override
    public VersionedAggregateIdentifier resolveTarget(CommandMessage<?> command) {
        if (command.getPayload() instanceof LedgerCommand ledgerCommand) {
            return new VersionedAggregateIdentifier(ledgerCommand.ledgerId(), (Long) null);
        }
        if (command.getPayload() instanceof LedgerBatch batch) {
            return new VersionedAggregateIdentifier(batch.ledgerId(), (Long) null);
        }
        throw new IllegalArgumentException("not a ledger command: " + command.getPayloadType().getName());
    }
}
