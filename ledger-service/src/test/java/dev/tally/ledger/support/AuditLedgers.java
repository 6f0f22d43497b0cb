package dev.tally.ledger.support;

import dev.tally.events.ledger.AccountKind;
import dev.tally.events.ledger.AdjustBalanceCommand;
import dev.tally.events.ledger.BudgetPeriod;
import dev.tally.events.ledger.CommandAcceptedReply;
import dev.tally.events.ledger.DefineBudgetCommand;
import dev.tally.events.ledger.LedgerCommand;
import dev.tally.events.ledger.RefundCreditsCommand;
import dev.tally.events.ledger.RemoveBudgetCommand;
import dev.tally.events.ledger.Scope;
import dev.tally.events.ledger.ScopeLevel;
import dev.tally.events.ledger.TransferCreditsCommand;
import dev.tally.ledger.support.LedgerKafkaClient;

import java.util.List;

import static dev.tally.ledger.support.Commands.ORG_POOL;
import static dev.tally.ledger.support.Commands.id;
import static dev.tally.ledger.support.Commands.openAccount;
import static dev.tally.ledger.support.Commands.openLedger;
import static dev.tally.ledger.support.Commands.purchase;
import static dev.tally.ledger.support.Commands.release;
import static dev.tally.ledger.support.Commands.reserve;
import static dev.tally.ledger.support.Commands.usage;
import static org.assertj.core.api.Assertions.assertThat;

/** Ledgers whose history moves money in most of the ways a ledger can, for the audit tests. */
public final class AuditLedgers {

    private AuditLedgers() {
    }

    /**
     * Opened, an account, a purchase, a transfer and a refused one, a budget with thresholds, a settled reservation
     * crossing a threshold, a rejected and a released one, an adjustment, a refund, a removed budget and an open hold.
     */
    public static String varied(LedgerKafkaClient ledger) {
        String ledgerId = "org-" + id();
        String team = "team-" + id();
        String budget = "budget-" + id();
        send(ledger, openLedger(ledgerId));
        send(ledger, openAccount(ledgerId, team, AccountKind.GROUP));
        send(ledger, purchase(ledgerId, 1000));
        send(ledger, new TransferCreditsCommand(id(), ledgerId, ORG_POOL, team, 100, "alice", "team share"));
        send(ledger, new TransferCreditsCommand(id(), ledgerId, team, ORG_POOL, 10_000, "alice", "too much"));
        send(ledger, new DefineBudgetCommand(id(), ledgerId, budget, new Scope(ScopeLevel.ORG, ledgerId),
                BudgetPeriod.MONTHLY, 500, List.of(50, 80), false, "alice"));
        String settled = "res-" + id();
        send(ledger, reserve(ledgerId, settled, 300, 60));
        send(ledger, usage(ledgerId, settled, 280));
        send(ledger, reserve(ledgerId, "res-" + id(), 10_000, 60));
        String released = "res-" + id();
        send(ledger, reserve(ledgerId, released, 50, 60));
        send(ledger, release(ledgerId, released));
        send(ledger, new AdjustBalanceCommand(id(), ledgerId, ORG_POOL, 5, "bob", "correction"));
        send(ledger, new RefundCreditsCommand(id(), ledgerId, ORG_POOL, 7, settled, "bob", "bad answer"));
        send(ledger, new RemoveBudgetCommand(id(), ledgerId, budget, "alice"));
        send(ledger, reserve(ledgerId, "res-open-" + id(), 40, 3600));
        return ledgerId;
    }

    public static void send(LedgerKafkaClient ledger, LedgerCommand command) {
        assertThat(ledger.sendAndWait(command)).as(command.toString()).isNotNull();
    }

    public static void accepted(LedgerKafkaClient ledger, LedgerCommand command) {
        assertThat(ledger.sendAndWait(command)).as(command.toString()).isInstanceOf(CommandAcceptedReply.class);
    }
}
