package dev.tally.governance.credential;

import dev.tally.events.governance.CredentialState;
import dev.tally.governance.support.Admin;
import dev.tally.governance.support.GovernanceTestBase;
import dev.tally.servicekit.secret.SecretSealer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.r2dbc.core.DatabaseClient;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A key rotation as an operator runs it: credentials sealed under the retiring key (id "0", as values written before
 * key ids are) and under the current one; the re-encrypt command moves all to the current key, on the database and on
 * the state topic the gateways read; after it the current key alone opens every one, and a rerun changes nothing.
 */
class CredentialReencryptionIT extends GovernanceTestBase {

    private static final String VARIABLE = CredentialSecrets.KEY_VARIABLE;

    @Autowired
    DatabaseClient db;

    @Test
    void re_encrypt_moves_every_credential_to_the_current_key_so_the_retiring_key_can_be_removed() {
        TestOrg org = newOrg("Rotation", 0);
        String fresh = org.owner().create("/orgs/" + org.id() + "/credentials",
                Map.of("provider", "openai", "api_key", "sk-live-current-0001")).path("id").asString();
        SecretSealer retiring = new SecretSealer(VARIABLE, RETIRING_CREDENTIAL_KEY);
        String legacy = insert(org.id(), "sk-live-legacy-0002",
                id -> retiring.seal(id, "sk-live-legacy-0002").substring("0:".length()), "ACTIVE");
        String revoked = insert(org.id(), "sk-live-revoked-0003", id -> retiring.seal(id, "sk-live-revoked-0003"),
                "REVOKED");
        assertThat(ciphertext(fresh)).startsWith("current:");
        assertThat(ciphertext(legacy)).doesNotContain(":");
        assertThat(ciphertext(revoked)).startsWith("0:");

        JsonNode report = Admin.json(platform().post("/admin/credentials/re-encrypt", null), HttpStatus.OK);

        assertThat(report.path("key_id").asString()).isEqualTo("current");
        assertThat(report.path("re_encrypted").asLong()).isEqualTo(2);
        assertThat(report.path("already_current").asLong()).isEqualTo(1);
        assertThat(report.path("unreadable")).isEmpty();
        SecretSealer currentOnly = new SecretSealer(VARIABLE, "current:" + CREDENTIAL_KEY);
        assertThat(currentOnly.open(fresh, ciphertext(fresh))).isEqualTo("sk-live-current-0001");
        assertThat(currentOnly.open(legacy, ciphertext(legacy))).isEqualTo("sk-live-legacy-0002");
        assertThat(currentOnly.open(revoked, ciphertext(revoked))).isEqualTo("sk-live-revoked-0003");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            for (String id : new String[] {legacy, revoked}) {
                assertThat(stateTopic().get("credential:" + id, CredentialState.class))
                        .hasValueSatisfying(state -> assertThat(state.ciphertext()).isEqualTo(ciphertext(id)));
            }
        });

        JsonNode rerun = Admin.json(platform().post("/admin/credentials/re-encrypt", null), HttpStatus.OK);

        assertThat(rerun.path("re_encrypted").asLong()).isZero();
        assertThat(rerun.path("already_current").asLong()).isEqualTo(3);
    }

    @Test
    void only_a_platform_admin_may_re_encrypt() {
        TestOrg org = newOrg("Rotation refused", 0);

        JsonNode refused = Admin.json(org.owner().post("/admin/credentials/re-encrypt", null), HttpStatus.FORBIDDEN);

        assertThat(refused.path("error").path("code").asString()).isNotBlank();
    }

    private String insert(String orgId, String apiKey, UnaryOperator<String> seal, String status) {
        String id = "cred-" + UUID.randomUUID();
        Instant now = Instant.now();
        db.sql("""
                        insert into credential (id, org_id, provider, label, ciphertext, last_four, status, created_at,
                            revoked_at)
                        values (:id, :org, 'openai', 'seeded', :ciphertext, :four, :status, :at,
                            case when :status = 'REVOKED' then :at end)""")
                .bind("id", id).bind("org", orgId).bind("ciphertext", seal.apply(id))
                .bind("four", apiKey.substring(apiKey.length() - 4)).bind("status", status)
                .bind("at", now.atOffset(ZoneOffset.UTC))
                .then().block();
        return id;
    }

    private String ciphertext(String credentialId) {
        return db.sql("select ciphertext from credential where id = :id").bind("id", credentialId)
                .map(row -> row.get("ciphertext", String.class)).one().block();
    }
}
