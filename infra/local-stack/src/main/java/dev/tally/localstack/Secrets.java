package dev.tally.localstack;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Properties;

/**
 * The platform-admin key, the two sealing keys, the Kafka password and the PostgreSQL password, created on the first
 * start and reused after, because the database remembers them: a new admin key would be one more, and a new sealing
 * key would make stored secrets unreadable (the broker, too, keeps its SCRAM user from its first start, and PostgreSQL
 * its superuser's password). The file is the user's alone ({@link OwnerOnly}).
 *
 * @param adminKey      installed by governance as {@code TALLY_BOOTSTRAP_ADMIN_KEY}
 * @param credentialKey base64 of 32 bytes, {@code TALLY_CREDENTIAL_KEY} of governance and every gateway (BYOK)
 * @param channelKey    base64 of 32 bytes, {@code TALLY_CHANNEL_KEY} of notification-service (channel secrets): a key
 *                      of its own, as in production
 * @param kafkaPassword the password of the broker's SCRAM user {@value #KAFKA_USER} with {@code --kafka-sasl}:
 *                      every service's {@code TALLY_KAFKA_SASL_PASSWORD}
 * @param postgresPassword the password of the embedded PostgreSQL's superuser {@code postgres}, which it checks with
 *                      scram-sha-256: every service's {@code TALLY_DB_PASSWORD}
 */
public record Secrets(String adminKey, String credentialKey, String channelKey, String kafkaPassword,
        String postgresPassword) {

    /** The one SCRAM user of the local broker: the broker itself and every service. */
    public static final String KAFKA_USER = "tally";

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
        String channelKey = properties.getProperty("channel_key");
        String kafkaPassword = properties.getProperty("kafka_password");
        String postgresPassword = properties.getProperty("postgres_password");
        if (adminKey != null && credentialKey != null && channelKey != null && kafkaPassword != null
                && postgresPassword != null) {
            return new Secrets(adminKey, credentialKey, channelKey, kafkaPassword, postgresPassword);
        }
        // A data folder from before channel secrets had their own key gets one now; channel secrets stored under the
        // shared key then no longer open (re-create those channels, or ./tally wipe).
        Secrets created = new Secrets(
                adminKey != null ? adminKey : "tadm_" + random(Base64.getUrlEncoder().withoutPadding()),
                credentialKey != null ? credentialKey : random(Base64.getEncoder()),
                channelKey != null ? channelKey : random(Base64.getEncoder()),
                // URL-safe: it goes into a JAAS line and Kafka's --add-scram syntax, where '+', '/' and '=' need care.
                kafkaPassword != null ? kafkaPassword : random(Base64.getUrlEncoder().withoutPadding()),
                // URL-safe too: it is written into an SQL string literal when an older data folder is moved off trust.
                postgresPassword != null ? postgresPassword : random(Base64.getUrlEncoder().withoutPadding()));
        created.save(file);
        return created;
    }

    private void save(Path file) {
        Properties properties = new Properties();
        properties.setProperty("admin_key", adminKey);
        properties.setProperty("credential_key", credentialKey);
        properties.setProperty("channel_key", channelKey);
        properties.setProperty("kafka_password", kafkaPassword);
        properties.setProperty("postgres_password", postgresPassword);
        StringWriter text = new StringWriter();
        try {
            properties.store(text, "Created by ./tally up on the first start; deleted by ./tally wipe");
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file, e);
        }
        OwnerOnly.write(file, text.toString());
    }

    private static String random(Base64.Encoder encoder) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return encoder.encodeToString(bytes);
    }
}
