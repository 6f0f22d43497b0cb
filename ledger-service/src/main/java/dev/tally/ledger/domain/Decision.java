package dev.tally.ledger.domain;

import dev.tally.events.ledger.CommandAcceptedReply;
import dev.tally.events.ledger.CommandRejectedReply;
import dev.tally.events.ledger.LedgerCommand;
import dev.tally.events.ledger.LedgerEvent;
import dev.tally.events.ledger.LedgerMessageTypes;
import dev.tally.events.ledger.LedgerReply;
import dev.tally.events.ledger.RejectionReason;

import java.util.List;

/**
 * What a command does to a ledger: the events to record and the reply for the caller. A business refusal (no
 * credits, budget exceeded) is recorded as an event so it is audited and alertable; a malformed command only gets
 * a rejection reply and leaves no trace in the ledger.
 */
public record Decision(List<LedgerEvent> events, LedgerReply reply) {

    static Decision accept(LedgerCommand command, long credits, LedgerEvent... events) {
        return new Decision(List.of(events),
                new CommandAcceptedReply(command.commandId(), command.ledgerId(),
                        LedgerMessageTypes.nameOf(events[0]), credits));
    }

    static Decision refuse(LedgerCommand command, RejectionReason reason, String detail, String budgetId,
            LedgerEvent... events) {
        return refuse(command, reason, detail, budgetId, 0, events);
    }

    /** A refused reservation, with what open reservations held of the refusing budget or accounts. */
    static Decision refuse(LedgerCommand command, RejectionReason reason, String detail, String budgetId,
            long reservedCredits, LedgerEvent... events) {
        return new Decision(List.of(events), new CommandRejectedReply(command.commandId(), command.ledgerId(),
                reason, detail, budgetId, reservedCredits));
    }

    static Decision invalid(LedgerCommand command, RejectionReason reason, String detail) {
        return refuse(command, reason, detail, null);
    }
}
