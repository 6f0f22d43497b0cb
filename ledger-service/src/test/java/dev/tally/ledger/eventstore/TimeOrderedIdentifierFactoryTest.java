package dev.tally.ledger.eventstore;

import org.axonframework.common.IdentifierFactory;
import org.axonframework.eventhandling.GenericEventMessage;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class TimeOrderedIdentifierFactoryTest {

    @Test
    void axon_finds_the_factory_so_every_event_gets_a_time_ordered_id() {
        assertThat(IdentifierFactory.getInstance()).isInstanceOf(TimeOrderedIdentifierFactory.class);

        String first = GenericEventMessage.asEventMessage("first").getIdentifier();
        String second = GenericEventMessage.asEventMessage("second").getIdentifier();

        assertThat(UUID.fromString(first).version()).isEqualTo(7);
        assertThat(second).isGreaterThan(first);
    }
}
