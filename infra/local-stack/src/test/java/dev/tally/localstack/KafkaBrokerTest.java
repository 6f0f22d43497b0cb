package dev.tally.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.nio.file.Path;
import java.util.Properties;

import dev.tally.servicekit.kafka.KafkaSecurity;
import org.junit.jupiter.api.Test;

class KafkaBrokerTest {

    private static Properties read(KafkaBroker broker) throws Exception {
        Properties properties = new Properties();
        properties.load(new StringReader(broker.serverProperties()));
        return properties;
    }

    private static KafkaBroker broker(String scramPassword) {
        return new KafkaBroker(Path.of("/data/kafka"), Path.of("/lib"), 1234, 1235, Path.of("/logs/kafka.log"),
                "-Dmarker", scramPassword);
    }

    @Test
    void without_a_password_the_client_listener_is_plaintext() throws Exception {
        Properties properties = read(broker(null));

        assertThat(properties.getProperty("listeners"))
                .isEqualTo("PLAINTEXT://localhost:1234,CONTROLLER://localhost:1235");
        assertThat(properties.getProperty("inter.broker.listener.name")).isEqualTo("PLAINTEXT");
        assertThat(properties.getProperty("controller.listener.names")).isEqualTo("CONTROLLER");
        assertThat(properties.getProperty("log.dirs")).isEqualTo("/data/kafka/data");
        assertThat(properties.stringPropertyNames()).noneMatch(name -> name.contains("sasl"));
        assertThat(broker(null).clientSecurity()).isEqualTo(KafkaSecurity.PLAINTEXT);
    }

    @Test
    void with_a_password_clients_and_the_broker_itself_use_scram_and_the_controller_stays_on_loopback()
            throws Exception {
        Properties properties = read(broker("pw"));

        assertThat(properties.getProperty("listeners"))
                .isEqualTo("SASL_PLAINTEXT://localhost:1234,CONTROLLER://localhost:1235");
        assertThat(properties.getProperty("advertised.listeners")).isEqualTo("SASL_PLAINTEXT://localhost:1234");
        assertThat(properties.getProperty("listener.security.protocol.map"))
                .isEqualTo("SASL_PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:PLAINTEXT");
        assertThat(properties.getProperty("inter.broker.listener.name")).isEqualTo("SASL_PLAINTEXT");
        assertThat(properties.getProperty("sasl.enabled.mechanisms")).isEqualTo("SCRAM-SHA-512");
        assertThat(properties.getProperty("sasl.mechanism.inter.broker.protocol")).isEqualTo("SCRAM-SHA-512");
        assertThat(properties.getProperty("listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config")).isEqualTo(
                "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"tally\" password=\"pw\";");
        assertThat(broker("pw").clientSecurity().clientProperties())
                .containsEntry("security.protocol", "SASL_PLAINTEXT").containsEntry("sasl.mechanism", "SCRAM-SHA-512");
    }
}
