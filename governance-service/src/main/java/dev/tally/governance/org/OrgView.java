package dev.tally.governance.org;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tally.governance.hierarchy.Org;

import java.time.Instant;

/**
 * An organisation as the API shows it (Agent Control's fields). {@code billing_group_id} and {@code ledger_id} both name
 * the org's ledger, which is where credits are bought.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OrgView(String id, String name, String slug, String description, String ledgerId,
        String billingGroupId, String defaultWorkspaceId, long creditsPerUsd, long criticalOverdraftLimit,
        boolean isActive, String status, Instant createdAt, Instant updatedAt, String ledgerStatus,
        AdminKeyView ownerKey) {

    static OrgView of(Org org, String defaultWorkspaceId) {
        return new OrgView(org.id(), org.name(), org.slug(), org.description(), org.id(), org.id(),
                defaultWorkspaceId, org.creditsPerUsd(), org.criticalOverdraftLimit(),
                org.status() == dev.tally.events.governance.EntityStatus.ACTIVE, org.status().name(),
                org.createdAt(), org.updatedAt(), null, null);
    }

    OrgView withCreation(String ledgerStatus, AdminKeyView ownerKey) {
        return new OrgView(id, name, slug, description, ledgerId, billingGroupId, defaultWorkspaceId, creditsPerUsd,
                criticalOverdraftLimit, isActive, status, createdAt, updatedAt, ledgerStatus, ownerKey);
    }
}
