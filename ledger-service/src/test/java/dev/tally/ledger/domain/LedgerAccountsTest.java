package dev.tally.ledger.domain;

import dev.tally.events.ledger.AccountKind;
import dev.tally.events.ledger.AccountOpenedEvent;
import dev.tally.events.ledger.AdjustBalanceCommand;
import dev.tally.events.ledger.BalanceAdjustedEvent;
import dev.tally.events.ledger.CreditsPurchasedEvent;
import dev.tally.events.ledger.CreditsRefundedEvent;
import dev.tally.events.ledger.CreditsTransferredEvent;
import dev.tally.events.ledger.LedgerOpenedEvent;
import dev.tally.events.ledger.OpenAccountCommand;
import dev.tally.events.ledger.OpenLedgerCommand;
import dev.tally.events.ledger.PurchaseCreditsCommand;
import dev.tally.events.ledger.RefundCreditsCommand;
import dev.tally.events.ledger.TransferCreditsCommand;
import dev.tally.events.ledger.TransferRefusedEvent;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import static dev.tally.events.ledger.RejectionReason.ACCOUNT_ALREADY_OPEN;
import static dev.tally.events.ledger.RejectionReason.INSUFFICIENT_CREDITS;
import static dev.tally.events.ledger.RejectionReason.INVALID_AMOUNT;
import static dev.tally.events.ledger.RejectionReason.INVALID_COMMAND;
import static dev.tally.events.ledger.RejectionReason.LEDGER_ALREADY_OPEN;
import static dev.tally.events.ledger.RejectionReason.UNKNOWN_ACCOUNT;
import static dev.tally.ledger.domain.LedgerTestKit.ACTOR;
import static dev.tally.ledger.domain.LedgerTestKit.ALICE;
import static dev.tally.ledger.domain.LedgerTestKit.LEDGER;
import static dev.tally.ledger.domain.LedgerTestKit.NOW;
import static dev.tally.ledger.domain.LedgerTestKit.ORG;
import static dev.tally.ledger.domain.LedgerTestKit.TEAM;
import static dev.tally.ledger.domain.LedgerTestKit.accepted;
import static dev.tally.ledger.domain.LedgerTestKit.accountOpened;
import static dev.tally.ledger.domain.LedgerTestKit.adjust;
import static dev.tally.ledger.domain.LedgerTestKit.ledgerOpened;
import static dev.tally.ledger.domain.LedgerTestKit.newFixture;
import static dev.tally.ledger.domain.LedgerTestKit.notOpenedFor;
import static dev.tally.ledger.domain.LedgerTestKit.openAccount;
import static dev.tally.ledger.domain.LedgerTestKit.openLedger;
import static dev.tally.ledger.domain.LedgerTestKit.purchase;
import static dev.tally.ledger.domain.LedgerTestKit.purchased;
import static dev.tally.ledger.domain.LedgerTestKit.refund;
import static dev.tally.ledger.domain.LedgerTestKit.rejected;
import static dev.tally.ledger.domain.LedgerTestKit.rejectedFor;
import static dev.tally.ledger.domain.LedgerTestKit.reserved;
import static dev.tally.ledger.domain.LedgerTestKit.transfer;

/** Opening ledgers and accounts, and moving credits between accounts outside reservations. */
class LedgerAccountsTest {

    private AggregateTestFixture<CreditLedger> fixture;

    @BeforeEach
    void setUp() {
        fixture = newFixture();
    }

    @Nested
    class OpenLedger {

        @Test
        void opening_a_new_ledger_opens_it_with_its_org_account_and_overdraft_limit() {
            OpenLedgerCommand open = openLedger(500);

            fixture.givenCurrentTime(NOW)
                    .when(open)
                    .expectSuccessfulHandlerExecution()
                    .expectEvents(new LedgerOpenedEvent(LEDGER, open.commandId(), NOW, ORG, 500, ACTOR))
                    .expectResultMessagePayload(accepted(open, "LedgerOpened", 0));
        }

