package dev.tally.events.governance;

import dev.tally.events.SampleMessages;
import dev.tally.events.envelope.InvalidEnvelopeException;
import dev.tally.events.envelope.MessageType;
import dev.tally.events.json.TallyJson;
import dev.tally.events.ledger.LedgerMessageTypes;
import dev.tally.events.ledger.Scope;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GovernanceMessageTypesTest {

    static Stream<Arguments> states() {
        return GovernanceMessageTypes.STATES.stream().map(type -> Arguments.of(Named.of(type.name(), type)));
    }

    @Test
    void every_permitted_subclass_of_governance_state_is_registered_exactly_once() {
        assertThat(GovernanceState.class.isSealed()).isTrue();
        List<Class<?>> permitted = Arrays.asList(GovernanceState.class.getPermittedSubclasses());

        assertThat(GovernanceMessageTypes.STATES).<Class<?>>extracting(MessageType::javaType)
                .containsExactlyInAnyOrderElementsOf(permitted)
                .doesNotHaveDuplicates();
    }

    @Test
    void ce_types_and_names_are_unique_also_across_domains() {
        assertThat(GovernanceMessageTypes.STATES).extracting(MessageType::ceType).doesNotHaveDuplicates();
        assertThat(GovernanceMessageTypes.STATES).extracting(MessageType::name).doesNotHaveDuplicates();
        assertThat(SampleMessages.registered()).extracting(MessageType::ceType).doesNotHaveDuplicates();
    }

    @Test
    void ce_types_follow_tally_governance_name_version() {
        assertThat(GovernanceMessageTypes.STATES).allSatisfy(type -> {
            assertThat(type.domain()).isEqualTo("governance");
            assertThat(type.version()).isPositive();
            assertThat(type.ceType()).isEqualTo("tally.governance." + type.name() + ".v" + type.version())
                    .matches("tally\\.governance\\.[A-Z][A-Za-z]+\\.v[1-9][0-9]*");
        });
        assertThat(GovernanceMessageTypes.of(MemberState.class).ceType()).isEqualTo("tally.governance.Member.v1");
    }

    @Test
    void every_type_is_found_by_its_class_and_by_its_ce_type() {
        assertThat(GovernanceMessageTypes.STATES).allSatisfy(type -> {
            assertThat(GovernanceMessageTypes.of(type.javaType())).isSameAs(type);
            assertThat(GovernanceMessageTypes.ofCeType(type.ceType())).isSameAs(type);
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"tally.governance.Member.v2", "tally.governance.Team.v1", "tally.ledger.BudgetDefined.v1",
            "tally.ledger.Member.v1", "Member", ""})
    void an_unknown_ce_type_is_an_invalid_envelope(String ceType) {
        assertThatThrownBy(() -> GovernanceMessageTypes.ofCeType(ceType))
                .isInstanceOf(InvalidEnvelopeException.class)
                .hasMessageContaining("unknown message type")
                .hasMessageEndingWith(ceType);
    }

    @Test
    void a_class_that_is_not_a_governance_state_is_refused() {
        assertThatThrownBy(() -> GovernanceMessageTypes.of(TimeWindow.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(TimeWindow.class.getName());
        assertThatThrownBy(() -> GovernanceMessageTypes.of(Scope.class))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LedgerMessageTypes.of(MemberState.class))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** Two types with one prefix would overwrite each other on the compacted topic whenever their ids collide. */
    @Test
    void state_key_prefixes_are_distinct_per_type() {
        List<String> prefixes = GovernanceMessageTypes.STATES.stream()
                .map(type -> prefix(((GovernanceState) SampleMessages.of(type)).stateKey())).toList();

        assertThat(prefixes).doesNotHaveDuplicates().allMatch(prefix -> prefix.matches("[a-z]+(-[a-z]+)*"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("states")
    void the_state_key_is_the_prefix_and_the_identity_of_the_entity(MessageType<?> type) {
        GovernanceState state = (GovernanceState) SampleMessages.of(type);
        String id;
        if (state instanceof ApiKeyState key) {
            id = key.keyHash();
        } else if (state instanceof AdminKeyState key) {
            id = key.keyHash();
        } else if (state instanceof PriceState price) {
            id = price.provider() + "/" + price.model();
        } else if (state instanceof ProjectMemberState membership) {
            id = membership.projectId() + "/" + membership.member().id();
        } else {
            id = TallyJson.mapper().readTree(TallyJson.write(state)).path("id").asString();
            assertThat(id).as("id of %s", type.name()).isNotBlank();
        }

        assertThat(state.stateKey()).isEqualTo(prefix(state.stateKey()) + ":" + id);
    }

    /** The key travels as the Kafka record key; the value carries org_id only where it is a record component. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("states")
    void the_state_key_is_not_written_into_the_value(MessageType<?> type) {
        GovernanceState state = (GovernanceState) SampleMessages.of(type);
        JsonNode json = TallyJson.mapper().readTree(TallyJson.write(state));

        assertThat(json.has("state_key")).as("state_key in %s", json).isFalse();
        if (state instanceof OrgState || state instanceof PriceState) {
            assertThat(json.has("org_id")).as("org_id in %s", json).isFalse();
        } else {
            assertThat(json.path("org_id").asString()).isEqualTo(state.orgId());
        }
    }

    @Test
    void an_org_belongs_to_itself_and_a_price_to_no_org() {
        OrgState org = SampleMessages.of(OrgState.class);

        assertThat(org.orgId()).isEqualTo(org.id());
        assertThat(SampleMessages.of(PriceState.class).orgId()).isNull();
    }

    private static String prefix(String stateKey) {
        assertThat(stateKey).contains(":");
        return stateKey.substring(0, stateKey.indexOf(':'));
    }
}
