package dev.tally.gateway.ledger;

import dev.tally.events.gateway.RequestOutcome;
import dev.tally.gateway.error.GatewayException;

/**
 * The ledger refused a reservation for want of credit (a budget or a balance): 402 to the client, unless the credit
 * comes back first. {@code reservedCredits} is what open reservations held of the refusing budget or accounts when
 * the ledger refused: requests running, and gateways' leases that may be returned.
 */
public final class CreditRefusal extends GatewayException {

    private final long reservedCredits;

    CreditRefusal(String code, String message, RequestOutcome outcome, String budgetId, long reservedCredits) {
        super(org.springframework.http.HttpStatus.PAYMENT_REQUIRED, "insufficient_quota", code, message, null,
                outcome, null, budgetId);
        this.reservedCredits = reservedCredits;
    }

    public long reservedCredits() {
        return reservedCredits;
    }
}
