package dev.tally.notification.delivery;

import dev.tally.events.alert.Alert;
import dev.tally.notification.NotificationSettings;
import dev.tally.notification.channel.Channel;
import dev.tally.servicekit.secret.SecretSealer;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Date;
import java.util.Properties;

/** Sends one attempt of one delivery to its channel; throws {@link DeliveryFailure} unless the receiver took it. */
@Component
public class Senders {

    private static final int MAX_ERROR_BODY = 300;

    private final SecretSealer sealer;
    private final NotificationSettings settings;
    private final Clock clock;
    private final HttpClient http;

    public Senders(SecretSealer sealer, NotificationSettings settings, Clock clock) {
        this.sealer = sealer;
        this.settings = settings;
        this.clock = clock;
        this.http = HttpClient.newBuilder().connectTimeout(settings.sendTimeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    public void send(Channel channel, Alert alert, Delivery delivery, int attempt) throws DeliveryFailure {
        String secret = channel.secret() == null ? null : sealer.open(channel.id(), channel.secret());
        switch (channel.kind()) {
            case SLACK -> post(secret, Payloads.slack(alert), null, null);
            case TEAMS -> post(secret, Payloads.teams(alert), null, null);
            case TELEGRAM -> telegram(channel, secret, alert);
            case WEBHOOK -> {
                byte[] body = Payloads.webhook(alert, delivery.id(), attempt);
                String signature = WebhookSignature.sign(secret, clock.instant().getEpochSecond(), body);
                post(channel.setting("url"), body, signature, delivery.id());
            }
            case EMAIL -> email(channel, secret, alert, delivery);
        }
    }

    private void telegram(Channel channel, String token, Alert alert) throws DeliveryFailure {
        String base = settings.telegramApiUrl().replaceAll("/+$", "");
        String answer = post(base + "/bot" + token + "/sendMessage",
                Payloads.telegram(channel.setting("chat_id"), alert), null, null);
        if (!answer.replace(" ", "").contains("\"ok\":true")) {
            throw new DeliveryFailure("Telegram answered without ok: " + abbreviate(answer), false);
        }
    }

    private String post(String url, byte[] body, String signature, String deliveryId) throws DeliveryFailure {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(settings.sendTimeout())
                .header("Content-Type", "application/json; charset=utf-8")
                .header("User-Agent", "Tally-Notifications/1")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (signature != null) {
            request.header(WebhookSignature.HEADER, signature).header(WebhookSignature.DELIVERY_ID_HEADER, deliveryId);
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new DeliveryFailure("cannot reach " + host(url) + ": " + e, false, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeliveryFailure("interrupted", false, e);
        }
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return response.body();
        }
        // Retrying cannot fix a webhook that is gone or a request the receiver calls wrong; it can fix the rest.
        boolean permanent = status == 400 || status == 401 || status == 403 || status == 404 || status == 410;
        throw new DeliveryFailure("HTTP " + status + " from " + host(url) + ": " + abbreviate(response.body()),
                permanent);
    }

    private void email(Channel channel, String password, Alert alert, Delivery delivery) throws DeliveryFailure {
        Properties props = new Properties();
        String security = channel.setting("smtp_security");
        String timeout = Long.toString(settings.sendTimeout().toMillis());
        props.put("mail.smtp.host", channel.setting("smtp_host"));
        props.put("mail.smtp.port", channel.setting("smtp_port"));
        props.put("mail.smtp.connectiontimeout", timeout);
        props.put("mail.smtp.timeout", timeout);
        props.put("mail.smtp.writetimeout", timeout);
        props.put("mail.smtp.starttls.enable", Boolean.toString("STARTTLS".equals(security)));
        props.put("mail.smtp.starttls.required", Boolean.toString("STARTTLS".equals(security)));
        props.put("mail.smtp.ssl.enable", Boolean.toString("TLS".equals(security)));
        String username = channel.setting("smtp_username");
        props.put("mail.smtp.auth", Boolean.toString(username != null));
        try {
            MimeMessage message = new MimeMessage(Session.getInstance(props));
            message.setFrom(new InternetAddress(channel.setting("from")));
            message.setRecipients(Message.RecipientType.TO, InternetAddress.parse(channel.setting("to")));
            message.setSubject(Payloads.emailSubject(alert), "UTF-8");
            message.setText(Payloads.emailText(alert), "UTF-8");
            message.setSentDate(Date.from(clock.instant()));
            message.setHeader("X-Tally-Alert-Id", alert.alertId());
            message.setHeader("X-Tally-Delivery-Id", delivery.id());
            if (username != null) {
                Transport.send(message, username, password);
            } else {
                Transport.send(message);
            }
        } catch (jakarta.mail.AuthenticationFailedException e) {
            throw new DeliveryFailure("SMTP authentication failed at " + channel.setting("smtp_host"), false, e);
        } catch (MessagingException e) {
            throw new DeliveryFailure("SMTP " + channel.setting("smtp_host") + ": " + e.getMessage(), false, e);
        }
    }

    private static String host(String url) {
        try {
            URI uri = URI.create(url);
            // Never the path: Slack, Teams and Telegram URLs carry the token there.
            return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
        } catch (IllegalArgumentException e) {
            return "the configured URL";
        }
    }

    private static String abbreviate(String text) {
        if (text == null) {
            return "";
        }
        String flat = text.replaceAll("\\s+", " ").strip();
        return flat.length() <= MAX_ERROR_BODY ? flat : flat.substring(0, MAX_ERROR_BODY) + "…";
    }
}
