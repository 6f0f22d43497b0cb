package dev.tally.notification;

import dev.tally.notification.support.Api;
import dev.tally.notification.support.NotificationTestBase;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Channels cannot make notification-service call loopback, private, link-local or metadata addresses: not when they
 * are saved, not when DNS changes its answer after, and a receiver's answer never comes back to the tenant.
 */
class OutboundAddressIT extends NotificationTestBase {

    @Test
    void a_channel_at_a_refused_address_is_refused_when_saved_naming_the_field_and_the_reason() {
        String org = newOrgId();
        Api admin = orgAdmin(org);
        String tag = UUID.randomUUID().toString();
        DNS.point("loopback-" + tag + ".test", "127.0.0.1");
        DNS.point("intranet-" + tag + ".test", "93.184.215.14", "10.20.30.40");
        Map<String, String> refused = new LinkedHashMap<>();
        refused.put("127.0.0.1", "is 127.0.0.1, a loopback address");
        refused.put("10.0.0.1", "is 10.0.0.1, a private address");
        refused.put("172.16.0.1", "is 172.16.0.1, a private address");
        refused.put("192.168.1.1", "is 192.168.1.1, a private address");
        refused.put("169.254.169.254", "is 169.254.169.254, a cloud metadata address");
        refused.put("[fd00:ec2::254]", "a cloud metadata address");
        refused.put("[::1]", "a loopback address");
        refused.put("[fe80::1]", "a link-local address");
        refused.put("[fc00::1]", "a private (unique local) address");
        refused.put("[::ffff:127.0.0.1]", "is 127.0.0.1, a loopback address");
        refused.put("0.0.0.0", "is 0.0.0.0, an unspecified address");
        refused.put("224.0.0.1", "is 224.0.0.1, a multicast address");
        refused.put("100.64.0.1", "is 100.64.0.1, a carrier-grade NAT address");
        refused.put("metadata.google.internal", "names a cloud metadata service");
        refused.put("loopback-" + tag + ".test", "resolves to 127.0.0.1, a loopback address");
        refused.put("intranet-" + tag + ".test", "resolves to 10.20.30.40, a private address");
        refused.put("nowhere-" + tag + ".test", "does not resolve to an address");

        refused.forEach((host, reason) -> {
            String url = "http://" + host + ":" + RECEIVER.port() + "/hook";
            expectRefused(admin, Map.of("name", "s", "kind", "SLACK", "webhook_url", url), "webhook_url", reason);
            expectRefused(admin, Map.of("name", "t", "kind", "TEAMS", "webhook_url", url), "webhook_url", reason);
            expectRefused(admin, Map.of("name", "w", "kind", "WEBHOOK", "url", url), "url", reason);
            expectRefused(admin, Map.of("name", "e", "kind", "EMAIL", "smtp_host", host, "smtp_port", smtpPort(),
                    "smtp_security", "NONE", "from", "tally@acme.example", "to", List.of("ops@acme.example")),
                    "smtp_host", reason);
        });
        assertThat(admin.get("/channels")).isEmpty();
    }

    @Test
    void a_webhook_whose_name_resolves_to_loopback_after_it_was_saved_is_refused_when_connecting() {
        String org = newOrgId();
        Api admin = orgAdmin(org);
        String tag = UUID.randomUUID().toString();
        String host = "rebind-" + tag + ".test";
        DNS.point(host, "93.184.215.14");
        JsonNode channel = createChannel(admin, Map.of("name", "hook", "kind", "WEBHOOK",
                "url", "http://" + host + ":" + RECEIVER.port() + "/rebind/" + tag));

        DNS.point(host, "127.0.0.1");
        JsonNode test = admin.json("POST", "/channels/" + channel.path("id").asString() + "/test", null,
                HttpStatus.ACCEPTED);

        JsonNode delivery = awaitDelivery(admin, test.path("alert_id").asString(), "DEAD");
        assertThat(delivery.path("last_error").asString()).isEqualTo("permanent failure: cannot reach http://" + host
                + ":" + RECEIVER.port() + ": " + host + " resolves to 127.0.0.1, a loopback address, which Tally does "
                + "not call");
        assertThat(RECEIVER.at("/rebind/" + tag)).isEmpty();
    }

