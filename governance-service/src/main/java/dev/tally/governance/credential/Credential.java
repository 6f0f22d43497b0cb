package dev.tally.governance.credential;

import dev.tally.events.governance.CredentialState;
import dev.tally.events.governance.KeyStatus;
import dev.tally.governance.support.Sql;
import io.r2dbc.spi.Readable;

import java.time.Instant;

public record Credential(String id, String orgId, String provider, String label, String ciphertext, String lastFour,
        KeyStatus status, Instant createdAt, Instant revokedAt) {

    public static Credential of(Readable r) {
        return new Credential(Sql.string(r, "id"), Sql.string(r, "org_id"), Sql.string(r, "provider"),
                Sql.string(r, "label"), Sql.string(r, "ciphertext"), Sql.string(r, "last_four"),
                KeyStatus.valueOf(Sql.string(r, "status")), Sql.instant(r, "created_at"),
                Sql.instant(r, "revoked_at"));
    }

    public CredentialState state() {
        return new CredentialState(id, orgId, provider, label, ciphertext, lastFour, status,
                revokedAt != null ? revokedAt : createdAt);
    }
}
