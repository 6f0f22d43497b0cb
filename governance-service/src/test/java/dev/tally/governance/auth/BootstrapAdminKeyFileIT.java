package dev.tally.governance.auth;

import dev.tally.governance.support.LedgerProcess;
import dev.tally.testsupport.PostgresDatabase;
import dev.tally.testsupport.ServiceProcess;
import dev.tally.testsupport.TallyInfrastructure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A first start without {@code TALLY_BOOTSTRAP_ADMIN_KEY}: the generated key goes to a file only the service's user
 * can read, in a directory only it can enter, and nowhere in the output; the key in the file works.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
@ExtendWith(OutputCaptureExtension.class)
class BootstrapAdminKeyFileIT {

    private static final TallyInfrastructure INFRA = TallyInfrastructure.shared();
    private static final Path KEY_FILE = newDirectory().resolve("secrets/bootstrap-admin-key");

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        // Governance's ledger client waits for the ledger's topics, which ledger-service creates.
        ServiceProcess ledger = LedgerProcess.get(INFRA);
        PostgresDatabase db = INFRA.newDatabase("governance");
        INFRA.springProperties(db).forEach((key, value) -> registry.add(key, () -> value));
        registry.add("tally.governance.bootstrap-admin-key", () -> "");
        registry.add("tally.governance.bootstrap-admin-key-file", KEY_FILE::toString);
        registry.add("tally.governance.ledger-url", ledger::baseUrl);
    }

    @Test
    void the_generated_key_is_written_to_an_owner_only_file_and_never_to_the_output(CapturedOutput output)
            throws IOException {
        String key = Files.readString(KEY_FILE).strip();

        assertThat(key).startsWith("tadm_");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(KEY_FILE))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(KEY_FILE.getParent())))
                .isEqualTo("rwx------");
        assertThat(output.getAll()).contains(KEY_FILE.toString()).doesNotContain(key);
        WebTestClient.bindToServer().baseUrl("http://localhost:" + port).build()
                .get().uri("/orgs").header("Authorization", "Bearer " + key).exchange()
                .expectStatus().isOk();
    }

    private static Path newDirectory() {
        try {
            return Files.createTempDirectory("bootstrap-key-it");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
