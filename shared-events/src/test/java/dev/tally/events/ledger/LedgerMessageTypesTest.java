package dev.tally.events.ledger;

import dev.tally.events.envelope.InvalidEnvelopeException;
import dev.tally.events.envelope.MessageType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LedgerMessageTypesTest {

    static Stream<Arguments> sealedFamilies() {
        return Stream.of(
                Arguments.of(LedgerCommand.class, LedgerMessageTypes.COMMANDS),
                Arguments.of(LedgerEvent.class, LedgerMessageTypes.EVENTS),
                Arguments.of(LedgerReply.class, LedgerMessageTypes.REPLIES));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sealedFamilies")
    void every_permitted_subclass_is_registered_exactly_once_in_its_list(Class<?> sealed,
            List<? extends MessageType<?>> registered) {
        assertThat(sealed.isSealed()).isTrue();
        List<Class<?>> permitted = Arrays.asList(sealed.getPermittedSubclasses());
        List<Class<?>> registeredClasses = registered.stream().<Class<?>>map(MessageType::javaType).toList();

        assertThat(registeredClasses).as("types registered for %s", sealed.getSimpleName())
                .containsExactlyInAnyOrderElementsOf(permitted)
                .doesNotHaveDuplicates();
        for (Class<?> subclass : permitted) {
            assertThat(LedgerMessageTypes.all()).as("registrations of %s", subclass.getSimpleName())
                    .filteredOn(type -> type.javaType() == subclass).hasSize(1);
        }
    }

    @Test
    void all_is_the_14_commands_then_the_19_events_then_the_2_replies() {
        assertThat(LedgerMessageTypes.COMMANDS).hasSize(14);
        assertThat(LedgerMessageTypes.EVENTS).hasSize(19);
        assertThat(LedgerMessageTypes.REPLIES).hasSize(2);
        assertThat(LedgerMessageTypes.all()).containsExactlyElementsOf(Stream.of(LedgerMessageTypes.COMMANDS,
                LedgerMessageTypes.EVENTS, LedgerMessageTypes.REPLIES).<MessageType<?>>flatMap(List::stream).toList());
    }

    @Test
    void ce_types_and_names_are_unique() {
        assertThat(LedgerMessageTypes.all()).extracting(MessageType::ceType).doesNotHaveDuplicates();
        assertThat(LedgerMessageTypes.all()).extracting(MessageType::name).doesNotHaveDuplicates();
    }

    @Test
    void ce_types_follow_tally_domain_name_version() {
        assertThat(LedgerMessageTypes.all()).allSatisfy(type -> {
            assertThat(type.domain()).isEqualTo("ledger");
            assertThat(type.version()).isPositive();
            assertThat(type.ceType()).isEqualTo("tally.ledger." + type.name() + ".v" + type.version())
                    .matches("tally\\.ledger\\.[A-Z][A-Za-z]+\\.v[1-9][0-9]*");
        });
        assertThat(LedgerMessageTypes.of(CreditReservedEvent.class).ceType())
                .isEqualTo("tally.ledger.CreditReserved.v1");
    }

    @Test
    void every_type_is_found_by_its_class_and_by_its_ce_type() {
        assertThat(LedgerMessageTypes.all()).allSatisfy(type -> {
            assertThat(LedgerMessageTypes.of(type.javaType())).isSameAs(type);
            assertThat(LedgerMessageTypes.ofCeType(type.ceType())).isSameAs(type);
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"tally.ledger.CreditReserved.v2", "tally.ledger.CreditsMinted.v1",
            "tally.billing.CreditReserved.v1", "CreditReserved", ""})
    void an_unknown_ce_type_is_an_invalid_envelope(String ceType) {
        assertThatThrownBy(() -> LedgerMessageTypes.ofCeType(ceType))
                .isInstanceOf(InvalidEnvelopeException.class)
                .hasMessageContaining("unknown message type")
                .hasMessageEndingWith(ceType);
    }

    @Test
    void a_class_that_is_not_a_ledger_message_is_refused() {
        assertThatThrownBy(() -> LedgerMessageTypes.of(Scope.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(Scope.class.getName());
    }

    @Test
    void name_of_a_message_is_its_wire_name() {
        var reply = new CommandAcceptedReply("cmd-0007", "org-acme", "CreditReserved", 1_200L);

        assertThat(LedgerMessageTypes.nameOf(reply)).isEqualTo("CommandAccepted");
    }
}
