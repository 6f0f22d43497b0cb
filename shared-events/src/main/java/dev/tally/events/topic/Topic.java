package dev.tally.events.topic;

/**
 * A Kafka topic with the types of its keys and values.
 *
 * @param retentionMs {@code -1} keeps records forever
 */
public record Topic<K, V>(String name, Class<K> keyType, Class<V> valueType, Cleanup cleanup, long retentionMs) {

    /** Where a consumer sends a record it cannot process, with the reason in the headers. */
    public String deadLetterName() {
        return name + ".DLT";
    }
}
