package dev.tally.notification.delivery;

import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

class WebhookSignatureTest {

    private static final String SECRET = "whsec_test-secret-0123456789";
    private static final byte[] BODY = "{\"alert\":{\"alert_id\":\"alr-1\"}}".getBytes(StandardCharsets.UTF_8);
    private static final Instant NOW = Instant.parse("2026-11-23T10:15:30Z");

    @Test
    void the_header_is_the_timestamp_and_the_hmac_sha256_of_timestamp_dot_body() throws Exception {
        long t = NOW.getEpochSecond();
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String expected = HexFormat.of().formatHex(mac.doFinal((t + "." + new String(BODY, StandardCharsets.UTF_8))
                .getBytes(StandardCharsets.UTF_8)));

        assertThat(WebhookSignature.sign(SECRET, t, BODY)).isEqualTo("t=" + t + ",v1=" + expected);
    }

    @Test
    void a_fresh_signature_verifies() {
        String header = WebhookSignature.sign(SECRET, NOW.getEpochSecond(), BODY);

        assertThat(WebhookSignature.verify(SECRET, header, BODY, NOW.plusSeconds(10), WebhookSignature.TOLERANCE))
                .isTrue();
    }

    @Test
    void a_changed_body_another_secret_or_a_forged_timestamp_fail() {
        String header = WebhookSignature.sign(SECRET, NOW.getEpochSecond(), BODY);
        byte[] changed = "{\"alert\":{\"alert_id\":\"alr-2\"}}".getBytes(StandardCharsets.UTF_8);
        String forgedTime = header.replace("t=" + NOW.getEpochSecond(), "t=" + (NOW.getEpochSecond() + 60));

        assertThat(WebhookSignature.verify(SECRET, header, changed, NOW, WebhookSignature.TOLERANCE)).isFalse();
        assertThat(WebhookSignature.verify("whsec_other-secret-0123456789", header, BODY, NOW,
                WebhookSignature.TOLERANCE)).isFalse();
        assertThat(WebhookSignature.verify(SECRET, forgedTime, BODY, NOW, WebhookSignature.TOLERANCE)).isFalse();
        assertThat(WebhookSignature.verify(SECRET, null, BODY, NOW, WebhookSignature.TOLERANCE)).isFalse();
        assertThat(WebhookSignature.verify(SECRET, "v1=abc", BODY, NOW, WebhookSignature.TOLERANCE)).isFalse();
    }

    @Test
    void a_replayed_request_older_than_five_minutes_is_refused() {
        String header = WebhookSignature.sign(SECRET, NOW.getEpochSecond(), BODY);

        assertThat(WebhookSignature.verify(SECRET, header, BODY, NOW.plus(Duration.ofMinutes(5)),
                WebhookSignature.TOLERANCE)).isTrue();
        assertThat(WebhookSignature.verify(SECRET, header, BODY, NOW.plus(Duration.ofMinutes(5)).plusSeconds(1),
                WebhookSignature.TOLERANCE)).isFalse();
    }
}
