package dev.tally.notification.channel;

import dev.tally.servicekit.auth.Caller;
import dev.tally.servicekit.secret.ReencryptionReport;
import dev.tally.servicekit.secret.ReencryptionReport.Outcome;
import dev.tally.servicekit.secret.ReencryptionReport.Result;
import dev.tally.servicekit.secret.SecretSealer;
import dev.tally.servicekit.web.ApiException;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * After a key rotation, seals every stored channel secret again under the current key, so the old key can be removed
 * (docs/security.md). An admin route, as governance's for BYOK credentials: the running service has the database and
 * the keys, and a platform admin runs it without a second deployment. Each channel is one conditional update, and a
 * secret already under the current key is left alone, so reruns (after a crash, or to check) change nothing more.
 */
@RestController
public class ChannelSecretReencryption {

    private final DatabaseClient db;
    private final SecretSealer sealer;

    public ChannelSecretReencryption(DatabaseClient db, SecretSealer sealer) {
        this.db = db;
        this.sealer = sealer;
    }

    @PostMapping("/admin/channels/re-encrypt")
    public Mono<ReencryptionReport> reEncrypt(Caller caller) {
        caller.requirePlatformAdmin();
        if (!sealer.configured()) {
            throw ApiException.unprocessable("encryption_not_configured",
                    "there is no " + ChannelSecrets.KEY_VARIABLE + " to re-encrypt with", null, null);
        }
        // Deleted channels too: a pending delivery to one still opens its secret to give up on it.
        return db.sql("select id, secret from channel where secret is not null order by id")
                .map(row -> new String[] {row.get("id", String.class), row.get("secret", String.class)}).all()
                .concatMap(row -> reEncrypt(row[0], row[1]))
                .collectList()
                .map(results -> ReencryptionReport.of(sealer.currentKeyId(), results));
    }

    private Mono<Result> reEncrypt(String channelId, String secret) {
        if (sealer.isCurrent(secret)) {
            return Mono.just(new Result(channelId, Outcome.ALREADY_CURRENT));
        }
        String resealed;
        try {
            resealed = sealer.reseal(channelId, secret);
        } catch (IllegalStateException e) {
            return Mono.just(new Result(channelId, Outcome.UNREADABLE));
        }
        // Compared with the value read: only another run rewrites a secret, and then it is under the current key.
        return db.sql("update channel set secret = :new where id = :id and secret = :old")
                .bind("new", resealed).bind("id", channelId).bind("old", secret)
                .fetch().rowsUpdated()
                .map(rows -> new Result(channelId, rows == 0 ? Outcome.ALREADY_CURRENT : Outcome.RE_ENCRYPTED));
    }
}
