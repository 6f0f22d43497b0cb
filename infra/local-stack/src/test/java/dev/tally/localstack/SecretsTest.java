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
    void keys_are_created_on_the_first_start_in_the_form_governance_accepts() throws Exception {
        Path file = directory.resolve("secrets.properties");

        Secrets secrets = Secrets.loadOrCreate(file);

        assertThat(secrets.adminKey()).startsWith("tadm_").hasSizeGreaterThanOrEqualTo(24);
        assertThat(Base64.getDecoder().decode(secrets.credentialKey())).hasSize(32);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void later_starts_reuse_them() {
        Path file = directory.resolve("secrets.properties");

        assertThat(Secrets.loadOrCreate(file)).isEqualTo(Secrets.loadOrCreate(file));
    }
}
