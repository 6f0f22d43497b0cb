package dev.tally.notification.channel;

import java.util.List;

/**
 * A new channel. Which fields apply depends on the kind; one that does not apply is refused rather than ignored.
 *
 * @param webhookUrl    SLACK and TEAMS: the incoming webhook URL (stored encrypted: it carries the token)
 * @param botToken      TELEGRAM: the bot's token (encrypted)
 * @param chatId        TELEGRAM: the chat, group or channel id
 * @param url           WEBHOOK: where to POST signed JSON
 * @param signingSecret WEBHOOK: the HMAC key; generated and shown once when not given (encrypted)
 * @param smtpPassword  EMAIL: the SMTP password (encrypted)
 */
public record ChannelRequest(String orgId, String name, ChannelKind kind, ChannelScope scopeLevel, String scopeId,
        String minSeverity, Integer escalationLevel, QuietHoursRequest quietHours, String webhookUrl, String botToken,
        String chatId, String url, String signingSecret, String smtpHost, Integer smtpPort, String smtpSecurity,
        String smtpUsername, String smtpPassword, String from, List<String> to) {

    public record QuietHoursRequest(String start, String end, String zone) {
    }
}
