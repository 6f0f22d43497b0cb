package dev.tally.notification;

import dev.tally.events.json.TallyJson;
import dev.tally.events.ledger.BudgetPeriod;
import dev.tally.events.ledger.BudgetThresholdCrossedEvent;
import dev.tally.events.ledger.Scope;
import dev.tally.events.ledger.ScopeLevel;
import dev.tally.notification.delivery.WebhookSignature;
import dev.tally.notification.support.Api;
import dev.tally.notification.support.LoopbackReceiver.Received;
import dev.tally.notification.support.NotificationTestBase;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** One ledger event reaches every kind of channel, each in the shape its real receiver expects. */
class DeliveryChannelsIT extends NotificationTestBase {

    @Test
    void a_threshold_crossed_on_the_ledger_reaches_slack_teams_telegram_a_signed_webhook_and_email() throws Exception {
        String org = newOrgId();
        String tag = UUID.randomUUID().toString();
        Api admin = orgAdmin(org);
        createChannel(admin, Map.of("name", "slack", "kind", "SLACK", "webhook_url", RECEIVER.url("/slack/" + tag)));
        createChannel(admin, Map.of("name", "teams", "kind", "TEAMS", "webhook_url", RECEIVER.url("/teams/" + tag)));
        createChannel(admin, Map.of("name", "telegram", "kind", "TELEGRAM", "bot_token", "123456:" + tag,
                "chat_id", "-1001234"));
        JsonNode webhook = createChannel(admin, Map.of("name", "hook", "kind", "WEBHOOK",
                "url", RECEIVER.url("/hook/" + tag)));
        String recipient = "ops-" + tag + "@acme.example";
        createChannel(admin, Map.of("name", "mail", "kind", "EMAIL", "smtp_host", "localhost",
                "smtp_port", smtpPort(), "smtp_security", "NONE", "from", "tally@acme.example", "to", List.of(recipient)));
        String signingSecret = webhook.path("signing_secret").asString();
        assertThat(signingSecret).startsWith("whsec_");

        publishLedgerEvent(new BudgetThresholdCrossedEvent(org, "cmd-" + tag, Instant.now(), "bgt-" + tag,
                new Scope(ScopeLevel.GROUP, "support-bots"), BudgetPeriod.MONTHLY, LocalDate.now().withDayOfMonth(1),
                80, 12_000, 15_000));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(RECEIVER.at("/slack/" + tag)).hasSize(1);
            assertThat(RECEIVER.at("/teams/" + tag)).hasSize(1);
            assertThat(RECEIVER.at("/telegram/bot123456:" + tag + "/sendMessage")).hasSize(1);
            assertThat(RECEIVER.at("/hook/" + tag)).hasSize(1);
            assertThat(messagesTo(recipient)).hasSize(1);
        });

        JsonNode slack = json(RECEIVER.at("/slack/" + tag).get(0));
        assertThat(slack.path("text").asString()).isEqualTo("WARNING: Budget bgt-" + tag + " at 80 %");
        assertThat(slack.path("blocks").get(0).path("type").asString()).isEqualTo("header");
        assertThat(slack.path("blocks").get(1).path("text").path("text").asString()).contains("12000 of 15000");

        JsonNode teams = json(RECEIVER.at("/teams/" + tag).get(0));
        assertThat(teams.path("type").asString()).isEqualTo("message");
        assertThat(teams.path("attachments").get(0).path("contentType").asString())
                .isEqualTo("application/vnd.microsoft.card.adaptive");
        assertThat(teams.path("attachments").get(0).path("content").path("type").asString()).isEqualTo("AdaptiveCard");

        JsonNode telegram = json(RECEIVER.at("/telegram/bot123456:" + tag + "/sendMessage").get(0));
        assertThat(telegram.path("chat_id").asString()).isEqualTo("-1001234");
        assertThat(telegram.path("parse_mode").asString()).isEqualTo("HTML");
        assertThat(telegram.path("text").asString()).contains("<b>Budget bgt-" + tag + " at 80 %</b>");

        Received hook = RECEIVER.at("/hook/" + tag).get(0);
        JsonNode hookBody = json(hook);
        assertThat(WebhookSignature.verify(signingSecret, hook.header("X-Tally-Signature"), hook.body(), Instant.now(),
                WebhookSignature.TOLERANCE)).as("signature %s", hook.header("X-Tally-Signature")).isTrue();
        byte[] tampered = hook.text().replace("80 %", "10 %").getBytes();
        assertThat(WebhookSignature.verify(signingSecret, hook.header("X-Tally-Signature"), tampered, Instant.now(),
                WebhookSignature.TOLERANCE)).isFalse();
        assertThat(hook.header("X-Tally-Delivery-Id")).isEqualTo(hookBody.path("delivery_id").asString()).startsWith("dlv-");
        assertThat(hookBody.path("alert").path("org_id").asString()).isEqualTo(org);
        assertThat(hookBody.path("alert").path("kind").asString()).isEqualTo("BUDGET_THRESHOLD");
        assertThat(hookBody.path("alert").path("budget_id").asString()).isEqualTo("bgt-" + tag);

        MimeMessage mail = messagesTo(recipient).get(0);
        assertThat(mail.getSubject()).isEqualTo("[Tally WARNING] Budget bgt-" + tag + " at 80 %");
        assertThat(mail.getFrom()[0].toString()).isEqualTo("tally@acme.example");
        assertThat(((String) mail.getContent())).contains("12000 of 15000");

        JsonNode deliveries = admin.get("/deliveries?status=DELIVERED");
        assertThat(deliveries).hasSize(5);
        deliveries.forEach(d -> assertThat(d.path("attempts").asInt()).isEqualTo(1));
    }

    @Test
    void a_test_notification_goes_to_the_one_channel_asked_for() {
        String org = newOrgId();
        String tag = UUID.randomUUID().toString();
        Api admin = orgAdmin(org);
        JsonNode target = createChannel(admin, Map.of("name", "slack", "kind", "SLACK",
                "webhook_url", RECEIVER.url("/test-slack/" + tag)));
        createChannel(admin, Map.of("name", "other", "kind", "SLACK", "webhook_url", RECEIVER.url("/test-other/" + tag)));

        JsonNode delivery = admin.json("POST", "/channels/" + target.path("id").asString() + "/test", null,
                HttpStatus.ACCEPTED);

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(admin.get("/deliveries?alert_id="
                + delivery.path("alert_id").asString()).get(0).path("status").asString()).isEqualTo("DELIVERED"));
        assertThat(RECEIVER.at("/test-slack/" + tag)).hasSize(1);
        assertThat(json(RECEIVER.at("/test-slack/" + tag).get(0)).path("text").asString())
                .isEqualTo("INFO: Test notification from Tally");
        assertThat(RECEIVER.at("/test-other/" + tag)).isEmpty();
        assertThat(admin.get("/alerts/" + delivery.path("alert_id").asString()).path("alert").path("kind").asString())
                .isEqualTo("TEST");
    }

    private static JsonNode json(Received received) {
        return TallyJson.mapper().readTree(received.body());
    }

    private static List<MimeMessage> messagesTo(String recipient) {
        return Arrays.stream(SMTP.getReceivedMessages()).filter(m -> {
            try {
                return Arrays.stream(m.getAllRecipients()).anyMatch(a -> a.toString().equals(recipient));
            } catch (jakarta.mail.MessagingException e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }
}
