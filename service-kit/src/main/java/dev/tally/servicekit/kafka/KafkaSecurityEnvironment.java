package dev.tally.servicekit.kafka;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Gives every Kafka client Spring Boot builds (producers, consumers, listener containers, the admin that creates
 * topics) the {@code tally.kafka.*} security settings, as {@code spring.kafka.properties.*}, and stops the start with
 * one sentence when a setting is wrong ({@link KafkaSecurityFailureAnalyzer}). Registered in META-INF/spring.factories,
 * so every service has it by depending on service-kit.
 */
public class KafkaSecurityEnvironment implements EnvironmentPostProcessor, Ordered {

    static final String PROPERTY_SOURCE = "tallyKafkaSecurity";

    /**
     * Spring Boot's own ways to secure its clients. They reach only the clients Spring builds, never the hand-built
     * ones (the ledger client, the governance state readers), which would then connect unauthenticated and fail far
     * from the cause; so they count only beside {@value KafkaSecurity#PROTOCOL}, as overrides.
     */
    static final List<String> SPRING_ONLY_SETTINGS = List.of("spring.kafka.security.protocol",
            "spring.kafka.properties.security.protocol", "spring.kafka.properties.sasl.jaas.config",
            "spring.kafka.jaas.enabled");

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        KafkaSecurity security = KafkaSecurity.from(environment::getProperty);
        if (environment.getProperty(KafkaSecurity.PROTOCOL) == null) {
            refuseSpringOnlySettings(environment);
        }
        Map<String, Object> clientProperties = security.clientProperties();
        if (clientProperties.isEmpty()) {
            return;
        }
        Map<String, Object> springProperties = new LinkedHashMap<>();
        clientProperties.forEach((key, value) -> springProperties.put("spring.kafka.properties." + key, value));
        // Last: a spring.kafka.properties.* entry an operator sets on purpose still wins.
        environment.getPropertySources().addLast(new MapPropertySource(PROPERTY_SOURCE, springProperties));
    }

    private static void refuseSpringOnlySettings(ConfigurableEnvironment environment) {
        for (String setting : SPRING_ONLY_SETTINGS) {
            String value = environment.getProperty(setting);
            if (value != null && !value.isBlank() && !value.equalsIgnoreCase("PLAINTEXT")
                    && !value.equalsIgnoreCase("false")) {
                throw new KafkaSecurityException(setting + " (" + KafkaSecurity.environmentVariable(setting)
                        + ") is set, but " + KafkaSecurity.name(KafkaSecurity.PROTOCOL) + " is not; Spring's setting "
                        + "misses the service's own Kafka clients, so use the tally.kafka.* settings instead.");
            }
        }
    }

    /** After the configuration files are read, so settings in application.yml count too. */
    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
