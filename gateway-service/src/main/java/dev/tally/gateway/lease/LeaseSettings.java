package dev.tally.gateway.lease;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/**
 * How big credit leases grow and how long they live. Bigger and longer means fewer ledger round trips; smaller and
 * shorter means less credit held by one gateway replica that another replica's request could have used.
 *
 * @param idleRelease  a lease nobody carved from for this long is returned to the ledger, or longer (up to
 *                     {@code maxIdle}) for a member whose requests come further apart
 * @param maxAge       a lease is not carved from after this age (the ledger's TTL must be well above it)
 * @param targetWindow a lease is sized to cover about this long of its member's recent request rate
 * @param maxRequests  a lease never covers more than this many requests of the size that asked for it
 * @param budgetShare  a lease never holds more than 1/budgetShare of the smallest budget limit on its chain
 * @param chargeDelay  a finished request's charge waits this long for others to share its ledger command (its answer
 *                     does not wait: the charge is in the journal already)
 * @param reclaimWait  a request refused for want of credit waits at most this long for the credit this replica's own
 *                     leases still hold to come back before it is refused for good
 * @param maxIdle      the longest a lease is kept unused (see {@code idleRelease}): long enough for a member asking
 *                     every few seconds to keep its lease between requests, since credit a lease holds is reclaimed
 *                     on demand when a budget runs short
 */
@ConfigurationProperties("tally.gateway.leases")
public record LeaseSettings(Duration idleRelease, Duration maxAge, Duration targetWindow, int maxRequests,
        int budgetShare, Duration chargeDelay, Duration reclaimWait,
        Duration maxIdle) {

    public static final LeaseSettings DEFAULTS = new LeaseSettings(null, null, null, 0, 0, null, null, null);

    public LeaseSettings {
        idleRelease = idleRelease == null ? Duration.ofMillis(500) : idleRelease;
        maxAge = maxAge == null ? Duration.ofSeconds(120) : maxAge;
        targetWindow = targetWindow == null ? Duration.ofSeconds(1) : targetWindow;
        maxRequests = maxRequests <= 0 ? 256 : maxRequests;
        budgetShare = budgetShare <= 0 ? 20 : budgetShare;
        chargeDelay = chargeDelay == null ? Duration.ofMillis(100) : chargeDelay;
        reclaimWait = reclaimWait == null ? Duration.ofSeconds(2) : reclaimWait;
        maxIdle = maxIdle == null ? Duration.ofSeconds(30) : maxIdle;
    }
}
