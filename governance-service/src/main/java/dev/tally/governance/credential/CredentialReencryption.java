package dev.tally.governance.credential;

import dev.tally.governance.auth.Caller;
import dev.tally.governance.support.Changes;
import dev.tally.governance.web.ApiException;
import dev.tally.servicekit.secret.ReencryptionReport;
import dev.tally.servicekit.secret.ReencryptionReport.Outcome;
import dev.tally.servicekit.secret.ReencryptionReport.Result;
import dev.tally.servicekit.secret.SecretSealer;
import org.springframework.http.HttpStatus;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

import java.util.Map;

/**
 * After a key rotation, seals every stored BYOK credential again under the current key, so the old key can be
 * removed. An admin route rather than a separate run mode: the running service already has the database, the state
 * outbox that carries the new value to every gateway, and the audit log, and a platform admin can run it without a
 * second deployment. Each credential is its own transaction, and one already under the current key is left alone, so
 * the command is idempotent and a rerun after a crash picks up where the last run stopped.
 */
@RestController
public class CredentialReencryption {

    private final DatabaseClient db;
    private final Changes changes;
    private final SecretSealer sealer;

    public CredentialReencryption(DatabaseClient db, Changes changes, SecretSealer sealer) {
        this.db = db;
        this.changes = changes;
        this.sealer = sealer;
    }

    @PostMapping("/admin/credentials/re-encrypt")
    public Mono<ReencryptionReport> reEncrypt(Caller caller) {
        caller.requirePlatformAdmin();
        if (!sealer.configured()) {
            throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "credential_key_missing",
                    "there is no " + CredentialSecrets.KEY_VARIABLE + " to re-encrypt with", null, null);
        }
        // Revoked credentials too: they stay on the state topic, where a removed key would leave them unreadable.
        return db.sql("select * from credential order by id").map(Credential::of).all()
                .concatMap(credential -> reEncrypt(caller, credential))
                .collectList()
                .map(results -> ReencryptionReport.of(sealer.currentKeyId(), results));
    }

    private Mono<Result> reEncrypt(Caller caller, Credential c) {
        if (sealer.isCurrent(c.ciphertext())) {
            return Mono.just(new Result(c.id(), Outcome.ALREADY_CURRENT));
        }
        String resealed;
        try {
            resealed = sealer.reseal(c.id(), c.ciphertext());
        } catch (IllegalStateException e) {
            return Mono.just(new Result(c.id(), Outcome.UNREADABLE));
        }
        Credential updated = new Credential(c.id(), c.orgId(), c.provider(), c.label(), resealed, c.lastFour(),
                c.status(), c.createdAt(), c.revokedAt());
        // Compared with the value read: only another run rewrites a ciphertext, and then it is under the current key.
        return changes.commit(db.sql("update credential set ciphertext = :new where id = :id and ciphertext = :old")
                .bind("new", resealed).bind("id", c.id()).bind("old", c.ciphertext())
                .fetch().rowsUpdated()
                .flatMap(rows -> rows == 0 ? Mono.just(new Result(c.id(), Outcome.ALREADY_CURRENT))
                        : changes.publish(updated.state())
                                .then(changes.audit(c.orgId(), caller.actor(), "credential.re_encrypted",
                                        "credential", c.id(), Map.of("key_id", sealer.currentKeyId())))
                                .thenReturn(new Result(c.id(), Outcome.RE_ENCRYPTED))));
    }
}
