package dev.tally.analytics.projection;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.listener.BatchListenerFailedException;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Projects one poll of a topic: reads every record, writes them all in one transaction, and keeps the error handling
 * of a record-at-a-time consumer. When a record cannot be read, or a write fails and the same record then fails on its
 * own, it throws {@link BatchListenerFailedException} naming that record after the records before it are written:
 * the error handler commits those, retries or dead-letters that one record as before
 * ({@link ProjectionKafkaConfiguration}), and the rest of the poll is delivered again. A failing poll is written again
 * record by record, each in its own transaction, so one bad record cannot hold back or lose the others.
 */
final class PollProjection<T> {

    private static final Logger log = LoggerFactory.getLogger(PollProjection.class);
    private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(30);

    private final String topic;
    private final Function<ConsumerRecord<String, byte[]>, T> read;
    private final Function<List<T>, Mono<?>> write;

    /**
     * @param read  turns a record into what {@code write} takes; throws when the record cannot be read
     * @param write writes a list in one transaction
     */
    PollProjection(String topic, Function<ConsumerRecord<String, byte[]>, T> read, Function<List<T>, Mono<?>> write) {
        this.topic = topic;
        this.read = read;
        this.write = write;
    }

    void project(List<ConsumerRecord<String, byte[]>> records) {
        List<T> readable = new ArrayList<>(records.size());
        for (ConsumerRecord<String, byte[]> record : records) {
            T value;
            try {
                value = read.apply(record);
            } catch (RuntimeException e) {
                writeAll(readable);
                throw failed(e, readable.size());
            }
            readable.add(value);
        }
        writeAll(readable);
    }

    /** All in one transaction, or, when that fails, one at a time up to the first that fails alone. */
    private void writeAll(List<T> values) {
        if (values.isEmpty()) {
            return;
        }
        try {
            write.apply(values).block(WRITE_TIMEOUT);
            return;
        } catch (RuntimeException e) {
            if (values.size() == 1) {
                throw failed(e, 0);
            }
            log.warn("a poll of {} records of {} could not be projected in one transaction ({}); projecting them one "
                    + "at a time", values.size(), topic, e.toString());
        }
        for (int i = 0; i < values.size(); i++) {
            try {
                write.apply(List.of(values.get(i))).block(WRITE_TIMEOUT);
            } catch (RuntimeException e) {
                throw failed(e, i);
            }
        }
    }

    private static BatchListenerFailedException failed(RuntimeException cause, int index) {
        // The cause's message first: it is what the dead-letter headers and the logs show of the failure.
        return new BatchListenerFailedException(String.valueOf(cause.getMessage()), cause, index);
    }
}
