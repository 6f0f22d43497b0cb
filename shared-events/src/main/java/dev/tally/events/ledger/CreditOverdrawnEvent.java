package dev.tally.events.ledger;

import java.time.Instant;

/**
 * A request cost more than its hold, and the ledger charged the excess to the account the reservation drew from
 * first, outside every check a hold passes: the account may now be below zero and its budgets beyond their limits.
 * Emitted right after the {@link UsageRecordedEvent} or {@link LeaseChargedEvent} that records the charge.
 *
 * @param reservationId the reservation or lease the request was served from
 * @param requestId the gateway request: the lease charge's request id, or the reservation id for a usage
 * @param accountId the account charged the overdraft
 * @param memberScope the MEMBER node of the reservation's scope chain; null when the chain has none
 * @param overdraftCredits the cost beyond the hold, charged to the account
 * @param balanceCredits the account's balance after the charge
 * @param availableCredits the account's available credits (balance less what open reservations hold) after the
 *                         charge: negative when the overdraft took it below zero
 */
public record CreditOverdrawnEvent(String ledgerId, String commandId, Instant occurredAt, String reservationId,
        String requestId, String accountId, Scope memberScope, long overdraftCredits, long balanceCredits,
        long availableCredits) implements LedgerEvent {
}
