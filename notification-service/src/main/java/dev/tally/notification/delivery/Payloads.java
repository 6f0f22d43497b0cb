package dev.tally.notification.delivery;

import dev.tally.events.alert.Alert;
import dev.tally.events.alert.AlertSeverity;
import dev.tally.events.json.TallyJson;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What each kind of receiver is sent for an alert, as the receiver's own API expects it. */
public final class Payloads {

    private Payloads() {
    }

    /** Slack incoming webhook: {@code text} as the notification fallback, Block Kit blocks for the message. */
    public static byte[] slack(Alert a) {
        Map<String, Object> header = Map.of("type", "header",
                "text", Map.of("type", "plain_text", "text", truncate(icon(a.severity()) + " " + a.title(), 150)));
        Map<String, Object> section = Map.of("type", "section", "text", Map.of("type", "mrkdwn", "text", a.text()));
        Map<String, Object> context = Map.of("type", "context", "elements",
                List.of(Map.of("type", "mrkdwn", "text", facts(a))));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("text", a.severity() + ": " + a.title());
        body.put("blocks", List.of(header, section, context));
        return TallyJson.write(body);
    }

    /** Microsoft Teams (Workflows or connector webhook): a message with one Adaptive Card attachment. */
    public static byte[] teams(Alert a) {
        List<Map<String, Object>> facts = new ArrayList<>();
        facts.add(Map.of("title", "Severity", "value", a.severity().name()));
        facts.add(Map.of("title", "Kind", "value", a.kind().name()));
        facts.add(Map.of("title", "Organisation", "value", a.orgId()));
        if (a.budgetId() != null) {
            facts.add(Map.of("title", "Budget", "value", a.budgetId()));
        }
        facts.add(Map.of("title", "Alert", "value", a.alertId()));
        Map<String, Object> card = new LinkedHashMap<>();
        card.put("$schema", "http://adaptivecards.io/schemas/adaptive-card.json");
        card.put("type", "AdaptiveCard");
        card.put("version", "1.4");
        card.put("body", List.of(
                Map.of("type", "TextBlock", "text", a.title(), "weight", "Bolder", "size", "Medium", "wrap", true,
                        "color", a.severity() == AlertSeverity.CRITICAL ? "Attention"
                                : a.severity() == AlertSeverity.WARNING ? "Warning" : "Default"),
                Map.of("type", "TextBlock", "text", a.text(), "wrap", true),
                Map.of("type", "FactSet", "facts", facts)));
        Map<String, Object> attachment = new LinkedHashMap<>();
        attachment.put("contentType", "application/vnd.microsoft.card.adaptive");
        attachment.put("contentUrl", null);
        attachment.put("content", card);
        return TallyJson.write(Map.of("type", "message", "attachments", List.of(attachment)));
    }

    /** Telegram Bot API sendMessage, HTML parse mode (only &lt;, &gt; and &amp; need escaping there). */
    public static byte[] telegram(String chatId, Alert a) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("chat_id", chatId);
        body.put("text", icon(a.severity()) + " <b>" + html(a.title()) + "</b>\n" + html(a.text()) + "\n<i>"
                + html(facts(a)) + "</i>");
        body.put("parse_mode", "HTML");
        body.put("disable_web_page_preview", true);
        return TallyJson.write(body);
    }

    /** A generic webhook: the alert in Tally's own JSON form, with the delivery's id and attempt. */
    public static byte[] webhook(Alert a, String deliveryId, int attempt) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("delivery_id", deliveryId);
        body.put("attempt", attempt);
        body.put("alert", TallyJson.mapper().valueToTree(a));
        return TallyJson.write(body);
    }

    public static String emailSubject(Alert a) {
        return "[Tally " + a.severity() + "] " + a.title();
    }

    public static String emailText(Alert a) {
        return a.title() + "\n\n" + a.text() + "\n\n" + facts(a) + "\nOccurred at: " + a.occurredAt()
                + "\n\nAcknowledge: POST /alerts/" + a.alertId() + "/acknowledge on notification-service.\n";
    }

    static String facts(Alert a) {
        return "Severity " + a.severity() + " · " + a.kind() + " · org " + a.orgId()
                + (a.budgetId() == null ? "" : " · budget " + a.budgetId()) + " · alert " + a.alertId();
    }

    private static String icon(AlertSeverity severity) {
        return switch (severity) {
            case CRITICAL -> "\uD83D\uDEA8";
            case WARNING -> "\u26A0\uFE0F";
            case INFO -> "\u2139\uFE0F";
        };
    }

    static String html(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String truncate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }
}
