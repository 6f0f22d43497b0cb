package dev.tally.notification.delivery;

import dev.tally.events.alert.Alert;
import dev.tally.notification.NotificationSettings;
import dev.tally.notification.channel.Channel;
import dev.tally.servicekit.outbound.OutboundAddressPolicy;
import dev.tally.servicekit.outbound.PolicyAddressResolverGroup;
import dev.tally.servicekit.outbound.PolicySocketFactory;
import dev.tally.servicekit.secret.SecretSealer;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelOption;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPSenderFailedException;
import org.springframework.stereotype.Component;
import reactor.core.Exceptions;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Date;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sends one attempt of one delivery to its channel; throws {@link DeliveryFailure} unless the receiver took it.
 *
 * <p>Every connection goes through the outbound address policy after DNS: HTTP through a resolver that returns only
 * checked addresses, SMTP through sockets that resolve, check and connect to the checked address. A failure is
 * described in Tally's words (the status, "connection refused"), never with the receiver's answer.
 */
@Component
public class Senders {

    private static final Pattern SMTP_REPLY_CODE = Pattern.compile("^\\s*([2-5]\\d\\d)\\b");

    private final SecretSealer sealer;
    private final NotificationSettings settings;
    private final Clock clock;
    private final HttpClient http;
    private final PolicySocketFactory mailSockets;

    public Senders(SecretSealer sealer, NotificationSettings settings, Clock clock, OutboundAddressPolicy outbound) {
        this.sealer = sealer;
        this.settings = settings;
        this.clock = clock;
        // Redirects are not followed (Reactor Netty's default): a receiver must not choose where the next call goes.
        this.http = HttpClient.create()
                .resolver(new PolicyAddressResolverGroup(outbound))
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) settings.sendTimeout().toMillis())
                .responseTimeout(settings.sendTimeout());
        this.mailSockets = new PolicySocketFactory(outbound);
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
        String url = settings.telegramApiUrl().replaceAll("/+$", "") + "/bot" + token + "/sendMessage";
        byte[] body = Payloads.telegram(channel.setting("chat_id"), alert);
        // The Bot API's answer is read (only here): a 200 without "ok": true did not deliver.
        String answer = call(url, request(url, body, null, null)
                .responseSingle((response, content) -> {
                    int status = response.status().code();
                    return status >= 200 && status < 300
                            ? content.asString(StandardCharsets.UTF_8).defaultIfEmpty("")
                            : Mono.<String>error(statusFailure(status, url));
                }));
        if (!answer.replace(" ", "").contains("\"ok\":true")) {
            throw new DeliveryFailure("Telegram answered without \"ok\": true", false);
        }
    }

    private void post(String url, byte[] body, String signature, String deliveryId) throws DeliveryFailure {
        // The body is discarded unread: nothing of what the receiver says is kept.
        int status = call(url, request(url, body, signature, deliveryId).response().map(r -> r.status().code()));
        if (status < 200 || status >= 300) {
            throw statusFailure(status, url);
        }
    }

    private HttpClient.ResponseReceiver<?> request(String url, byte[] body, String signature, String deliveryId) {
        return http.headers(h -> {
                    h.set("Content-Type", "application/json; charset=utf-8");
                    h.set("User-Agent", "Tally-Notifications/1");
                    if (signature != null) {
                        h.set(WebhookSignature.HEADER, signature);
                        h.set(WebhookSignature.DELIVERY_ID_HEADER, deliveryId);
                    }
                })
                .post().uri(url).send(Mono.fromSupplier(() -> Unpooled.wrappedBuffer(body)));
    }

    private <T> T call(String url, Mono<T> exchange) throws DeliveryFailure {
        try {
            // Connect and answer each have the send timeout; this bounds the whole call, DNS included.
            return exchange.timeout(settings.sendTimeout().multipliedBy(2)).block();
        } catch (RuntimeException e) {
            Throwable failure = Exceptions.unwrap(e);
            if (failure instanceof DeliveryFailure statusFailure) {
                throw statusFailure;
            }
            // A refused address stays refused until the operator allows it or the tenant changes the channel.
            boolean permanent = FailureReasons.refusal(failure).isPresent();
            throw new DeliveryFailure("cannot reach " + host(url) + ": " + FailureReasons.of(failure), permanent, failure);
        }
    }

    private static DeliveryFailure statusFailure(int status, String url) {
        // Retrying cannot fix a webhook that is gone or a request the receiver calls wrong; it can fix the rest.
        boolean permanent = status == 400 || status == 401 || status == 403 || status == 404 || status == 410;
        return new DeliveryFailure("HTTP " + status + " from " + host(url), permanent);
    }

    private void email(Channel channel, String password, Alert alert, Delivery delivery) throws DeliveryFailure {
        Properties props = new Properties();
        String host = channel.setting("smtp_host");
        String security = channel.setting("smtp_security");
        String timeout = Long.toString(settings.sendTimeout().toMillis());
        props.put("mail.smtp.host", host);
        props.put("mail.smtp.port", channel.setting("smtp_port"));
        props.put("mail.smtp.connectiontimeout", timeout);
        props.put("mail.smtp.timeout", timeout);
        props.put("mail.smtp.writetimeout", timeout);
        props.put("mail.smtp.starttls.enable", Boolean.toString("STARTTLS".equals(security)));
        props.put("mail.smtp.starttls.required", Boolean.toString("STARTTLS".equals(security)));
        props.put("mail.smtp.ssl.enable", Boolean.toString("TLS".equals(security)));
        // Checked sockets for plain, STARTTLS and implicit TLS alike (TLS is layered on them). Without fallback=false
        // a refused connection would be retried on a plain, unchecked socket.
        props.put("mail.smtp.socketFactory", mailSockets);
        props.put("mail.smtp.socketFactory.fallback", "false");
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
        } catch (AuthenticationFailedException e) {
            throw new DeliveryFailure("SMTP authentication failed at " + host, false, e);
        } catch (MessagingException e) {
            Integer code = smtpReplyCode(e);
            if (code != null) {
                throw new DeliveryFailure("SMTP " + host + " answered " + code, false, e);
            }
            boolean permanent = FailureReasons.refusal(e).isPresent();
            throw new DeliveryFailure("SMTP " + host + ": " + FailureReasons.of(e), permanent, e);
        }
    }

    /** The server's reply code, when it answered with one: the code only, not the text that follows it. */
    private static Integer smtpReplyCode(MessagingException failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SMTPSendFailedException e) {
                return e.getReturnCode();
            }
            if (t instanceof SMTPAddressFailedException e) {
                return e.getReturnCode();
            }
            if (t instanceof SMTPSenderFailedException e) {
                return e.getReturnCode();
            }
            if (t instanceof MessagingException && t.getMessage() != null) {
                Matcher m = SMTP_REPLY_CODE.matcher(t.getMessage());
                if (m.find()) {
                    return Integer.parseInt(m.group(1));
                }
            }
        }
        return null;
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
}
