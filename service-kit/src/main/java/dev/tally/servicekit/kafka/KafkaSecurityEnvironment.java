package dev.tally.servicekit.kafka;

import java.util.LinkedHashMap;
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

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        Map<String, Object> clientProperties = KafkaSecurity.from(environment::getProperty).clientProperties();
        if (clientProperties.isEmpty()) {
            return;
        }
        Map<String, Object> springProperties = new LinkedHashMap<>();
        clientProperties.forEach((key, value) -> springProperties.put("spring.kafka.properties." + key, value));
        // Last: a spring.kafka.properties.* entry an operator sets on purpose still wins.
        environment.getPropertySources().addLast(new MapPropertySource(PROPERTY_SOURCE, springProperties));
    }

    /** After the configuration files are read, so settings in application.yml count too. */
    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
