package dev.tally.ledger.domain;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import dev.tally.events.ledger.AdjustBalanceCommand;
import dev.tally.events.ledger.ChargeLeaseCommand;
import dev.tally.events.ledger.DefineBudgetCommand;
import dev.tally.events.ledger.ExpireReservationCommand;
import dev.tally.events.ledger.LedgerCommand;
import dev.tally.events.ledger.LedgerEvent;
import dev.tally.events.ledger.LedgerReply;
import dev.tally.events.ledger.OpenAccountCommand;
import dev.tally.events.ledger.OpenLedgerCommand;
import dev.tally.events.ledger.PurchaseCreditsCommand;
import dev.tally.events.ledger.RecordUsageCommand;
import dev.tally.events.ledger.RefundCreditsCommand;
import dev.tally.events.ledger.ReleaseReservationCommand;
import dev.tally.events.ledger.SettleLeasesCommand;
import dev.tally.events.ledger.RemoveBudgetCommand;
import dev.tally.events.ledger.ReserveCreditCommand;
import dev.tally.events.ledger.TransferCreditsCommand;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.AggregateLifecycle;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.spring.stereotype.Aggregate;

import java.util.List;

/**
 * One organisation's credit ledger. Every command of one organisation goes through this aggregate, so balance and
 * budget checks are atomic however many gateways ask at once. The rules live in {@link LedgerRules}.
 */
@Aggregate(snapshotTriggerDefinition = "ledgerSnapshotTrigger", cache = "ledgerCache",
        commandTargetResolver = "ledgerTargetResolver")
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE)
public class CreditLedger {

    @AggregateIdentifier
    private String ledgerId;
    private LedgerState state = new LedgerState();

    protected CreditLedger() {
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public LedgerReply handle(OpenLedgerCommand command) {
        Decision decision = LedgerRules.decide(state, command, now());
        if (ledgerId == null && decision.events().isEmpty()) {
            // A refused open leaves no aggregate behind; the exception rolls the new instance back.
            throw new LedgerNotOpenedException(decision.reply());
        }
        return execute(decision);
    }

    @CommandHandler
    public LedgerReply handle(OpenAccountCommand command) {
        return decide(command);
    }

    @CommandHandler
    public LedgerReply handle(PurchaseCreditsCommand command) {
        return decide(command);
    }

    @CommandHandler
    public LedgerReply handle(TransferCreditsCommand command) {
        return decide(command);
    }

    @CommandHandler
    public LedgerReply handle(DefineBudgetCommand command) {
        return decide(command);
    }

    @CommandHandler
    public LedgerReply handle(RemoveBudgetCommand command) {
        return decide(command);
    }

    @CommandHandler
    public LedgerReply handle(ReserveCreditCommand command) {
        return decide(command);
    }

    @CommandHandler
    public LedgerReply handle(RecordUsageCommand command) {
        return decide(command);
    }

    @CommandHandler
    public LedgerReply handle(ChargeLeaseCommand command) {
        return decide(command);
    }

    @CommandHandler
    public LedgerReply handle(SettleLeasesCommand command) {
        return decide(command);
    }

    @CommandHandler
    public LedgerReply handle(ReleaseReservationCommand command) {
        return decide(command);
    }

    @CommandHandler
    public LedgerReply handle(ExpireReservationCommand command) {
        return decide(command);
    }

    @CommandHandler
    public LedgerReply handle(AdjustBalanceCommand command) {
        return decide(command);
    }

    @CommandHandler
    public LedgerReply handle(RefundCreditsCommand command) {
        return decide(command);
    }

    /** Each command sees the state the ones before it left: {@code apply} changes the state at once. */
    @CommandHandler
    public List<LedgerReply> handle(LedgerBatch batch) {
        return batch.commands().stream().map(this::decide).toList();
    }

    @EventSourcingHandler
    void on(LedgerEvent event) {
        ledgerId = event.ledgerId();
        state.apply(event);
    }

    private LedgerReply decide(LedgerCommand command) {
        if (command instanceof SettleLeasesCommand settlement) {
            return LedgerRules.settle(state, settlement, now(), AggregateLifecycle::apply);
        }
        return execute(LedgerRules.decide(state, command, now()));
    }

    private static LedgerReply execute(Decision decision) {
        decision.events().forEach(AggregateLifecycle::apply);
        return decision.reply();
    }

    private static java.time.Instant now() {
        // Axon's clock, so fixtures control time; microseconds, as PostgreSQL keeps them.
        return GenericEventMessage.clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
    }
}
