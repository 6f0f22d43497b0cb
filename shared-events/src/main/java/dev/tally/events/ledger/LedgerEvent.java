package dev.tally.events.ledger;

import java.time.Instant;

/** Every credit movement and every refusal, as the ledger recorded it. {@code commandId} names the cause. */
public sealed interface LedgerEvent permits LedgerOpenedEvent, AccountOpenedEvent, CreditsPurchasedEvent,
        CreditsTransferredEvent, TransferRefusedEvent, BudgetDefinedEvent, BudgetRemovedEvent, CreditReservedEvent,
        CreditReservationRejectedEvent, UsageRecordedEvent, ReservationReleasedEvent, ReservationExpiredEvent,
        BalanceAdjustedEvent, CreditsRefundedEvent, BudgetThresholdCrossedEvent, BudgetExhaustedEvent,
        LeaseChargedEvent, ReservationRenewedEvent, CreditOverdrawnEvent {

    String ledgerId();

    String commandId();

    Instant occurredAt();
}
