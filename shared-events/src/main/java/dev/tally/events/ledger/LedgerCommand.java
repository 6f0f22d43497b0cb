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
}
