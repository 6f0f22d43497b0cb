package dev.tally.localstack;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Properties;

/**
 * The platform-admin key and the BYOK credential key, created on the first start and reused after, because the
 * database remembers both: a new admin key would be one more, and a new credential key would make stored BYOK
 * credentials unreadable.
 *
 * @param adminKey      installed by governance as {@code TALLY_BOOTSTRAP_ADMIN_KEY}
 * @param credentialKey base64 of 32 bytes, {@code TALLY_CREDENTIAL_KEY} of governance and every gateway
 */
public record Secrets(String adminKey, String credentialKey) {

    private static final SecureRandom RANDOM = new SecureRandom();

    static Secrets loadOrCreate(Path file) {
        Properties properties = new Properties();
        if (Files.isRegularFile(file)) {
            try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                properties.load(reader);
            } catch (IOException e) {
                throw new UncheckedIOException("could not read " + file, e);
            }
        }
        String adminKey = properties.getProperty("admin_key");
        String credentialKey = properties.getProperty("credential_key");
        if (adminKey != null && credentialKey != null) {
            return new Secrets(adminKey, credentialKey);
        }
        Secrets created = new Secrets(
                adminKey != null ? adminKey : "tadm_" + random(Base64.getUrlEncoder().withoutPadding()),
                credentialKey != null ? credentialKey : random(Base64.getEncoder()));
        created.save(file);
        return created;
    }

    private void save(Path file) {
        Properties properties = new Properties();
        properties.setProperty("admin_key", adminKey);
        properties.setProperty("credential_key", credentialKey);
        try {
            Files.createDirectories(file.getParent());
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                properties.store(writer, "Created by ./tally up on the first start; deleted by ./tally wipe");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file, e);
        }
    }

    private static String random(Base64.Encoder encoder) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return encoder.encodeToString(bytes);
    }
}
