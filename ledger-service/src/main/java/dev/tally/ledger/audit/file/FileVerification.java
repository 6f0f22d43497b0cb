package dev.tally.ledger.audit.file;

import java.util.List;

/** What {@link AuditFileVerifier} found: no problem means complete, unaltered and adding up. */
public record FileVerification(AuditManifest manifest, int events, List<String> problems) {

    public boolean ok() {
        return problems.isEmpty();
    }
}