    @Test
    void an_smtp_host_whose_name_resolves_to_loopback_after_it_was_saved_is_refused_when_connecting() {
        String org = newOrgId();
        Api admin = orgAdmin(org);
        String tag = UUID.randomUUID().toString();
        String host = "mail-" + tag + ".test";
        String recipient = "ops-" + tag + "@acme.example";
        DNS.point(host, "93.184.215.14");
        JsonNode channel = createChannel(admin, Map.of("name", "mail", "kind", "EMAIL", "smtp_host", host,
                "smtp_port", smtpPort(), "smtp_security", "NONE", "from", "tally@acme.example",
                "to", List.of(recipient)));

        DNS.point(host, "127.0.0.1");
        JsonNode test = admin.json("POST", "/channels/" + channel.path("id").asString() + "/test", null,
                HttpStatus.ACCEPTED);

        JsonNode delivery = awaitDelivery(admin, test.path("alert_id").asString(), "DEAD");
        assertThat(delivery.path("last_error").asString()).startsWith("permanent failure: SMTP " + host + ": ")
                .endsWith(host + " resolves to 127.0.0.1, a loopback address, which Tally does not call");
        assertThat(Arrays.stream(SMTP.getReceivedMessages()).filter(m -> sentTo(m, recipient))).isEmpty();
    }

    @Test
    void a_failed_delivery_records_the_status_not_what_the_receiver_answered() {
        String org = newOrgId();
        Api admin = orgAdmin(org);
        String tag = UUID.randomUUID().toString();
        String path = "/leaky/" + tag;
        RECEIVER.alwaysFail(path, 400, "{\"AccessKeyId\":\"ASIA-internal-" + tag + "\",\"Token\":\"from-the-receiver\"}");
        JsonNode channel = createChannel(admin, Map.of("name", "hook", "kind", "WEBHOOK", "url", RECEIVER.url(path)));

        JsonNode test = admin.json("POST", "/channels/" + channel.path("id").asString() + "/test", null,
                HttpStatus.ACCEPTED);

        JsonNode delivery = awaitDelivery(admin, test.path("alert_id").asString(), "DEAD");
        assertThat(RECEIVER.at(path)).hasSize(1);
        assertThat(delivery.path("last_error").asString())
                .isEqualTo("permanent failure: HTTP 400 from http://localhost:" + RECEIVER.port());
        assertThat(admin.get("/deliveries?channel_id=" + channel.path("id").asString()).toString())
                .doesNotContain("ASIA-internal", "from-the-receiver");
    }

    @Test
    void an_unreachable_receiver_is_described_in_tallys_words() throws IOException {
        String org = newOrgId();
        Api admin = orgAdmin(org);
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        JsonNode channel = createChannel(admin, Map.of("name", "hook", "kind", "WEBHOOK",
                "url", "http://localhost:" + closedPort + "/gone"));

        JsonNode test = admin.json("POST", "/channels/" + channel.path("id").asString() + "/test", null,
                HttpStatus.ACCEPTED);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                admin.get("/deliveries?alert_id=" + test.path("alert_id").asString()).get(0).path("last_error")
                        .asString()).endsWith("cannot reach http://localhost:" + closedPort + ": connection refused"));
    }

    private static void expectRefused(Api admin, Map<String, Object> request, String field, String reason) {
        JsonNode error = admin.json("POST", "/channels", request, HttpStatus.BAD_REQUEST).path("error");
        assertThat(error.path("code").asString()).as("%s", request).isEqualTo("invalid_field");
        assertThat(error.path("field").asString()).as("%s", request).isEqualTo(field);
        assertThat(error.path("reason").asString()).as("%s", request).contains(reason);
    }

    private static JsonNode awaitDelivery(Api admin, String alertId, String status) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                admin.get("/deliveries?alert_id=" + alertId).get(0).path("status").asString()).isEqualTo(status));
        return admin.get("/deliveries?alert_id=" + alertId).get(0);
    }

    private static boolean sentTo(MimeMessage message, String recipient) {
        try {
            return Arrays.stream(message.getAllRecipients()).anyMatch(a -> a.toString().equals(recipient));
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }
}
