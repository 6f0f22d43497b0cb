package dev.tally.ledger.domain;

import dev.tally.events.ledger.BudgetHold;
import dev.tally.events.ledger.Leg;
import dev.tally.events.ledger.Priority;
import dev.tally.events.ledger.Scope;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * An open hold: credits taken from accounts' availability and from budgets' windows until posted or voided.
 *
 * @param firstAccountId the account of the first leg as reserved, which pays a charge beyond the hold (an overdraft)
 *                       even after a lease's charges used that leg up; null in states written before overdrafts,
 *                       see {@link #overdraftAccountId()}
 */
record Reservation(String id, long credits, List<Leg> legs, List<BudgetHold> budgets, List<Scope> scopeChain,
        Priority priority, Instant expiresAt, String firstAccountId) {

    /**
     * The account a charge beyond the hold goes to. A state saved before overdrafts (a snapshot, the projection's
     * checkpoint) lacks {@code firstAccountId}; its first remaining leg is the best it knows, and the overdraft event
     * names the account it used, so replay and projection agree whichever it was.
     */
    String overdraftAccountId() {
        if (firstAccountId != null) {
            return firstAccountId;
        }
        return legs.isEmpty() ? null : legs.get(0).accountId();
    }

    Reservation renewedUntil(Instant newExpiry) {
        return new Reservation(id, credits, legs, budgets, scopeChain, priority, newExpiry, firstAccountId);
    }

    /** The parts of {@code amount} each account pays, taken from the legs in order; at most what the legs hold. */
    List<Leg> take(long amount) {
        List<Leg> parts = new ArrayList<>();
        long left = amount;
        for (Leg leg : legs) {
            long part = Math.min(leg.credits(), left);
            if (part > 0) {
                parts.add(new Leg(leg.accountId(), part));
                left -= part;
            }
        }
        return List.copyOf(parts);
    }

    /**
     * What is left once {@code charges} (from {@link #take}) were paid: a lease stays open with less. A leg paid in
     * full is dropped, as a reservation never holds a leg of zero credits.
     */
    Reservation less(List<Leg> charges) {
        Map<String, Long> paid = charges.stream().collect(Collectors.toMap(Leg::accountId, Leg::credits, Long::sum));
        List<Leg> left = legs.stream()
                .map(leg -> new Leg(leg.accountId(), leg.credits() - paid.getOrDefault(leg.accountId(), 0L)))
                .filter(leg -> leg.credits() > 0).toList();
        long total = charges.stream().mapToLong(Leg::credits).sum();
        return new Reservation(id, credits - total, left, budgets, scopeChain, priority, expiresAt, firstAccountId);
    }
}
