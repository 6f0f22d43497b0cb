package dev.tally.servicekit.kafka;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * How every Kafka client of a service authenticates to the brokers and checks them: the protocol, the SASL mechanism
 * and user, and the trust and key stores for TLS. Read once from the {@code tally.kafka.*} settings ({@link #from});
 * {@link #clientProperties()} turns it into the client properties every producer, consumer and admin client gets.
 * The passwords never appear in {@link #toString()}.
 *
 * @param protocol  Kafka's {@code security.protocol}
 * @param mechanism the SASL mechanism; null unless the protocol is SASL_PLAINTEXT or SASL_SSL
 * @param username  the SASL user; null without SASL
 * @param password  the SASL password; null without SASL
 * @param truststore the certificates that sign the brokers' (TLS only); null = the JVM's default trust
 * @param keystore  this client's own certificate, for brokers that want one (mutual TLS); null = none
 */
public record KafkaSecurity(Protocol protocol, Mechanism mechanism, String username, String password, Store truststore,
        Store keystore) {

    public static final String PROTOCOL = "tally.kafka.security.protocol";
    public static final String MECHANISM = "tally.kafka.sasl.mechanism";
    public static final String USERNAME = "tally.kafka.sasl.username";
    public static final String PASSWORD = "tally.kafka.sasl.password";
    public static final String TRUSTSTORE_LOCATION = "tally.kafka.ssl.truststore.location";
    public static final String TRUSTSTORE_PASSWORD = "tally.kafka.ssl.truststore.password";
    public static final String TRUSTSTORE_TYPE = "tally.kafka.ssl.truststore.type";
    public static final String KEYSTORE_LOCATION = "tally.kafka.ssl.keystore.location";
    public static final String KEYSTORE_PASSWORD = "tally.kafka.ssl.keystore.password";
    public static final String KEYSTORE_TYPE = "tally.kafka.ssl.keystore.type";

    /** Every setting read here, for tools that pass them on (the Helm chart sets each as its environment variable). */
    public static final List<String> SETTINGS = List.of(PROTOCOL, MECHANISM, USERNAME, PASSWORD, TRUSTSTORE_LOCATION,
            TRUSTSTORE_PASSWORD, TRUSTSTORE_TYPE, KEYSTORE_LOCATION, KEYSTORE_PASSWORD, KEYSTORE_TYPE);

    /** What a service uses when nothing is set: no authentication, no TLS (the local stack, tests). */
    public static final KafkaSecurity PLAINTEXT = new KafkaSecurity(Protocol.PLAINTEXT, null, null, null, null, null);

    public enum Protocol {
        PLAINTEXT, SASL_PLAINTEXT, SASL_SSL, SSL;

        public boolean usesSasl() {
            return this == SASL_PLAINTEXT || this == SASL_SSL;
        }

        public boolean usesTls() {
            return this == SSL || this == SASL_SSL;
        }
    }

    public enum Mechanism {
        SCRAM_SHA_512("SCRAM-SHA-512", "org.apache.kafka.common.security.scram.ScramLoginModule"),
        SCRAM_SHA_256("SCRAM-SHA-256", "org.apache.kafka.common.security.scram.ScramLoginModule"),
        PLAIN("PLAIN", "org.apache.kafka.common.security.plain.PlainLoginModule");

        private final String kafkaName;
        private final String loginModule;

        Mechanism(String kafkaName, String loginModule) {
            this.kafkaName = kafkaName;
            this.loginModule = loginModule;
        }

        public String kafkaName() {
            return kafkaName;
        }

        static Mechanism parse(String value) {
            for (Mechanism mechanism : values()) {
                if (mechanism.kafkaName.equalsIgnoreCase(value.strip())) {
                    return mechanism;
                }
            }
            throw new KafkaSecurityException(KafkaSecurity.name(MECHANISM) + " is '" + value
                    + "'; it must be SCRAM-SHA-512, SCRAM-SHA-256 or PLAIN.");
        }
    }

    /**
     * A trust or key store file.
     *
     * @param type JKS, PKCS12 or PEM; Kafka's default (JKS) when null
     */
    public record Store(String location, String password, String type) {

        @Override
        public String toString() {
            return "Store[location=" + location + ", password=" + (password == null ? "none" : "(hidden)")
                    + ", type=" + type + "]";
        }
    }

    /**
     * Reads and checks the settings.
     *
     * @param settings a setting's value by its name (e.g. {@value #PASSWORD}); null or blank when not set. Spring's
     *                 {@code Environment::getProperty} fits, and finds {@code TALLY_KAFKA_SASL_PASSWORD} for
     *                 {@value #PASSWORD}; {@link #environmentVariable} names the variable for any other source.
     * @throws KafkaSecurityException with one sentence naming the setting that is wrong or missing
     */
    public static KafkaSecurity from(Function<String, String> settings) {
        String protocolValue = value(settings, PROTOCOL);
        Protocol protocol = protocolValue == null ? Protocol.PLAINTEXT : parseProtocol(protocolValue);
        Mechanism mechanism = null;
        String username = value(settings, USERNAME);
        String password = value(settings, PASSWORD);
        if (protocol.usesSasl()) {
            String mechanismValue = value(settings, MECHANISM);
            mechanism = mechanismValue == null ? Mechanism.SCRAM_SHA_512 : Mechanism.parse(mechanismValue);
            require(username, USERNAME, protocol);
            require(password, PASSWORD, protocol);
        } else {
            // A user name without SASL is a forgotten protocol setting: connecting unauthenticated instead would
            // only show up as the broker's refusal, far from its cause.
            for (String setting : new String[] {MECHANISM, USERNAME, PASSWORD}) {
                if (value(settings, setting) != null) {
                    throw new KafkaSecurityException(name(setting) + " is set, but " + name(PROTOCOL) + " is "
                            + protocol + "; set it to SASL_SSL or SASL_PLAINTEXT to use SASL.");
                }
            }
        }
        Store truststore = store(settings, TRUSTSTORE_LOCATION, TRUSTSTORE_PASSWORD, TRUSTSTORE_TYPE, protocol);
        Store keystore = store(settings, KEYSTORE_LOCATION, KEYSTORE_PASSWORD, KEYSTORE_TYPE, protocol);
        return new KafkaSecurity(protocol, mechanism, username, password, truststore, keystore);
    }

    /** Kafka client properties for these settings; empty for PLAINTEXT, so such clients are configured as before. */
    public Map<String, Object> clientProperties() {
        Map<String, Object> properties = new LinkedHashMap<>();
        if (protocol == Protocol.PLAINTEXT) {
            return properties;
        }
        properties.put("security.protocol", protocol.name());
        if (protocol.usesSasl()) {
            properties.put("sasl.mechanism", mechanism.kafkaName());
            properties.put("sasl.jaas.config", mechanism.loginModule + " required username=\"" + quote(username)
                    + "\" password=\"" + quote(password) + "\";");
        }
        putStore(properties, "ssl.truststore", truststore);
        putStore(properties, "ssl.keystore", keystore);
        if (keystore != null && keystore.password() != null && !"PEM".equals(keystore.type())) {
            properties.put("ssl.key.password", keystore.password());
        }
        return properties;
    }

    /**
     * The settings that {@link #from} reads back into these values, by setting name: what a launcher hands to the
     * services it starts.
     */
    public Map<String, String> settings() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put(PROTOCOL, protocol.name());
        if (mechanism != null) {
            settings.put(MECHANISM, mechanism.kafkaName());
            settings.put(USERNAME, username);
            settings.put(PASSWORD, password);
        }
        putSettings(settings, truststore, TRUSTSTORE_LOCATION, TRUSTSTORE_PASSWORD, TRUSTSTORE_TYPE);
        putSettings(settings, keystore, KEYSTORE_LOCATION, KEYSTORE_PASSWORD, KEYSTORE_TYPE);
        return settings;
    }

    private static void putSettings(Map<String, String> settings, Store store, String location, String password,
            String type) {
        if (store == null) {
            return;
        }
        settings.put(location, store.location());
        if (store.password() != null) {
            settings.put(password, store.password());
        }
        if (store.type() != null) {
            settings.put(type, store.type());
        }
    }

    /** {@code properties} with these settings' client properties added (they win over the same keys). */
    public Map<String, Object> addTo(Map<String, ?> properties) {
        Map<String, Object> all = new LinkedHashMap<>(properties);
        all.putAll(clientProperties());
        return all;
    }

    /** The environment variable Spring reads for a setting: {@value #PASSWORD} is TALLY_KAFKA_SASL_PASSWORD. */
    public static String environmentVariable(String setting) {
        return setting.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    @Override
    public String toString() {
        return "KafkaSecurity[protocol=" + protocol
                + ", mechanism=" + (mechanism == null ? "none" : mechanism.kafkaName)
                + ", username=" + username + ", password=" + (password == null ? "none" : "(hidden)")
                + ", truststore=" + truststore + ", keystore=" + keystore + "]";
    }

    private static Protocol parseProtocol(String value) {
        try {
            return Protocol.valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new KafkaSecurityException(name(PROTOCOL) + " is '" + value + "'; it must be one of "
                    + Arrays.toString(Protocol.values()).replaceAll("[\\[\\]]", "") + ".");
        }
    }

    private static Store store(Function<String, String> settings, String locationSetting, String passwordSetting,
            String typeSetting, Protocol protocol) {
        String location = value(settings, locationSetting);
        String password = value(settings, passwordSetting);
        String type = value(settings, typeSetting);
        if (location == null) {
            if (password != null || type != null) {
                throw new KafkaSecurityException(name(password != null ? passwordSetting : typeSetting)
                        + " is set, but " + name(locationSetting) + " is not.");
            }
            return null;
        }
        if (!protocol.usesTls()) {
            throw new KafkaSecurityException(name(locationSetting) + " is set, but " + name(PROTOCOL) + " is "
                    + protocol + "; stores are used with SSL or SASL_SSL only.");
        }
        if (!Files.isReadable(Path.of(location)) || Files.isDirectory(Path.of(location))) {
            throw new KafkaSecurityException(name(locationSetting) + " is '" + location
                    + "', which is not a readable file.");
        }
        if (type != null) {
            type = type.strip().toUpperCase(Locale.ROOT);
            if (!type.equals("JKS") && !type.equals("PKCS12") && !type.equals("PEM")) {
                throw new KafkaSecurityException(name(typeSetting) + " is '" + type + "'; it must be JKS, PKCS12 or "
                        + "PEM.");
            }
        }
        return new Store(location, password, type);
    }

    private static void putStore(Map<String, Object> properties, String prefix, Store store) {
        if (store == null) {
            return;
        }
        properties.put(prefix + ".location", store.location());
        if (store.password() != null) {
            properties.put(prefix + ".password", store.password());
        }
        if (store.type() != null) {
            properties.put(prefix + ".type", store.type());
        }
    }

    private static void require(String value, String setting, Protocol protocol) {
        if (value == null) {
            throw new KafkaSecurityException(name(setting) + " must be set when " + name(PROTOCOL) + " is "
                    + protocol + ".");
        }
    }

    private static String value(Function<String, String> settings, String setting) {
        String value = settings.apply(setting);
        return value == null || value.isBlank() ? null : value;
    }

    /** The setting and its environment variable, as people set one or the other. */
    static String name(String setting) {
        return setting + " (" + environmentVariable(setting) + ")";
    }

    /** JAAS reads a quoted value with Java string escapes, so a password may hold quotes and backslashes. */
    private static String quote(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
