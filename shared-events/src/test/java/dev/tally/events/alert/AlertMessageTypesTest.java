package dev.tally.events.alert;

import dev.tally.events.SampleMessages;
import dev.tally.events.envelope.InvalidEnvelopeException;
import dev.tally.events.envelope.MessageType;
import dev.tally.events.json.TallyJson;
import dev.tally.events.topic.Cleanup;
import dev.tally.events.topic.Topics;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AlertMessageTypesTest {

    @Test
    void the_alert_is_tally_alert_alert_v1_and_the_only_alert_type() {
        assertThat(AlertMessageTypes.ALERT.ceType()).isEqualTo("tally.alert.Alert.v1");
        assertThat(AlertMessageTypes.ALERT.javaType()).isEqualTo(Alert.class);
        assertThat(AlertMessageTypes.ALL).containsExactly(AlertMessageTypes.ALERT);
        assertThat(AlertMessageTypes.ofCeType("tally.alert.Alert.v1")).isEqualTo(AlertMessageTypes.ALERT);
        assertThatThrownBy(() -> AlertMessageTypes.ofCeType("tally.alert.Alert.v2"))
                .isInstanceOf(InvalidEnvelopeException.class);
        assertThat(SampleMessages.registered()).containsAll(AlertMessageTypes.ALL);
        assertThat(SampleMessages.registered()).extracting(MessageType::ceType).doesNotHaveDuplicates();
    }

    @Test
    void alerts_and_their_dead_letters_are_keyed_by_org_kept_thirty_days_and_created_with_every_topic() {
        JsonNode json = TallyJson.mapper().readTree(TallyJson.write(SampleMessages.of(Alert.class)));

        assertThat(Topics.ALERTS.name()).isEqualTo("tally.alerts");
        assertThat(Topics.ALERTS_DEAD_LETTER.name()).isEqualTo("tally.alerts.dead-letter");
        assertThat(Topics.ALERTS.valueType()).isEqualTo(Alert.class);
        assertThat(Topics.ALERTS.cleanup()).isEqualTo(Cleanup.DELETE);
        assertThat(Topics.ALERTS.retentionMs()).isEqualTo(Duration.ofDays(30).toMillis());
        assertThat(Topics.all()).contains(Topics.ALERTS, Topics.ALERTS_DEAD_LETTER);
        assertThat(json.path("org_id").asString()).isEqualTo(SampleMessages.LEDGER);
    }
}
