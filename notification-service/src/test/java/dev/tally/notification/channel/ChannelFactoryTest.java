package dev.tally.notification.channel;

import dev.tally.events.alert.Alert;
import dev.tally.events.alert.AlertKind;
import dev.tally.events.alert.AlertSeverity;
import dev.tally.notification.NotificationSettings;
import dev.tally.servicekit.outbound.AllowList;
import dev.tally.servicekit.outbound.OutboundAddressPolicy;
import dev.tally.servicekit.secret.SecretSealer;
import dev.tally.servicekit.web.ApiException;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChannelFactoryTest {

    static NotificationSettings settings(String key) {
        Duration s = Duration.ofSeconds(1);
        return new NotificationSettings(key, "", "http://localhost", s, 10, 1, s, s, 3, s, 2.0, 0.5, s, s,
                Duration.ofDays(1), 20, Duration.ofMinutes(5), 50, 5, s);
    }

    private static final String KEY = Base64.getEncoder().encodeToString(new byte[32]);
    private final SecretSealer sealer = new SecretSealer("TALLY_CHANNEL_KEY", settings(KEY).channelKey());
    // Every name resolves to a public address here; OutboundAddressPolicyTest has the rest of the policy.
    private static final OutboundAddressPolicy PUBLIC_DNS = new OutboundAddressPolicy(AllowList.NONE,
            host -> List.of(InetAddress.getByName("203.0.113.10")));
    private final ChannelFactory factory = new ChannelFactory(sealer, PUBLIC_DNS);

    private static ChannelRequest slack(String url) {
        return new ChannelRequest(null, "ops", ChannelKind.SLACK, null, null, null, null, null, url, null, null, null,
                null, null, null, null, null, null, null, null);
    }

    @Test
    void a_slack_webhook_url_is_stored_encrypted_under_the_channel_id_and_shown_only_as_a_hint() {
        Channel channel = factory.create("org-acme", slack("https://hooks.slack.com/services/T0/B0/secretXYZ1")).channel();

        assertThat(channel.secret()).doesNotContain("secretXYZ1");
        assertThat(sealer.open(channel.id(), channel.secret())).isEqualTo("https://hooks.slack.com/services/T0/B0/secretXYZ1");
        assertThat(channel.secretHint()).isEqualTo("…XYZ1");
        assertThat(channel.settings()).isEmpty();
        assertThat(channel.scopeLevel()).isEqualTo(ChannelScope.ORG);
        assertThat(channel.minSeverity()).isEqualTo(AlertSeverity.INFO);
        assertThatThrownBy(() -> sealer.open("chn-other", channel.secret())).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void a_webhook_without_a_signing_secret_gets_one_generated_and_shown_once() {
        var created = factory.create("org-acme", new ChannelRequest(null, "hook", ChannelKind.WEBHOOK, null, null,
                null, null, null, null, null, null, "https://example.com/tally", null, null, null, null, null, null,
                null, null));

        assertThat(created.generatedSecret()).startsWith("whsec_").hasSizeGreaterThan(40);
        assertThat(sealer.open(created.channel().id(), created.channel().secret())).isEqualTo(created.generatedSecret());
        assertThat(created.channel().settings()).containsEntry("url", "https://example.com/tally");
    }

    @Test
    void fields_are_refused_by_name_with_the_reason() {
        assertThat(refusal(slack(null))).containsExactly("webhook_url", "is required");
        assertThat(refusal(slack("ftp://example.com/x"))).containsExactly("webhook_url", "must be an http(s) URL");
        assertThat(refusal(new ChannelRequest(null, "t", ChannelKind.TELEGRAM, null, null, null, null, null, null,
                "not-a-token", "42", null, null, null, null, null, null, null, null, null)))
                .containsExactly("bot_token", "is not a Telegram bot token (<digits>:<token>)");
        assertThat(refusal(new ChannelRequest(null, "s", ChannelKind.SLACK, null, null, null, null, null,
                "https://hooks.slack.com/x", null, "42", null, null, null, null, null, null, null, null, null)))
                .containsExactly("chat_id", "does not apply to a SLACK channel");
        assertThat(refusal(new ChannelRequest(null, "e", ChannelKind.EMAIL, null, null, null, null, null, null, null,
                null, null, null, "smtp.example.com", null, null, null, null, "alerts@example.com",
                List.of("ops@example.com", "nobody")))).containsExactly("to[1]", "is not an e-mail address");
        assertThat(refusal(new ChannelRequest(null, "b", ChannelKind.SLACK, ChannelScope.BUDGET, null, null, null,
                null, "https://hooks.slack.com/x", null, null, null, null, null, null, null, null, null, null, null)))
                .containsExactly("scope_id", "is required");
        assertThat(refusal(new ChannelRequest(null, "q", ChannelKind.SLACK, null, null, "LOUD", null, null,
                "https://hooks.slack.com/x", null, null, null, null, null, null, null, null, null, null, null)))
                .containsExactly("min_severity", "must be INFO, WARNING or CRITICAL");
        assertThat(refusal(new ChannelRequest(null, "q", ChannelKind.SLACK, null, null, null, null,
                new ChannelRequest.QuietHoursRequest("22:00", "7h", null), "https://hooks.slack.com/x", null, null,
                null, null, null, null, null, null, null, null, null)))
                .containsExactly("quiet_hours.end", "is not a time of day such as 22:00");
    }

    @Test
    void an_address_the_outbound_policy_refuses_is_refused_by_the_field_that_holds_it() {
        assertThat(refusal(slack("http://127.0.0.1:8082/admin"))).containsExactly("webhook_url",
                "is 127.0.0.1, a loopback address, which Tally does not call");
        assertThat(refusal(new ChannelRequest(null, "hook", ChannelKind.WEBHOOK, null, null, null, null, null, null,
                null, null, "http://169.254.169.254/latest/meta-data/", null, null, null, null, null, null, null, null)))
                .containsExactly("url", "is 169.254.169.254, a cloud metadata address, which Tally does not call");
        assertThat(refusal(new ChannelRequest(null, "e", ChannelKind.EMAIL, null, null, null, null, null, null, null,
                null, null, null, "10.0.0.1", 25, null, null, null, "alerts@example.com", List.of("ops@example.com"))))
                .containsExactly("smtp_host", "is 10.0.0.1, a private address, which Tally does not call");
    }

    @Test
    void without_an_encryption_key_no_secret_is_stored() {
        ChannelFactory unkeyed = new ChannelFactory(new SecretSealer("TALLY_CHANNEL_KEY", settings("").channelKey()),
                PUBLIC_DNS);

        assertThatThrownBy(() -> unkeyed.create("org-acme", slack("https://hooks.slack.com/services/T0/B0/x")))
                .isInstanceOf(ApiException.class).hasMessageContaining("TALLY_CHANNEL_KEY");
    }

    @Test
    void a_budget_channel_receives_only_its_budgets_alerts_at_or_above_its_severity() {
        Channel channel = factory.create("org-acme", new ChannelRequest(null, "b", ChannelKind.SLACK,
                ChannelScope.BUDGET, "bgt-1", "WARNING", null, null, "https://hooks.slack.com/x", null, null, null,
                null, null, null, null, null, null, null, null)).channel();

        assertThat(channel.receives(alert("bgt-1", AlertSeverity.WARNING))).isTrue();
        assertThat(channel.receives(alert("bgt-1", AlertSeverity.CRITICAL))).isTrue();
        assertThat(channel.receives(alert("bgt-1", AlertSeverity.INFO))).isFalse();
        assertThat(channel.receives(alert("bgt-2", AlertSeverity.CRITICAL))).isFalse();
        assertThat(channel.receives(alert(null, AlertSeverity.CRITICAL))).isFalse();
    }

    private static Alert alert(String budgetId, AlertSeverity severity) {
        return new Alert("alr-1", "org-acme", AlertKind.BUDGET_THRESHOLD, severity, "t", "x", budgetId, null, null,
                null, Instant.now());
    }

    private List<String> refusal(ChannelRequest request) {
        try {
            factory.create("org-acme", request);
        } catch (ApiException e) {
            return List.of(e.field(), e.reason());
        }
        throw new AssertionError("accepted: " + request);
    }
}
