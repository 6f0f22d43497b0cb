package dev.tally.notification.channel;

import dev.tally.events.alert.AlertSeverity;
import dev.tally.notification.quiet.QuietHours;
import dev.tally.notification.support.Ids;
import dev.tally.servicekit.outbound.OutboundAddressPolicy;
import dev.tally.servicekit.outbound.RefusedAddressException;
import dev.tally.servicekit.secret.SecretSealer;
import dev.tally.servicekit.web.ApiException;
import org.springframework.stereotype.Component;

import java.net.URI;
import java.security.SecureRandom;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Checks a {@link ChannelRequest} field by field and turns it into a channel with its secret encrypted. Every address
 * the channel makes Tally call (webhook URL, SMTP host) must pass the outbound address policy: no loopback, private,
 * link-local or metadata addresses unless the operator allows them.
 */
@Component
public class ChannelFactory {

    private static final Pattern EMAIL = Pattern.compile("^[^@\\s,]+@[^@\\s,]+\\.[^@\\s,]+$");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretSealer sealer;
    private final OutboundAddressPolicy outbound;

    public ChannelFactory(SecretSealer sealer, OutboundAddressPolicy outbound) {
        this.sealer = sealer;
        this.outbound = outbound;
    }

    /** The channel, and the generated signing secret of a webhook (null otherwise), to be shown once. */
    public record Created(Channel channel, String generatedSecret) {
    }

