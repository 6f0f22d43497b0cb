package dev.tally.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretsTest {

    @TempDir
    Path directory;

    @Test
    void keys_are_created_on_the_first_start_in_the_form_governance_accepts_readable_by_the_user_only()
            throws Exception {
        Path file = directory.resolve("data/secrets.properties");

        Secrets secrets = Secrets.loadOrCreate(file);

        assertThat(secrets.adminKey()).startsWith("tadm_").hasSizeGreaterThanOrEqualTo(24);
        assertThat(Base64.getDecoder().decode(secrets.credentialKey())).hasSize(32);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
                .isEqualTo("rwx------");
    }

    @Test
    void channel_secrets_get_a_key_of_their_own() {
        Secrets secrets = Secrets.loadOrCreate(directory.resolve("secrets.properties"));

        assertThat(Base64.getDecoder().decode(secrets.channelKey())).hasSize(32);
        assertThat(secrets.channelKey()).isNotEqualTo(secrets.credentialKey());
    }

    @Test
    void a_file_from_before_channel_keys_keeps_its_keys_and_gains_a_channel_key_still_owner_only() throws Exception {
        Path file = directory.resolve("secrets.properties");
        Files.writeString(file, "admin_key=tadm_existing-admin-key-0000000\ncredential_key="
                + Base64.getEncoder().encodeToString(new byte[32]) + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        Secrets secrets = Secrets.loadOrCreate(file);

        assertThat(secrets.adminKey()).isEqualTo("tadm_existing-admin-key-0000000");
        assertThat(secrets.channelKey()).isNotBlank();
        assertThat(Secrets.loadOrCreate(file)).isEqualTo(secrets);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void the_kafka_password_is_random_and_safe_in_a_jaas_line_and_in_kafkas_scram_syntax() {
        Secrets first = Secrets.loadOrCreate(directory.resolve("a/secrets.properties"));
        Secrets second = Secrets.loadOrCreate(directory.resolve("b/secrets.properties"));

        assertThat(first.kafkaPassword()).matches("[A-Za-z0-9_-]{43}").isNotEqualTo(second.kafkaPassword());
    }

    @Test
    void a_file_from_before_kafka_sasl_keeps_its_keys_and_gains_a_kafka_password() throws Exception {
        Path file = directory.resolve("secrets.properties");
        Files.writeString(file, "admin_key=tadm_existing-admin-key-0000000\ncredential_key=c\nchannel_key=k\n");

        Secrets secrets = Secrets.loadOrCreate(file);

        assertThat(secrets.adminKey()).isEqualTo("tadm_existing-admin-key-0000000");
        assertThat(secrets.channelKey()).isEqualTo("k");
        assertThat(secrets.kafkaPassword()).isNotBlank();
        assertThat(Secrets.loadOrCreate(file)).isEqualTo(secrets);
    }

    @Test
    void later_starts_reuse_them() {
        Path file = directory.resolve("secrets.properties");

        assertThat(Secrets.loadOrCreate(file)).isEqualTo(Secrets.loadOrCreate(file));
    }

    @Test
    void the_postgres_password_is_random_kept_and_added_to_a_file_from_before_it() throws Exception {
        Secrets first = Secrets.loadOrCreate(directory.resolve("a/secrets.properties"));
        Secrets second = Secrets.loadOrCreate(directory.resolve("b/secrets.properties"));
        assertThat(first.postgresPassword()).matches("[A-Za-z0-9_-]{43}").isNotEqualTo(second.postgresPassword())
                .isNotEqualTo(first.kafkaPassword());
        assertThat(Secrets.loadOrCreate(directory.resolve("a/secrets.properties"))).isEqualTo(first);

        Path older = directory.resolve("c/secrets.properties");
        Files.createDirectories(older.getParent());
        Files.writeString(older, "admin_key=tadm_existing-admin-key-0000000\ncredential_key=" + first.credentialKey()
                + "\nchannel_key=" + first.channelKey() + "\nkafka_password=" + first.kafkaPassword() + "\n");
        Secrets upgraded = Secrets.loadOrCreate(older);
        assertThat(upgraded.kafkaPassword()).isEqualTo(first.kafkaPassword());
        assertThat(upgraded.postgresPassword()).matches("[A-Za-z0-9_-]{43}");
        assertThat(Files.readString(older)).contains("postgres_password=" + upgraded.postgresPassword());
    }
}
