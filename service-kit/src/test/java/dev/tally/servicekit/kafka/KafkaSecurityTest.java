package dev.tally.servicekit.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaSecurityTest {

    @TempDir
    Path folder;

    private static KafkaSecurity read(Map<String, String> settings) {
        return KafkaSecurity.from(settings::get);
    }

    @Test
    void the_settings_read_back_into_the_same_security() throws Exception {
        Path truststore = Files.writeString(folder.resolve("trust.p12"), "t");
        Path keystore = Files.writeString(folder.resolve("key.pem"), "k");
        KafkaSecurity security = read(Map.of(KafkaSecurity.PROTOCOL, "SASL_SSL",
                KafkaSecurity.MECHANISM, "SCRAM-SHA-256", KafkaSecurity.USERNAME, "tally",
                KafkaSecurity.PASSWORD, "s3cret", KafkaSecurity.TRUSTSTORE_LOCATION, truststore.toString(),
                KafkaSecurity.TRUSTSTORE_PASSWORD, "tp", KafkaSecurity.KEYSTORE_LOCATION, keystore.toString(),
                KafkaSecurity.KEYSTORE_TYPE, "PEM"));

        assertThat(read(security.settings())).isEqualTo(security);
        assertThat(read(KafkaSecurity.PLAINTEXT.settings())).isEqualTo(KafkaSecurity.PLAINTEXT);
        assertThat(KafkaSecurity.SETTINGS).containsAll(security.settings().keySet());
    }

    @Test
    void nothing_set_is_plaintext_and_adds_no_client_property() {
        KafkaSecurity security = read(Map.of());

        assertThat(security.protocol()).isEqualTo(KafkaSecurity.Protocol.PLAINTEXT);
        assertThat(security.clientProperties()).isEmpty();
        assertThat(security.addTo(Map.of("bootstrap.servers", "b:9092"))).containsOnlyKeys("bootstrap.servers");
    }

    @Test
    void sasl_plaintext_defaults_to_scram_sha_512_with_the_user_in_the_jaas_line() {
        KafkaSecurity security = read(Map.of(KafkaSecurity.PROTOCOL, "SASL_PLAINTEXT",
                KafkaSecurity.USERNAME, "tally", KafkaSecurity.PASSWORD, "s3cret"));

        assertThat(security.clientProperties()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "security.protocol", "SASL_PLAINTEXT",
                "sasl.mechanism", "SCRAM-SHA-512",
                "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required "
                        + "username=\"tally\" password=\"s3cret\";"));
    }

    @Test
    void sasl_ssl_with_scram_sha_256_and_a_truststore() throws Exception {
        Path truststore = Files.writeString(folder.resolve("trust.p12"), "not read here");
        KafkaSecurity security = read(Map.of(KafkaSecurity.PROTOCOL, "sasl_ssl",
                KafkaSecurity.MECHANISM, "scram-sha-256", KafkaSecurity.USERNAME, "svc",
                KafkaSecurity.PASSWORD, "pw", KafkaSecurity.TRUSTSTORE_LOCATION, truststore.toString(),
                KafkaSecurity.TRUSTSTORE_PASSWORD, "changeit", KafkaSecurity.TRUSTSTORE_TYPE, "pkcs12"));

        assertThat(security.clientProperties())
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-256")
                .containsEntry("ssl.truststore.location", truststore.toString())
                .containsEntry("ssl.truststore.password", "changeit")
                .containsEntry("ssl.truststore.type", "PKCS12")
                .doesNotContainKey("ssl.keystore.location");
    }

    @Test
    void sasl_ssl_without_a_truststore_trusts_the_jvm_default_as_msk_needs() {
        KafkaSecurity security = read(Map.of(KafkaSecurity.PROTOCOL, "SASL_SSL", KafkaSecurity.USERNAME, "u",
                KafkaSecurity.PASSWORD, "p"));

        assertThat(security.clientProperties()).containsEntry("security.protocol", "SASL_SSL")
                .doesNotContainKeys("ssl.truststore.location", "ssl.truststore.type");
    }

    @Test
    void plain_mechanism_uses_the_plain_login_module() {
        KafkaSecurity security = read(Map.of(KafkaSecurity.PROTOCOL, "SASL_SSL", KafkaSecurity.MECHANISM, "PLAIN",
                KafkaSecurity.USERNAME, "u", KafkaSecurity.PASSWORD, "p"));

        assertThat((String) security.clientProperties().get("sasl.jaas.config"))
                .startsWith("org.apache.kafka.common.security.plain.PlainLoginModule required ");
    }

    @Test
    void ssl_with_a_keystore_for_mutual_tls_and_no_sasl() throws Exception {
        Path keystore = Files.writeString(folder.resolve("client.jks"), "x");
        KafkaSecurity security = read(Map.of(KafkaSecurity.PROTOCOL, "SSL",
                KafkaSecurity.KEYSTORE_LOCATION, keystore.toString(), KafkaSecurity.KEYSTORE_PASSWORD, "kp"));

        assertThat(security.clientProperties()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "security.protocol", "SSL",
                "ssl.keystore.location", keystore.toString(),
                "ssl.keystore.password", "kp",
                "ssl.key.password", "kp"));
    }

    @Test
    void quotes_and_backslashes_in_a_password_are_escaped_for_jaas() {
        KafkaSecurity security = read(Map.of(KafkaSecurity.PROTOCOL, "SASL_PLAINTEXT",
                KafkaSecurity.USERNAME, "u", KafkaSecurity.PASSWORD, "a\"b\\c"));

        assertThat((String) security.clientProperties().get("sasl.jaas.config")).contains("password=\"a\\\"b\\\\c\";");
    }

    @Test
    void a_missing_password_names_the_setting_and_its_variable() {
        assertThatThrownBy(() -> read(Map.of(KafkaSecurity.PROTOCOL, "SASL_SSL", KafkaSecurity.USERNAME, "u")))
                .isInstanceOf(KafkaSecurityException.class)
                .hasMessage("tally.kafka.sasl.password (TALLY_KAFKA_SASL_PASSWORD) must be set when "
                        + "tally.kafka.security.protocol (TALLY_KAFKA_SECURITY_PROTOCOL) is SASL_SSL.");
    }

    @Test
    void a_blank_username_counts_as_missing() {
        assertThatThrownBy(() -> read(Map.of(KafkaSecurity.PROTOCOL, "SASL_PLAINTEXT", KafkaSecurity.USERNAME, " ",
                KafkaSecurity.PASSWORD, "p")))
                .isInstanceOf(KafkaSecurityException.class).hasMessageStartingWith("tally.kafka.sasl.username");
    }

    @Test
    void a_bad_mechanism_is_refused_with_the_choices() {
        assertThatThrownBy(() -> read(Map.of(KafkaSecurity.PROTOCOL, "SASL_SSL", KafkaSecurity.MECHANISM, "GSSAPI",
                KafkaSecurity.USERNAME, "u", KafkaSecurity.PASSWORD, "p")))
                .isInstanceOf(KafkaSecurityException.class)
                .hasMessage("tally.kafka.sasl.mechanism (TALLY_KAFKA_SASL_MECHANISM) is 'GSSAPI'; it must be "
                        + "SCRAM-SHA-512, SCRAM-SHA-256 or PLAIN.");
    }

    @Test
    void a_bad_protocol_is_refused_with_the_choices() {
        assertThatThrownBy(() -> read(Map.of(KafkaSecurity.PROTOCOL, "TLS")))
                .isInstanceOf(KafkaSecurityException.class)
                .hasMessage("tally.kafka.security.protocol (TALLY_KAFKA_SECURITY_PROTOCOL) is 'TLS'; it must be one "
                        + "of PLAINTEXT, SASL_PLAINTEXT, SASL_SSL, SSL.");
    }

    @Test
    void credentials_without_a_sasl_protocol_are_refused_rather_than_ignored() {
        assertThatThrownBy(() -> read(Map.of(KafkaSecurity.USERNAME, "u", KafkaSecurity.PASSWORD, "p")))
                .isInstanceOf(KafkaSecurityException.class)
                .hasMessageStartingWith("tally.kafka.sasl.username (TALLY_KAFKA_SASL_USERNAME) is set, but "
                        + "tally.kafka.security.protocol (TALLY_KAFKA_SECURITY_PROTOCOL) is PLAINTEXT");
    }

    @Test
    void a_truststore_that_is_not_there_is_refused_at_start() {
        assertThatThrownBy(() -> read(Map.of(KafkaSecurity.PROTOCOL, "SSL",
                KafkaSecurity.TRUSTSTORE_LOCATION, folder.resolve("missing.jks").toString())))
                .isInstanceOf(KafkaSecurityException.class)
                .hasMessageContaining("tally.kafka.ssl.truststore.location")
                .hasMessageEndingWith("not a readable file.");
    }

    @Test
    void a_truststore_without_tls_is_refused() throws Exception {
        Path truststore = Files.writeString(folder.resolve("trust.jks"), "x");
        assertThatThrownBy(() -> read(Map.of(KafkaSecurity.PROTOCOL, "SASL_PLAINTEXT", KafkaSecurity.USERNAME, "u",
                KafkaSecurity.PASSWORD, "p", KafkaSecurity.TRUSTSTORE_LOCATION, truststore.toString())))
                .isInstanceOf(KafkaSecurityException.class).hasMessageContaining("SSL or SASL_SSL only");
    }

    @Test
    void a_bad_store_type_is_refused() throws Exception {
        Path truststore = Files.writeString(folder.resolve("trust.jks"), "x");
        assertThatThrownBy(() -> read(Map.of(KafkaSecurity.PROTOCOL, "SSL",
                KafkaSecurity.TRUSTSTORE_LOCATION, truststore.toString(), KafkaSecurity.TRUSTSTORE_TYPE, "P12")))
                .isInstanceOf(KafkaSecurityException.class)
                .hasMessage("tally.kafka.ssl.truststore.type (TALLY_KAFKA_SSL_TRUSTSTORE_TYPE) is 'P12'; it must be "
                        + "JKS, PKCS12 or PEM.");
    }

    @Test
    void to_string_never_shows_a_password() throws Exception {
        Path truststore = Files.writeString(folder.resolve("trust.jks"), "x");
        Map<String, String> settings = new HashMap<>(Map.of(KafkaSecurity.PROTOCOL, "SASL_SSL",
                KafkaSecurity.USERNAME, "u", KafkaSecurity.PASSWORD, "topsecret1",
                KafkaSecurity.TRUSTSTORE_LOCATION, truststore.toString(),
                KafkaSecurity.TRUSTSTORE_PASSWORD, "topsecret2"));

        KafkaSecurity security = read(settings);

        assertThat(security.toString()).doesNotContain("topsecret1").doesNotContain("topsecret2").contains("u");
        assertThat(KafkaConnection.from(settings::get).toString()).doesNotContain("topsecret");
    }

    @Test
    void the_connection_adds_the_bootstrap_servers() {
        Map<String, String> settings = Map.of("spring.kafka.bootstrap-servers", "k1:9096,k2:9096",
                KafkaSecurity.PROTOCOL, "SASL_SSL", KafkaSecurity.USERNAME, "u", KafkaSecurity.PASSWORD, "p");

        KafkaConnection connection = KafkaConnection.from(settings::get);

        assertThat(connection.clientProperties()).containsEntry("bootstrap.servers", "k1:9096,k2:9096")
                .containsEntry("security.protocol", "SASL_SSL");
        assertThat(connection.securityProperties()).doesNotContainKey("bootstrap.servers");
    }
}
