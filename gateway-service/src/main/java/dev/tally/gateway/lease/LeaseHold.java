package dev.tally.gateway.lease;

/**
 * The credits carved out of a lease for one request. Ends exactly once: charged with the actual cost (the lease pays
 * up to what was held; the ledger takes any excess from the member's account as an overdraft) or given back whole
 * when nothing was served.
 */
public final class LeaseHold {

    private final CreditLeases leases;
    private final LeaseLine line;
    private final Lease lease;
    private final String requestId;
    private final long credits;
    private boolean ended;

    LeaseHold(CreditLeases leases, LeaseLine line, Lease lease, String requestId, long credits) {
        this.leases = leases;
        this.line = line;
        this.lease = lease;
        this.requestId = requestId;
        this.credits = credits;
    }

    public String leaseId() {
        return lease.id;
    }

    public long credits() {
        return credits;
    }

    /** Charges the actual cost; returns what the ledger will charge for it and when that charge is durable. */
    public ChargeReceipt charge(long actualCredits, long tokensIn, long tokensOut, String model, String provider) {
        synchronized (line) {
            if (ended) {
                throw new IllegalStateException("request " + requestId + " already ended its hold");
            }
            ended = true;
            return leases.charge(line, lease, requestId, credits, actualCredits, tokensIn, tokensOut, model,
                    provider);
        }
    }

    /** Nothing was served: the credits go back to the lease. */
    public void giveBack() {
        synchronized (line) {
            if (!ended) {
                ended = true;
                leases.giveBack(line, lease, credits);
            }
        }
    }
}
