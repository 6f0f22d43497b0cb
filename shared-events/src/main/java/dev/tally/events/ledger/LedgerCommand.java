package dev.tally.events.ledger;

/**
 * A command to one organisation's credit ledger. {@code commandId} is chosen by the caller, kept across
 * retries, and is the idempotency key: a repeat returns the first outcome and changes nothing.
 */
public sealed interface LedgerCommand permits OpenLedgerCommand, OpenAccountCommand, PurchaseCreditsCommand,
        TransferCreditsCommand, DefineBudgetCommand, RemoveBudgetCommand, ReserveCreditCommand,
        RecordUsageCommand, ReleaseReservationCommand, ExpireReservationCommand, AdjustBalanceCommand,
        RefundCreditsCommand, ChargeLeaseCommand, SettleLeasesCommand {

    String commandId();

    String ledgerId();

    /**
     * {@code visitor}'s method for this command: a visitor must name every command, so adding a command to this
     * interface does not compile until everything that decides commands (the ledger's rules) decides the new one.
     */
    <R> R accept(Visitor<R> visitor);

    /** One method per command: what deciding, or any other treatment of every command, does with each. */
    interface Visitor<R> {

        R openLedger(OpenLedgerCommand command);

        R openAccount(OpenAccountCommand command);

        R purchaseCredits(PurchaseCreditsCommand command);

        R transferCredits(TransferCreditsCommand command);

        R defineBudget(DefineBudgetCommand command);

        R removeBudget(RemoveBudgetCommand command);

        R reserveCredit(ReserveCreditCommand command);

        R recordUsage(RecordUsageCommand command);

        R releaseReservation(ReleaseReservationCommand command);

        R expireReservation(ExpireReservationCommand command);

        R adjustBalance(AdjustBalanceCommand command);

        R refundCredits(RefundCreditsCommand command);

        R chargeLease(ChargeLeaseCommand command);

        R settleLeases(SettleLeasesCommand command);
    }
}
