package dev.tally.governance.credential;

import dev.tally.events.governance.KeyStatus;
import dev.tally.governance.auth.Caller;
import dev.tally.governance.hierarchy.Lookup;
import dev.tally.governance.support.Changes;
import dev.tally.governance.support.Ids;
import dev.tally.governance.web.ApiException;
import dev.tally.governance.web.Check;
import dev.tally.servicekit.secret.SecretSealer;
import org.springframework.http.HttpStatus;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Agent Control's BYOK: an organisation's own provider keys, encrypted before they touch the database and never
 * returned; a listing shows the label, the provider and the last four characters.
 */
@RestController
public class CredentialController {

    private static final Pattern PROVIDER = Pattern.compile("[a-z0-9][a-z0-9._-]{0,39}");

    /** Either {@code api_key}, or for Bedrock an AWS key pair: {@code access_key_id}, {@code secret_access_key}. */
    public record CreateCredential(String provider, String apiKey, String label, String accessKeyId,
            String secretAccessKey, String sessionToken) {
    }

    public record CredentialView(String id, String orgId, String provider, String label, String lastFour,
            boolean isActive, Instant createdAt, Instant revokedAt) {

        static CredentialView of(Credential c) {
            return new CredentialView(c.id(), c.orgId(), c.provider(), c.label(), c.lastFour(),
                    c.status() == KeyStatus.ACTIVE, c.createdAt(), c.revokedAt());
        }
    }

    private final DatabaseClient db;
    private final Lookup lookup;
    private final Changes changes;
    private final SecretSealer cipher;

    public CredentialController(DatabaseClient db, Lookup lookup, Changes changes, SecretSealer cipher) {
        this.db = db;
        this.lookup = lookup;
        this.changes = changes;
        this.cipher = cipher;
    }

    @PostMapping("/orgs/{orgId}/credentials")
    @ResponseStatus(HttpStatus.CREATED)
    public Mono<CredentialView> create(Caller caller, @PathVariable String orgId,
            @RequestBody CreateCredential request) {
        return lookup.org(caller, orgId).flatMap(org -> {
            if (!cipher.configured()) {
                throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "credential_key_missing",
                        "BYOK credentials cannot be stored: the server has no TALLY_CREDENTIAL_KEY "
                                + "(base64 of 32 bytes, e.g. from 'openssl rand -base64 32')", null, null);
            }
            String provider = Check.name(request.provider(), "provider").toLowerCase(Locale.ROOT);
            if (!PROVIDER.matcher(provider).matches()) {
                throw ApiException.invalid("provider", "must be a provider name such as openai or anthropic");
            }
            CredentialSecret secret = CredentialSecret.of(request.apiKey(), request.accessKeyId(),
                    request.secretAccessKey(), request.sessionToken());
            String label = request.label() == null ? provider : Check.name(request.label(), "label");
            String id = Ids.newId();
            Credential credential = new Credential(id, org.id(), provider, label, cipher.seal(id, secret.secret()),
                    secret.lastFour(), KeyStatus.ACTIVE, Instant.now(), null);
            return changes.commit(db.sql("""
                                    insert into credential (id, org_id, provider, label, ciphertext, last_four, status,
                                        created_at)
                                    values (:id, :org, :provider, :label, :ciphertext, :four, 'ACTIVE', :at)""")
                            .bind("id", id).bind("org", org.id()).bind("provider", provider).bind("label", label)
                            .bind("ciphertext", credential.ciphertext()).bind("four", credential.lastFour())
                            .bind("at", credential.createdAt().atOffset(ZoneOffset.UTC)).then()
                            .then(changes.publish(credential.state()))
                            .then(changes.audit(org.id(), caller.actor(), "credential.created", "credential", id,
                                    Map.of("provider", provider, "label", label))))
                    .thenReturn(CredentialView.of(credential));
        });
    }

    @GetMapping("/orgs/{orgId}/credentials")
    public Flux<CredentialView> list(Caller caller, @PathVariable String orgId) {
        return lookup.org(caller, orgId)
                .flatMapMany(org -> db.sql("select * from credential where org_id = :org order by id")
                        .bind("org", org.id()).map(Credential::of).all())
                .map(CredentialView::of);
    }

    /** Revoked credentials stay listed (inactive); gateways fall back to the platform key. */
    @DeleteMapping("/orgs/{orgId}/credentials/{credentialId}")
    public Mono<CredentialView> revoke(Caller caller, @PathVariable String orgId, @PathVariable String credentialId) {
        return lookup.org(caller, orgId)
                .flatMap(org -> db.sql("select * from credential where id = :id and org_id = :org")
                        .bind("id", credentialId).bind("org", org.id()).map(Credential::of).one())
                .switchIfEmpty(Mono.error(() -> ApiException.notFound("credential", credentialId)))
                .flatMap(c -> {
                    if (c.status() == KeyStatus.REVOKED) {
                        return Mono.just(c);
                    }
                    Credential revoked = new Credential(c.id(), c.orgId(), c.provider(), c.label(), c.ciphertext(),
                            c.lastFour(), KeyStatus.REVOKED, c.createdAt(), Instant.now());
                    return changes.commit(db.sql("update credential set status = 'REVOKED', revoked_at = :at "
                                            + "where id = :id")
                                    .bind("id", c.id()).bind("at", revoked.revokedAt().atOffset(ZoneOffset.UTC))
                                    .then()
                                    .then(changes.publish(revoked.state()))
                                    .then(changes.audit(c.orgId(), caller.actor(), "credential.revoked", "credential",
                                            c.id(), Map.of())))
                            .thenReturn(revoked);
                })
                .map(CredentialView::of);
    }
}
