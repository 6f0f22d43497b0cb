package dev.tally.statereader;

import dev.tally.events.envelope.CloudEventHeaders;
import dev.tally.events.governance.AdminKeyState;
import dev.tally.events.governance.AdminRole;
import dev.tally.events.governance.GovernanceMessageTypes;
import dev.tally.events.governance.GovernanceState;
import dev.tally.events.governance.KeyStatus;
import dev.tally.events.json.TallyJson;
import dev.tally.events.topic.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

class GovernanceStateReaderTest {

    private static final AdminKeyState KEY = new AdminKeyState("ab12", "adm_1", "org_1", AdminRole.ORG_OWNER,
            KeyStatus.ACTIVE, Instant.parse("2026-01-01T00:00:00Z"));

    private final List<String> calls = new ArrayList<>();
    private final List<GovernanceState> applied = new ArrayList<>();
    private final GovernanceStateReader reader = new GovernanceStateReader("unused:9092", "test", new StateSink() {
        @Override
        public void apply(String key, GovernanceState state) {
            calls.add("apply " + key);
            applied.add(state);
        }

        @Override
        public void remove(String key) {
            calls.add("remove " + key);
        }
    });

    @Test
    void a_record_of_a_known_type_is_applied_under_its_key() {
        reader.apply(record(KEY.stateKey(), GovernanceMessageTypes.of(AdminKeyState.class).ceType(),
                TallyJson.write(KEY)));

        assertThat(calls).containsExactly("apply admin-key:ab12");
        assertThat(applied).containsExactly(KEY);
    }

    @Test
    void a_tombstone_removes_its_key() {
        reader.apply(record("admin-key:ab12", null, null));

        assertThat(calls).containsExactly("remove admin-key:ab12");
    }

    @Test
    void a_record_of_an_unknown_type_is_skipped() {
        reader.apply(record("future:1", "dev.tally.governance.Future.v1", "{}".getBytes(StandardCharsets.UTF_8)));
        reader.apply(record("untyped:1", null, TallyJson.write(KEY)));

        assertThat(calls).isEmpty();
    }

    @Test
    void a_record_the_sink_fails_on_is_skipped_rather_than_stopping_the_reader() {
        GovernanceStateReader failing = new GovernanceStateReader("unused:9092", "test", new StateSink() {
            @Override
            public void apply(String key, GovernanceState state) {
                throw new IllegalStateException("boom");
            }

            @Override
            public void remove(String key) {
            }
        });

        assertThatCode(() -> failing.apply(record(KEY.stateKey(),
                GovernanceMessageTypes.of(AdminKeyState.class).ceType(), TallyJson.write(KEY))))
                .doesNotThrowAnyException();
    }

    private static ConsumerRecord<String, byte[]> record(String key, String ceType, byte[] value) {
        ConsumerRecord<String, byte[]> record = new ConsumerRecord<>(Topics.GOVERNANCE_STATE.name(), 0, 0, key, value);
        if (ceType != null) {
            record.headers().add(CloudEventHeaders.TYPE, ceType.getBytes(StandardCharsets.UTF_8));
        }
        return record;
    }
}
