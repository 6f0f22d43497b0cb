package dev.tally.events.gateway;

import dev.tally.events.SampleMessages;
import dev.tally.events.envelope.MessageType;
import dev.tally.events.json.TallyJson;
import dev.tally.events.topic.Topics;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

class GatewayMessageTypesTest {

    @Test
    void the_request_record_is_tally_gateway_request_v1_and_the_only_gateway_type() {
        assertThat(GatewayMessageTypes.REQUEST.domain()).isEqualTo("gateway");
        assertThat(GatewayMessageTypes.REQUEST.name()).isEqualTo("Request");
        assertThat(GatewayMessageTypes.REQUEST.version()).isEqualTo(1);
        assertThat(GatewayMessageTypes.REQUEST.ceType()).isEqualTo("tally.gateway.Request.v1");
        assertThat(GatewayMessageTypes.REQUEST.javaType()).isEqualTo(GatewayRequestRecord.class);
        assertThat(GatewayMessageTypes.ALL).containsExactly(GatewayMessageTypes.REQUEST);
    }

    @Test
    void ce_types_follow_tally_gateway_name_version_and_are_unique_across_domains() {
        assertThat(GatewayMessageTypes.ALL).allSatisfy(type -> {
            assertThat(type.domain()).isEqualTo("gateway");
            assertThat(type.version()).isPositive();
            assertThat(type.ceType()).isEqualTo("tally.gateway." + type.name() + ".v" + type.version())
                    .matches("tally\\.gateway\\.[A-Z][A-Za-z]+\\.v[1-9][0-9]*");
        });
        assertThat(SampleMessages.registered()).containsAll(GatewayMessageTypes.ALL);
        assertThat(SampleMessages.registered()).extracting(MessageType::ceType).doesNotHaveDuplicates();
    }

    /** The requests topic carries exactly the registered record type, keyed by the org id the value carries too. */
    @Test
    void the_requests_topic_carries_the_request_record_keyed_by_org() {
        GatewayRequestRecord sample = SampleMessages.of(GatewayRequestRecord.class);
        JsonNode json = TallyJson.mapper().readTree(TallyJson.write(sample));

        assertThat(Topics.GATEWAY_REQUESTS.valueType()).isEqualTo(GatewayMessageTypes.REQUEST.javaType());
        assertThat(json.path("org_id").asString()).isEqualTo(sample.orgId()).isNotBlank();
    }

    /** Counts and money only: a request record has no field that could hold a prompt or a completion. */
    @Test
    void a_request_record_carries_no_content() {
        JsonNode json = TallyJson.mapper().readTree(TallyJson.write(SampleMessages.of(GatewayRequestRecord.class)));

        assertThat(json.propertyNames()).noneMatch(name -> name.matches(".*(message|content|prompt|completion|text)"));
    }
}
