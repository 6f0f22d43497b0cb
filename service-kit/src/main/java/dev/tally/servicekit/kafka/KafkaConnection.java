package dev.tally.servicekit.kafka;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Where the brokers are and how to reach them, for the Kafka clients a service builds by hand (Spring's own clients
 * get the same settings through {@link KafkaSecurityEnvironment}).
 *
 * @param bootstrapServers {@code spring.kafka.bootstrap-servers}
 */
public record KafkaConnection(String bootstrapServers, KafkaSecurity security) {

    static final String BOOTSTRAP_SERVERS = "spring.kafka.bootstrap-servers";

    public static KafkaConnection from(Function<String, String> settings) {
        String servers = settings.apply(BOOTSTRAP_SERVERS);
        return new KafkaConnection(servers == null || servers.isBlank() ? "localhost:9092" : servers,
                KafkaSecurity.from(settings));
    }

    /** The properties every client needs to connect: the bootstrap servers and the security settings. */
    public Map<String, Object> clientProperties() {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("bootstrap.servers", bootstrapServers);
        properties.putAll(security.clientProperties());
        return properties;
    }

    /** The security properties only, for clients that take the bootstrap servers on their own. */
    public Map<String, Object> securityProperties() {
        return security.clientProperties();
    }
}
