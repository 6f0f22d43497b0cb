package dev.tally.events.envelope;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EnvelopeTest {

    private static final Envelope ENVELOPE = new Envelope("0b8f7d8e-2c1a-4d57-9a57-5f0e6d1c9a01",
            "tally.ledger.CreditReserved.v1", "/tally/ledger-service", Instant.parse("2026-11-23T10:15:30Z"),
            "org-acme");

    @Test
    void headers_round_trip_through_to_headers_and_from_headers() {
        Map<String, byte[]> headers = ENVELOPE.toHeaders();

        assertThat(Envelope.fromHeaders(headers::get)).isEqualTo(ENVELOPE);
    }

    @Test
    void headers_follow_the_cloudevents_kafka_binary_binding() {
        Map<String, byte[]> headers = ENVELOPE.toHeaders();

        assertThat(text(headers, "ce_id")).isEqualTo("0b8f7d8e-2c1a-4d57-9a57-5f0e6d1c9a01");
        assertThat(text(headers, "ce_type")).isEqualTo("tally.ledger.CreditReserved.v1");
        assertThat(text(headers, "ce_source")).isEqualTo("/tally/ledger-service");
        assertThat(text(headers, "ce_time")).isEqualTo("2026-11-23T10:15:30Z");
        assertThat(text(headers, "ce_subject")).isEqualTo("org-acme");
        assertThat(text(headers, "ce_specversion")).isEqualTo("1.0");
        assertThat(text(headers, "content-type")).isEqualTo("application/json");
        assertThat(headers).containsOnlyKeys("ce_id", "ce_type", "ce_source", "ce_time", "ce_subject",
                "ce_specversion", "content-type");
    }

    @Test
    void an_envelope_without_subject_writes_no_subject_header_and_reads_back_without_one() {
        Envelope envelope = new Envelope("id-1", "tally.ledger.CommandAccepted.v1", "/tally/ledger-service",
                Instant.parse("2026-11-23T10:15:30.123456789Z"), null);

        Map<String, byte[]> headers = envelope.toHeaders();

        assertThat(headers).doesNotContainKey("ce_subject");
        assertThat(Envelope.fromHeaders(headers::get)).isEqualTo(envelope);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ce_id", "ce_type", "ce_source", "ce_time"})
    void a_missing_required_header_is_an_invalid_envelope_naming_it(String header) {
        Map<String, byte[]> headers = new LinkedHashMap<>(ENVELOPE.toHeaders());
        headers.remove(header);

        assertThatThrownBy(() -> Envelope.fromHeaders(headers::get))
                .isInstanceOf(InvalidEnvelopeException.class)
                .hasMessage("missing header " + header);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ce_id", "ce_type", "ce_source", "ce_time"})
    void an_empty_required_header_is_an_invalid_envelope_naming_it(String header) {
        Map<String, byte[]> headers = new LinkedHashMap<>(ENVELOPE.toHeaders());
        headers.put(header, new byte[0]);

        assertThatThrownBy(() -> Envelope.fromHeaders(headers::get))
                .isInstanceOf(InvalidEnvelopeException.class)
                .hasMessageContaining(header);
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-11-23 10:15:30", "2026-11-23T10:15:30", "1795428930000", "yesterday"})
    void a_malformed_ce_time_is_an_invalid_envelope_naming_the_header(String time) {
        Map<String, byte[]> headers = new LinkedHashMap<>(ENVELOPE.toHeaders());
        headers.put("ce_time", time.getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> Envelope.fromHeaders(headers::get))
                .isInstanceOf(InvalidEnvelopeException.class)
                .hasMessageContaining("ce_time")
                .hasMessageContaining(time);
    }

    @Test
    void header_names_are_the_cloudevents_kafka_names() {
        assertThat(CloudEventHeaders.ID).isEqualTo("ce_id");
        assertThat(CloudEventHeaders.TYPE).isEqualTo("ce_type");
        assertThat(CloudEventHeaders.SOURCE).isEqualTo("ce_source");
        assertThat(CloudEventHeaders.TIME).isEqualTo("ce_time");
        assertThat(CloudEventHeaders.SPEC_VERSION).isEqualTo("ce_specversion");
        assertThat(CloudEventHeaders.SUBJECT).isEqualTo("ce_subject");
        assertThat(CloudEventHeaders.CONTENT_TYPE).isEqualTo("content-type");
    }

    private static String text(Map<String, byte[]> headers, String name) {
        assertThat(headers).containsKey(name);
        return new String(headers.get(name), StandardCharsets.UTF_8);
    }
}
