package dev.tally.notification.channel;

import dev.tally.events.governance.AdminRole;
import dev.tally.notification.support.Api;
import dev.tally.notification.support.NotificationTestBase;
import dev.tally.servicekit.secret.SecretSealer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.r2dbc.core.DatabaseClient;
import tools.jackson.databind.JsonNode;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A channel-key rotation as an operator runs it: one secret under the retiring key (id "0", in the form written before
 * key ids), one under the current key; the re-encrypt command moves all to the current key, which alone then opens
 * every one, and a rerun changes nothing.
 */
class ChannelSecretReencryptionIT extends NotificationTestBase {

    @Autowired
    DatabaseClient db;

    @Test
    void re_encrypt_moves_every_channel_secret_to_the_current_key_so_the_retiring_key_can_be_removed() {
        String org = newOrgId();
        Api admin = orgAdmin(org);
        Api platform = adminKey(null, AdminRole.PLATFORM_ADMIN);
        String fresh = createChannel(admin, Map.of("name", "fresh", "kind", "SLACK",
                "webhook_url", RECEIVER.url("/slack/fresh"))).path("id").asString();
        String legacy = createChannel(admin, Map.of("name", "legacy", "kind", "SLACK",
                "webhook_url", RECEIVER.url("/slack/placeholder"))).path("id").asString();
        String legacySecret = new SecretSealer(ChannelSecrets.KEY_VARIABLE, RETIRING_CHANNEL_KEY)
                .seal(legacy, RECEIVER.url("/slack/legacy")).substring("0:".length());
        db.sql("update channel set secret = :secret where id = :id").bind("secret", legacySecret).bind("id", legacy)
                .then().block();
        assertThat(secret(fresh)).startsWith("current:");

        JsonNode report = platform.json("POST", "/admin/channels/re-encrypt", null, HttpStatus.OK);

        assertThat(report.path("key_id").asString()).isEqualTo("current");
        assertThat(report.path("re_encrypted").asLong()).isEqualTo(1);
        assertThat(report.path("unreadable")).isEmpty();
        SecretSealer currentOnly = new SecretSealer(ChannelSecrets.KEY_VARIABLE, "current:" + CHANNEL_KEY);
        assertThat(currentOnly.open(fresh, secret(fresh))).isEqualTo(RECEIVER.url("/slack/fresh"));
        assertThat(currentOnly.open(legacy, secret(legacy))).isEqualTo(RECEIVER.url("/slack/legacy"));

        JsonNode rerun = platform.json("POST", "/admin/channels/re-encrypt", null, HttpStatus.OK);

        assertThat(rerun.path("re_encrypted").asLong()).isZero();
        assertThat(rerun.path("already_current").asLong()).isEqualTo(report.path("already_current").asLong() + 1);
    }

    @Test
    void only_a_platform_admin_may_re_encrypt() {
        Api admin = orgAdmin(newOrgId());

        JsonNode refused = admin.json("POST", "/admin/channels/re-encrypt", null, HttpStatus.FORBIDDEN);

        assertThat(refused.path("error").path("code").asString()).isEqualTo("forbidden");
    }

    private String secret(String channelId) {
        return db.sql("select secret from channel where id = :id").bind("id", channelId)
                .map(row -> row.get("secret", String.class)).one().block();
    }
}