    public Created create(String orgId, ChannelRequest r) {
        String name = text(r.name(), "name", 120);
        ChannelKind kind = required(r.kind(), "kind");
        ChannelScope level = r.scopeLevel() == null ? ChannelScope.ORG : r.scopeLevel();
        String scopeId = r.scopeId() == null ? null : text(r.scopeId(), "scope_id", 200);
        if (level == ChannelScope.ORG && scopeId != null) {
            throw ApiException.invalid("scope_id", "must not be set when scope_level is ORG");
        }
        if (level != ChannelScope.ORG && scopeId == null) {
            throw ApiException.missing("scope_id");
        }
        AlertSeverity severity = AlertSeverity.INFO;
        if (r.minSeverity() != null) {
            try {
                severity = AlertSeverity.valueOf(r.minSeverity().strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw ApiException.invalid("min_severity", "must be INFO, WARNING or CRITICAL");
            }
        }
        int escalation = r.escalationLevel() == null ? 0 : r.escalationLevel();
        if (escalation < 0 || escalation > 9) {
            throw ApiException.invalid("escalation_level", "must be between 0 and 9");
        }
        QuietHours quiet = quietHours(r.quietHours());

        Map<String, String> settings = new LinkedHashMap<>();
        String secret;
        String generated = null;
        List<String> allowed;
        switch (kind) {
            case SLACK, TEAMS -> {
                secret = url(r.webhookUrl(), "webhook_url");
                allowed = List.of("webhook_url");
            }
            case TELEGRAM -> {
                secret = text(r.botToken(), "bot_token", 200);
                if (!secret.matches("[0-9]+:[A-Za-z0-9_-]+")) {
                    throw ApiException.invalid("bot_token", "is not a Telegram bot token (<digits>:<token>)");
                }
                settings.put("chat_id", text(r.chatId(), "chat_id", 100));
                allowed = List.of("bot_token", "chat_id");
            }
            case WEBHOOK -> {
                settings.put("url", url(r.url(), "url"));
                if (r.signingSecret() == null) {
                    byte[] bytes = new byte[32];
                    RANDOM.nextBytes(bytes);
                    generated = "whsec_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
                    secret = generated;
                } else {
                    secret = text(r.signingSecret(), "signing_secret", 200);
                    if (secret.length() < 16) {
                        throw ApiException.invalid("signing_secret", "must be at least 16 characters");
                    }
                }
                allowed = List.of("url", "signing_secret");
            }
            case EMAIL -> {
                settings.put("smtp_host", smtpHost(r.smtpHost()));
                int port = r.smtpPort() == null ? 587 : r.smtpPort();
                if (port < 1 || port > 65535) {
                    throw ApiException.invalid("smtp_port", "must be between 1 and 65535");
                }
                settings.put("smtp_port", Integer.toString(port));
                String security = r.smtpSecurity() == null ? "STARTTLS" : r.smtpSecurity().strip().toUpperCase(Locale.ROOT);
                if (!List.of("NONE", "STARTTLS", "TLS").contains(security)) {
                    throw ApiException.invalid("smtp_security", "must be NONE, STARTTLS or TLS");
                }
                settings.put("smtp_security", security);
                if (r.smtpUsername() != null) {
                    settings.put("smtp_username", text(r.smtpUsername(), "smtp_username", 200));
                }
                settings.put("from", email(r.from(), "from"));
                if (r.to() == null || r.to().isEmpty()) {
                    throw ApiException.missing("to");
                }
                List<String> to = new ArrayList<>();
                for (int i = 0; i < r.to().size(); i++) {
                    to.add(email(r.to().get(i), "to[" + i + "]"));
                }
                settings.put("to", String.join(",", to));
                secret = r.smtpPassword() == null ? null : text(r.smtpPassword(), "smtp_password", 500);
                allowed = List.of("smtp_host", "smtp_port", "smtp_security", "smtp_username", "smtp_password",
                        "from", "to");
            }
            default -> throw new IllegalStateException(kind.name());
        }
        refuseForeignFields(r, kind, allowed);

        String id = Ids.newId("chn-");
        String ciphertext = null;
        String hint = null;
        if (secret != null) {
            if (!sealer.configured()) {
                throw ApiException.unprocessable("encryption_not_configured",
                        "channel secrets are stored encrypted; set " + ChannelSecrets.KEY_VARIABLE
                                + " on notification-service",
                        null, null);
            }
            ciphertext = sealer.seal(id, secret);
            hint = "…" + secret.substring(Math.max(0, secret.length() - 4));
        }
        Instant now = Instant.now();
        return new Created(new Channel(id, orgId, name, kind, level, scopeId, settings, ciphertext, hint, severity,
                escalation, quiet, now, now, null), generated);
    }

    private static void refuseForeignFields(ChannelRequest r, ChannelKind kind, List<String> allowed) {
        Map<String, Object> given = new LinkedHashMap<>();
        given.put("webhook_url", r.webhookUrl());
        given.put("bot_token", r.botToken());
        given.put("chat_id", r.chatId());
        given.put("url", r.url());
        given.put("signing_secret", r.signingSecret());
        given.put("smtp_host", r.smtpHost());
        given.put("smtp_port", r.smtpPort());
        given.put("smtp_security", r.smtpSecurity());
        given.put("smtp_username", r.smtpUsername());
        given.put("smtp_password", r.smtpPassword());
        given.put("from", r.from());
        given.put("to", r.to());
        for (var e : given.entrySet()) {
            if (e.getValue() != null && !allowed.contains(e.getKey())) {
                throw ApiException.invalid(e.getKey(), "does not apply to a " + kind + " channel");
            }
        }
    }

    static QuietHours quietHours(ChannelRequest.QuietHoursRequest q) {
        if (q == null) {
            return null;
        }
        LocalTime start = time(q.start(), "quiet_hours.start");
        LocalTime end = time(q.end(), "quiet_hours.end");
        ZoneId zone;
        try {
            zone = q.zone() == null ? ZoneId.of("UTC") : ZoneId.of(q.zone().strip());
        } catch (DateTimeException e) {
            throw ApiException.invalid("quiet_hours.zone", "is not a time zone id such as Europe/Berlin");
        }
        if (start.equals(end)) {
            throw ApiException.invalid("quiet_hours.end", "must differ from quiet_hours.start");
        }
        return new QuietHours(start, end, zone);
    }

    private static LocalTime time(String value, String field) {
        if (value == null) {
            throw ApiException.missing(field);
        }
        try {
            return LocalTime.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw ApiException.invalid(field, "is not a time of day such as 22:00");
        }
    }

    private String url(String value, String field) {
        String url = text(value, field, 2000);
        try {
            URI uri = URI.create(url);
            if (!("https".equalsIgnoreCase(uri.getScheme()) || "http".equalsIgnoreCase(uri.getScheme()))
                    || uri.getHost() == null) {
                throw ApiException.invalid(field, "must be an http(s) URL");
            }
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid(field, "must be an http(s) URL");
        }
        try {
            outbound.checkUrl(url);
        } catch (RefusedAddressException e) {
            throw ApiException.invalid(field, e.reason());
        }
        return url;
    }

    private String smtpHost(String value) {
        String host = text(value, "smtp_host", 253);
        try {
            outbound.checkHost(host);
        } catch (RefusedAddressException e) {
            throw ApiException.invalid("smtp_host", e.reason());
        }
        return host;
    }

    private static String email(String value, String field) {
        String email = text(value, field, 254);
        if (!EMAIL.matcher(email).matches()) {
            throw ApiException.invalid(field, "is not an e-mail address");
        }
        return email;
    }

    private static String text(String value, String field, int max) {
        if (value == null) {
            throw ApiException.missing(field);
        }
        String trimmed = value.strip();
        if (trimmed.isEmpty()) {
            throw ApiException.invalid(field, "must not be blank");
        }
        if (trimmed.length() > max) {
            throw ApiException.invalid(field, "must be at most " + max + " characters");
        }
        return trimmed;
    }

    private static <T> T required(T value, String field) {
        if (value == null) {
            throw ApiException.missing(field);
        }
        return value;
    }
}