        @Test
        void opening_a_ledger_that_is_already_open_is_rejected_without_events() {
            OpenLedgerCommand open = openLedger(0);

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened())
                    .when(open)
                    .expectNoEvents()
                    .expectResultMessagePayload(rejected(open, LEDGER_ALREADY_OPEN,
                            "ledger " + LEDGER + " is already open"));
        }

        @Test
        void opening_a_new_ledger_with_a_negative_overdraft_limit_is_refused_and_creates_nothing() {
            OpenLedgerCommand open = openLedger(-1);

            fixture.givenCurrentTime(NOW)
                    .when(open)
                    .expectNoEvents()
                    .expectException(LedgerNotOpenedException.class)
                    .expectException(notOpenedFor(open, INVALID_AMOUNT));
        }

        @Test
        void opening_a_new_ledger_without_an_org_account_is_refused_as_invalid() {
            OpenLedgerCommand open = new OpenLedgerCommand("cmd-open-ledger", LEDGER, " ", 0, ACTOR);

            fixture.givenCurrentTime(NOW)
                    .when(open)
                    .expectNoEvents()
                    .expectException(notOpenedFor(open, INVALID_COMMAND));
        }

        @Test
        void a_command_to_a_ledger_that_was_never_opened_finds_no_aggregate() {
            fixture.givenCurrentTime(NOW)
                    .when(purchase(ORG, 100))
                    .expectNoEvents()
                    .expectException(AggregateNotFoundException.class);
        }
    }

    @Nested
    class OpenAccount {

        @Test
        void opening_an_account_records_its_kind() {
            OpenAccountCommand open = openAccount(TEAM, AccountKind.GROUP);

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened())
                    .when(open)
                    .expectEvents(new AccountOpenedEvent(LEDGER, open.commandId(), NOW, TEAM, AccountKind.GROUP, ACTOR))
                    .expectResultMessagePayload(accepted(open, "AccountOpened", 0));
        }

        @Test
        void opening_an_account_that_is_already_open_is_rejected() {
            OpenAccountCommand open = openAccount(TEAM, AccountKind.GROUP);

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), accountOpened(TEAM, AccountKind.GROUP))
                    .when(open)
                    .expectNoEvents()
                    .expectResultMessagePayload(rejected(open, ACCOUNT_ALREADY_OPEN,
                            "account " + TEAM + " is already open"));
        }

        @Test
        void opening_an_account_under_the_org_accounts_id_is_rejected_as_already_open() {
            OpenAccountCommand open = openAccount(ORG, AccountKind.PROJECT);

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened())
                    .when(open)
                    .expectNoEvents()
                    .expectResultMessagePayloadMatching(rejectedFor(open, ACCOUNT_ALREADY_OPEN));
        }

        @Test
        void opening_an_account_without_a_kind_is_rejected_as_invalid() {
            OpenAccountCommand open = new OpenAccountCommand("cmd-open-kindless", LEDGER, TEAM, null, ACTOR);

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened())
                    .when(open)
                    .expectNoEvents()
                    .expectResultMessagePayloadMatching(rejectedFor(open, INVALID_COMMAND));
        }
    }

    @Nested
    class PurchaseCredits {

        @Test
        void purchasing_credits_adds_them_to_the_account() {
            PurchaseCreditsCommand purchase = purchase(ORG, 1_000);

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened())
                    .when(purchase)
                    .expectEvents(new CreditsPurchasedEvent(LEDGER, purchase.commandId(), NOW, ORG, 1_000, ACTOR,
                            purchase.reference()))
                    .expectResultMessagePayload(accepted(purchase, "CreditsPurchased", 1_000));
        }

        @Test
        void purchasing_zero_credits_is_rejected_as_an_invalid_amount() {
            PurchaseCreditsCommand purchase = purchase(ORG, 0);

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened())
                    .when(purchase)
                    .expectNoEvents()
                    .expectResultMessagePayload(rejected(purchase, INVALID_AMOUNT, "credits must be positive, was 0"));
        }

        @Test
        void purchasing_negative_credits_is_rejected_as_an_invalid_amount() {
            PurchaseCreditsCommand purchase = purchase(ORG, -10);

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened())
                    .when(purchase)
                    .expectNoEvents()
                    .expectResultMessagePayloadMatching(rejectedFor(purchase, INVALID_AMOUNT));
        }

        @Test
        void purchasing_for_an_unknown_account_is_rejected() {
            PurchaseCreditsCommand purchase = purchase("acct-nobody", 100);

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened())
                    .when(purchase)
                    .expectNoEvents()
                    .expectResultMessagePayload(rejected(purchase, UNKNOWN_ACCOUNT,
                            "no account acct-nobody in ledger " + LEDGER));
        }
    }

    @Nested
    class TransferCredits {

        @Test
        void transferring_moves_available_credits_between_accounts() {
            TransferCreditsCommand transfer = transfer(ORG, TEAM, 300);

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), accountOpened(TEAM, AccountKind.GROUP), purchased(ORG, 1_000))
                    .when(transfer)
                    .expectEvents(new CreditsTransferredEvent(LEDGER, transfer.commandId(), NOW, ORG, TEAM, 300, ACTOR,
                            transfer.reason()))
                    .expectResultMessagePayload(accepted(transfer, "CreditsTransferred", 300));
        }

        @Test
        void transferring_every_available_credit_is_allowed() {
            TransferCreditsCommand transfer = transfer(ORG, TEAM, 1_000);

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), accountOpened(TEAM, AccountKind.GROUP), purchased(ORG, 1_000))
                    .when(transfer)
                    .expectResultMessagePayload(accepted(transfer, "CreditsTransferred", 1_000));
        }

        @Test
        void transferring_more_than_is_available_after_open_reservations_is_refused_with_an_event() {
            TransferCreditsCommand transfer = transfer(ORG, TEAM, 700);
            String detail = "account " + ORG + " has 600 credits available, 700 requested";

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), accountOpened(TEAM, AccountKind.GROUP), purchased(ORG, 1_000),
                            reserved("res-1", 400))
                    .when(transfer)
                    .expectEvents(new TransferRefusedEvent(LEDGER, transfer.commandId(), NOW, ORG, TEAM, 700,
                            INSUFFICIENT_CREDITS, detail))
                    .expectResultMessagePayload(rejected(transfer, INSUFFICIENT_CREDITS, detail));
        }

        @Test
        void a_refused_transfer_moves_nothing() {
            // Had the refused 1,500 moved, the org pool would be 500 overdrawn and could not hand out its 1,000.
            TransferCreditsCommand rest = transfer(ORG, TEAM, 1_000);

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), accountOpened(TEAM, AccountKind.GROUP), purchased(ORG, 1_000))
                    .andGivenCommands(transfer(ORG, TEAM, 1_500))
                    .when(rest)
                    .expectResultMessagePayload(accepted(rest, "CreditsTransferred", 1_000));
        }

        @Test
        void transferring_to_the_same_account_is_rejected_as_invalid() {
            TransferCreditsCommand transfer = transfer(ORG, ORG, 10);

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), purchased(ORG, 1_000))
                    .when(transfer)
                    .expectNoEvents()
                    .expectResultMessagePayload(rejected(transfer, INVALID_COMMAND,
                            "from_account_id and to_account_id must differ"));
        }

        @Test
        void transferring_from_an_unknown_account_is_rejected() {
            TransferCreditsCommand transfer = transfer("acct-nobody", ORG, 10);

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), purchased(ORG, 1_000))
                    .when(transfer)
                    .expectNoEvents()
                    .expectResultMessagePayloadMatching(rejectedFor(transfer, UNKNOWN_ACCOUNT));
        }

        @Test
        void transferring_to_an_unknown_account_is_rejected() {
            TransferCreditsCommand transfer = transfer(ORG, "acct-nobody", 10);

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), purchased(ORG, 1_000))
                    .when(transfer)
                    .expectNoEvents()
                    .expectResultMessagePayload(rejected(transfer, UNKNOWN_ACCOUNT,
                            "no account acct-nobody in ledger " + LEDGER));
        }

        @Test
        void transferring_zero_credits_is_rejected_as_an_invalid_amount() {
            TransferCreditsCommand transfer = transfer(ORG, TEAM, 0);

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), accountOpened(TEAM, AccountKind.GROUP), purchased(ORG, 1_000))
                    .when(transfer)
                    .expectNoEvents()
                    .expectResultMessagePayloadMatching(rejectedFor(transfer, INVALID_AMOUNT));
        }
    }

    @Nested
    class AdjustBalance {

        @Test
        void a_positive_adjustment_adds_credits() {
            AdjustBalanceCommand adjust = adjust(TEAM, 25);

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), accountOpened(TEAM, AccountKind.GROUP))
                    .when(adjust)
                    .expectEvents(new BalanceAdjustedEvent(LEDGER, adjust.commandId(), NOW, TEAM, 25, ACTOR,
                            adjust.reason()))
                    .expectResultMessagePayload(accepted(adjust, "BalanceAdjusted", 25));
        }

        @Test
        void a_negative_adjustment_within_the_available_balance_removes_credits_and_reports_their_amount() {
            AdjustBalanceCommand adjust = adjust(ORG, -400);

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), purchased(ORG, 1_000), reserved("res-1", 600))
                    .when(adjust)
                    .expectEvents(new BalanceAdjustedEvent(LEDGER, adjust.commandId(), NOW, ORG, -400, ACTOR,
                            adjust.reason()))
                    .expectResultMessagePayload(accepted(adjust, "BalanceAdjusted", 400));
        }

        @Test
        void a_negative_adjustment_beyond_the_available_balance_is_rejected_without_events() {
            AdjustBalanceCommand adjust = adjust(ORG, -401);

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), purchased(ORG, 1_000), reserved("res-1", 600))
                    .when(adjust)
                    .expectNoEvents()
                    .expectResultMessagePayload(rejected(adjust, INSUFFICIENT_CREDITS,
                            "account " + ORG + " has 400 credits available, cannot adjust by -401"));
        }

        @Test
        void a_zero_adjustment_is_rejected_as_an_invalid_amount() {
            AdjustBalanceCommand adjust = adjust(ORG, 0);

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), purchased(ORG, 1_000))
                    .when(adjust)
                    .expectNoEvents()
                    .expectResultMessagePayload(rejected(adjust, INVALID_AMOUNT, "delta_credits must not be zero"));
        }

        @Test
        void adjusting_an_unknown_account_is_rejected() {
            AdjustBalanceCommand adjust = adjust("acct-nobody", 10);

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened())
                    .when(adjust)
                    .expectNoEvents()
                    .expectResultMessagePayloadMatching(rejectedFor(adjust, UNKNOWN_ACCOUNT));
        }
    }

    @Nested
    class RefundCredits {

        @Test
        void a_refund_gives_credits_back_to_the_account() {
            RefundCreditsCommand refund = refund(ALICE, 40);

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), accountOpened(ALICE, AccountKind.MEMBER))
                    .when(refund)
                    .expectEvents(new CreditsRefundedEvent(LEDGER, refund.commandId(), NOW, ALICE, 40,
                            refund.reservationId(), ACTOR, refund.reason()))
                    .expectResultMessagePayload(accepted(refund, "CreditsRefunded", 40));
        }

        @Test
        void refunded_credits_become_available() {
            TransferCreditsCommand spend = transfer(ORG, TEAM, 40);

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened(), accountOpened(TEAM, AccountKind.GROUP))
                    .andGivenCommands(refund(ORG, 40))
                    .when(spend)
                    .expectResultMessagePayload(accepted(spend, "CreditsTransferred", 40));
        }

        @Test
        void refunding_zero_credits_is_rejected_as_an_invalid_amount() {
            RefundCreditsCommand refund = refund(ORG, 0);

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened())
                    .when(refund)
                    .expectNoEvents()
                    .expectResultMessagePayload(rejected(refund, INVALID_AMOUNT, "credits must be positive, was 0"));
        }

        @Test
        void refunding_to_an_unknown_account_is_rejected() {
            RefundCreditsCommand refund = refund("acct-nobody", 10);

            fixture.givenCurrentTime(NOW)
                    .andGiven(ledgerOpened())
                    .when(refund)
                    .expectNoEvents()
                    .expectResultMessagePayloadMatching(rejectedFor(refund, UNKNOWN_ACCOUNT));
        }
    }
}
