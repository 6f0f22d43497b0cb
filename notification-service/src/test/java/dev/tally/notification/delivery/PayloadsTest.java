package dev.tally.notification.delivery;

import dev.tally.events.alert.Alert;
import dev.tally.events.alert.AlertKind;
import dev.tally.events.alert.AlertSeverity;
import dev.tally.events.json.TallyJson;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class PayloadsTest {

    private static final Alert ALERT = new Alert("alr-1", "org-acme", AlertKind.BUDGET_THRESHOLD,
            AlertSeverity.CRITICAL, "Budget <bgt-1> at 90 %", "13500 of 15000 credits spent & counting.", "bgt-1",
            "support-bots", null, null, Instant.parse("2026-11-23T10:15:30Z"));

    private static JsonNode json(byte[] body) {
        return TallyJson.mapper().readTree(body);
    }

    @Test
    void slack_gets_a_fallback_text_and_header_section_and_context_blocks() {
        JsonNode slack = json(Payloads.slack(ALERT));

        assertThat(slack.path("text").asString()).isEqualTo("CRITICAL: Budget <bgt-1> at 90 %");
        assertThat(slack.path("blocks")).hasSize(3);
        assertThat(slack.path("blocks").get(0).path("type").asString()).isEqualTo("header");
        assertThat(slack.path("blocks").get(0).path("text").path("type").asString()).isEqualTo("plain_text");
        assertThat(slack.path("blocks").get(1).path("text").path("type").asString()).isEqualTo("mrkdwn");
        assertThat(slack.path("blocks").get(1).path("text").path("text").asString()).isEqualTo(ALERT.text());
        assertThat(slack.path("blocks").get(2).path("elements").get(0).path("text").asString())
                .contains("org-acme", "bgt-1", "alr-1");
    }

    @Test
    void teams_gets_a_message_with_one_adaptive_card() {
        JsonNode teams = json(Payloads.teams(ALERT));
        JsonNode attachment = teams.path("attachments").get(0);
        JsonNode card = attachment.path("content");

        assertThat(teams.path("type").asString()).isEqualTo("message");
        assertThat(teams.path("attachments")).hasSize(1);
        assertThat(attachment.path("contentType").asString()).isEqualTo("application/vnd.microsoft.card.adaptive");
        assertThat(card.path("type").asString()).isEqualTo("AdaptiveCard");
        assertThat(card.path("version").asString()).isEqualTo("1.4");
        assertThat(card.path("body").get(0).path("text").asString()).isEqualTo(ALERT.title());
        assertThat(card.path("body").get(0).path("color").asString()).isEqualTo("Attention");
        assertThat(card.path("body").get(2).path("type").asString()).isEqualTo("FactSet");
    }

    @Test
    void telegram_gets_send_message_in_html_with_the_markup_of_the_alert_escaped() {
        JsonNode telegram = json(Payloads.telegram("-100123", ALERT));

        assertThat(telegram.path("chat_id").asString()).isEqualTo("-100123");
        assertThat(telegram.path("parse_mode").asString()).isEqualTo("HTML");
        assertThat(telegram.path("text").asString())
                .contains("<b>Budget &lt;bgt-1&gt; at 90 %</b>", "spent &amp; counting")
                .doesNotContain("<bgt-1>");
    }

    @Test
    void a_webhook_gets_the_alert_in_tallys_json_form_with_the_delivery_and_attempt() {
        JsonNode webhook = json(Payloads.webhook(ALERT, "dlv-1", 3));

        assertThat(webhook.path("delivery_id").asString()).isEqualTo("dlv-1");
        assertThat(webhook.path("attempt").asInt()).isEqualTo(3);
        assertThat(TallyJson.read(TallyJson.write(webhook.path("alert")), Alert.class)).isEqualTo(ALERT);
    }

    @Test
    void an_email_names_severity_and_title_in_the_subject_and_how_to_acknowledge_in_the_text() {
        assertThat(Payloads.emailSubject(ALERT)).isEqualTo("[Tally CRITICAL] Budget <bgt-1> at 90 %");
        assertThat(Payloads.emailText(ALERT)).contains(ALERT.text(), "/alerts/alr-1/acknowledge");
    }
}
