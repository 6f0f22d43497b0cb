package dev.tally.servicekit.kafka;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/** The {@link KafkaConnection} of every service, for the clients it builds by hand. */
@AutoConfiguration
public class KafkaConnectionConfiguration {

    @Bean
    @ConditionalOnMissingBean
    public KafkaConnection kafkaConnection(Environment environment) {
        return KafkaConnection.from(environment::getProperty);
    }
}
