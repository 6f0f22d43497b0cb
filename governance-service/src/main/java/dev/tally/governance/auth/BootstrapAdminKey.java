package dev.tally.governance.auth;

import dev.tally.governance.GovernanceSettings;
import dev.tally.governance.support.Ids;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;

import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * Makes sure someone can log in: installs {@code TALLY_BOOTSTRAP_ADMIN_KEY} when it is set, otherwise creates a
 * platform-admin key on the very first start and writes it to a file only the service's user can read
 * ({@code TALLY_BOOTSTRAP_ADMIN_KEY_FILE}); the log names the file and the key's last characters, never the key.
 * Later starts write nothing.
 * Runs before {@code StateRepublisher}, which publishes the admin keys at start-up.
 */
@Component
@Order(0)
public class BootstrapAdminKey implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(BootstrapAdminKey.class);

    private final DatabaseClient db;
    private final GovernanceSettings settings;
    private final Path keyFile;

    /** @param keyFile where a generated key is written (TALLY_BOOTSTRAP_ADMIN_KEY_FILE) */
    public BootstrapAdminKey(DatabaseClient db, GovernanceSettings settings,
            @Value("${tally.governance.bootstrap-admin-key-file:bootstrap-admin-key}") Path keyFile) {
        this.db = db;
        this.settings = settings;
        this.keyFile = keyFile;
    }

    @Override
    public void run(ApplicationArguments args) {
        String configured = settings.bootstrapAdminKey();
        if (configured != null && !configured.isBlank()) {
            if (!configured.startsWith(ApiKeys.ADMIN_PREFIX) || configured.length() < 24) {
                throw new IllegalStateException("TALLY_BOOTSTRAP_ADMIN_KEY must start with " + ApiKeys.ADMIN_PREFIX
                        + " and be at least 24 characters long");
            }
            insert(configured.strip(), "bootstrap (TALLY_BOOTSTRAP_ADMIN_KEY)");
            return;
        }
        Long platformKeys = db.sql("select count(*) as n from admin_key where role = 'PLATFORM_ADMIN'")
                .map(row -> row.get("n", Long.class)).one().block();
        if (platformKeys != null && platformKeys > 0) {
            return;
        }
        String key = ApiKeys.newAdminKey();
        // Written before the key is stored, and removed again if storing fails: either way no key exists that nobody
        // can read, and the next start tries again.
        AdminKeyFile.write(keyFile, key);
        try {
            insert(key, "bootstrap");
        } catch (RuntimeException e) {
            AdminKeyFile.delete(keyFile);
            throw e;
        }
        log.warn("created the bootstrap platform-admin key ending in {} and wrote it to {} (readable by this user "
                + "only): store it in your secret manager and delete the file", ApiKeys.suffix(key),
                keyFile.toAbsolutePath());
    }

    private void insert(String key, String name) {
        db.sql("""
                        insert into admin_key (id, org_id, role, name, key_hash, key_suffix, status, created_at)
                        values (:id, null, 'PLATFORM_ADMIN', :name, :hash, :suffix, 'ACTIVE', :at)
                        on conflict (key_hash) do nothing""")
                .bind("id", Ids.newId()).bind("name", name).bind("hash", ApiKeys.hash(key))
                .bind("suffix", ApiKeys.suffix(key)).bind("at", Instant.now().atOffset(ZoneOffset.UTC))
                .then().block();
    }
}
