package dev.tally.servicekit.kafka;

/** A Kafka security setting that is wrong or missing; the message is one sentence naming the setting. */
public class KafkaSecurityException extends IllegalArgumentException {

    public KafkaSecurityException(String message) {
        super(message);
    }
}
