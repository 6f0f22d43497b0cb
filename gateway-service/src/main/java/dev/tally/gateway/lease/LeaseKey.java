package dev.tally.gateway.lease;

import dev.tally.events.ledger.Priority;
import dev.tally.events.ledger.Scope;

import java.util.List;

/**
 * What a lease covers. Requests with the same key would make reservations the ledger checks identically (same
 * accounts in the same order, same budgets, same priority), so one reservation can serve them all.
 */
record LeaseKey(String orgId, List<Scope> scopes, List<String> accountIds, Priority priority, boolean user) {
}
