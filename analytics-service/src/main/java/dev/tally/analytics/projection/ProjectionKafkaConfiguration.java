package dev.tally.analytics.projection;

import dev.tally.events.envelope.InvalidEnvelopeException;
import dev.tally.events.topic.Topics;
import dev.tally.servicekit.kafka.ConsumerErrorHandlers;
import dev.tally.servicekit.kafka.DatabaseRetry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.TopicPartition;
import org.springframework.boot.kafka.autoconfigure.ConcurrentKafkaListenerContainerFactoryConfigurer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.CommonErrorHandler;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.util.backoff.FixedBackOff;

import java.util.Properties;

@Configuration(proxyBeanMethods = false)
public class ProjectionKafkaConfiguration {

    public static final String BATCH_FACTORY = "projectionBatchListenerContainerFactory";
    /**
     * At most this many records per poll, projected in one transaction: large enough that a backlog drains in few
     * transactions, small enough that a poll's statements stay a few hundred kilobytes and well inside the write
     * timeout and max.poll.interval.ms.
     */
    public static final int MAX_POLL_RECORDS = 500;
    /**
     * A fetch waits for this much data, or {@link #FETCH_MAX_WAIT_MS}: the projections are read minutes to days later,
     * and a poll of a few records made a transaction, a commit and a WAL flush for each (the whole-product benchmark
     * counted 0.1–0.4 analytics commits per gateway request); a quarter of a second more lag makes it a few a second.
     */
    static final int FETCH_MIN_BYTES = 256 * 1024;
    static final int FETCH_MAX_WAIT_MS = 250;

    /** Spring Boot's listener settings (auto-startup, error handler, ...) with batch listening. */
    @Bean(BATCH_FACTORY)
    ConcurrentKafkaListenerContainerFactory<Object, Object> projectionBatchListenerContainerFactory(
            ConcurrentKafkaListenerContainerFactoryConfigurer configurer, ConsumerFactory<Object, Object> consumers,
            CommonErrorHandler projectionErrorHandler) {
        ConcurrentKafkaListenerContainerFactory<Object, Object> factory = new ConcurrentKafkaListenerContainerFactory<>();
        configurer.configure(factory, consumers);
        factory.setBatchListener(true);
        factory.setCommonErrorHandler(projectionErrorHandler);
        Properties consumer = new Properties();
        consumer.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, String.valueOf(MAX_POLL_RECORDS));
        consumer.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, String.valueOf(FETCH_MIN_BYTES));
        consumer.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, String.valueOf(FETCH_MAX_WAIT_MS));
        factory.getContainerProperties().setKafkaConsumerProperties(consumer);
        return factory;
    }

    /**
     * A record that cannot be read goes to {@code <topic>.DLT} at once; while the database cannot be reached a record
     * is retried with back-off for minutes ({@link DatabaseRetry}), so a database restart dead-letters nothing; any
     * other failure is retried briefly first. Either way the projection carries on with the next record and nothing is
     * dropped silently. The batch listeners
     * name the failing record with a BatchListenerFailedException ({@link PollProjection}), so this handles one
     * record of a poll exactly as it handled a record on its own.
     */
    @Bean
    CommonErrorHandler projectionErrorHandler(KafkaTemplate<String, byte[]> kafka, Environment environment) {
        // A negative partition lets Kafka choose, so the DLT need not have as many partitions as its source.
        DeadLetterPublishingRecoverer deadLetters = new DeadLetterPublishingRecoverer(kafka,
                (record, failure) -> new TopicPartition(record.topic() + ".DLT", -1));
        return ConsumerErrorHandlers.deadLettering(deadLetters, DatabaseRetry.from(environment),
                new FixedBackOff(500, 3), InvalidEnvelopeException.class);
    }

    @Bean
    KafkaAdmin.NewTopics projectionDeadLetterTopics() {
        return new KafkaAdmin.NewTopics(
                TopicBuilder.name(Topics.LEDGER_EVENTS.deadLetterName()).partitions(1).build(),
                TopicBuilder.name(Topics.GATEWAY_REQUESTS.deadLetterName()).partitions(1).build());
    }
}
