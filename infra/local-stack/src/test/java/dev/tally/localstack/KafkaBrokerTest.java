package dev.tally.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Properties;

import dev.tally.servicekit.kafka.KafkaSecurity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaBrokerTest {

    private static Properties read(KafkaBroker broker) throws Exception {
        Properties properties = new Properties();
        properties.load(new StringReader(broker.serverProperties()));
        return properties;
    }

    /** One certificate for the class: keytool takes seconds on a loaded machine. */
    @TempDir
    static Path folder;
    private static BrokerCertificate shared;

    private static synchronized BrokerCertificate certificate() {
        if (shared == null) {
            shared = BrokerCertificate.createOnce(folder.resolve("tls"));
        }
        return shared;
    }

    private static KafkaBroker broker(String scramPassword) {
        return broker(scramPassword, null);
    }

    private static KafkaBroker broker(String scramPassword, BrokerCertificate certificate) {
        return new KafkaBroker(Path.of("/data/kafka"), Path.of("/lib"), 1234, 1235, Path.of("/logs/kafka.log"),
                "-Dmarker", scramPassword, certificate);
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

    @Test
    void with_a_certificate_the_client_listener_is_tls_and_the_broker_checks_itself_with_the_clients_truststore()
            throws Exception {
        BrokerCertificate certificate = certificate();
        Properties properties = read(broker(null, certificate));

        assertThat(properties.getProperty("listeners")).isEqualTo("SSL://localhost:1234,CONTROLLER://localhost:1235");
        assertThat(properties.getProperty("listener.security.protocol.map")).isEqualTo("SSL:SSL,CONTROLLER:PLAINTEXT");
        assertThat(properties.getProperty("inter.broker.listener.name")).isEqualTo("SSL");
        assertThat(properties.getProperty("ssl.keystore.location")).isEqualTo(certificate.keystore().toString());
        assertThat(properties.getProperty("ssl.truststore.location")).isEqualTo(certificate.truststore().toString());
        assertThat(properties.getProperty("ssl.keystore.password")).isEqualTo(certificate.password());
        assertThat(properties.stringPropertyNames()).noneMatch(name -> name.contains("sasl"));
        KafkaSecurity client = broker(null, certificate).clientSecurity();
        assertThat(client.protocol()).isEqualTo(KafkaSecurity.Protocol.SSL);
        assertThat(client.truststore().location()).isEqualTo(certificate.truststore().toString());

        Properties both = read(broker("pw", certificate));
        assertThat(both.getProperty("listeners")).isEqualTo("SASL_SSL://localhost:1234,CONTROLLER://localhost:1235");
        assertThat(both.getProperty("listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config")).contains("\"tally\"");
        assertThat(both.getProperty("ssl.truststore.location")).isEqualTo(certificate.truststore().toString());
        assertThat(broker("pw", certificate).clientSecurity().clientProperties())
                .containsEntry("security.protocol", "SASL_SSL").containsEntry("ssl.truststore.type", "PKCS12");
    }

    @Test
    void the_certificate_is_for_localhost_signed_once_kept_across_starts_and_the_users_alone() throws Exception {
        BrokerCertificate certificate = certificate();

        KeyStore keystore = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(certificate.keystore())) {
            keystore.load(in, certificate.password().toCharArray());
        }
        X509Certificate broker = (X509Certificate) keystore.getCertificate("broker");
        assertThat(keystore.isKeyEntry("broker")).isTrue();
        assertThat(broker.getSubjectAlternativeNames().stream().map(name -> String.valueOf(name.get(1))))
                .containsExactlyInAnyOrder("localhost", "127.0.0.1");
        KeyStore truststore = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(certificate.truststore())) {
            truststore.load(in, certificate.password().toCharArray());
        }
        assertThat(truststore.getCertificate(truststore.aliases().nextElement())).isEqualTo(broker);
        for (Path file : List.of(certificate.keystore(), certificate.truststore(),
                folder.resolve("tls").resolve(BrokerCertificate.PASSWORD_FILE))) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).as(file.toString())
                    .isEqualTo("rw-------");
        }
        assertThat(certificate.toString()).doesNotContain(certificate.password());

        byte[] keystoreBytes = Files.readAllBytes(certificate.keystore());
        assertThat(BrokerCertificate.createOnce(folder.resolve("tls"))).isEqualTo(certificate);
        assertThat(Files.readAllBytes(certificate.keystore())).isEqualTo(keystoreBytes);
    }
}
