package dev.tally.e2e.bench;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * How far each consumer group is behind: for every group the broker knows, the sum over its partitions of the log end
 * offset minus the group's committed offset (Admin {@code listOffsets} against {@code listConsumerGroupOffsets}).
 * Partitions a group never committed are left out (nothing to compare), and so are dead groups.
 */
final class ConsumerLag implements AutoCloseable {

    private final Admin admin;

    ConsumerLag(String bootstrapServers) {
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000));
    }

    /** Group id → messages behind, sorted by name. */
    Map<String, Long> now() throws InterruptedException {
        Map<String, Long> lags = new TreeMap<>();
        try {
            for (GroupListing group : admin.listGroups(ListGroupsOptions.forConsumerGroups()).all()
                    .get(10, TimeUnit.SECONDS)) {
                if (group.groupState().map(state -> state == GroupState.DEAD).orElse(false)) {
                    continue;
                }
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group.groupId())
                        .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
                Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
                committed.forEach((partition, offset) -> {
                    if (offset != null) {
                        ends.put(partition, OffsetSpec.latest());
                    }
                });
                if (ends.isEmpty()) {
                    continue;
                }
                Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> latest = admin.listOffsets(ends).all()
                        .get(10, TimeUnit.SECONDS);
                long lag = 0;
                for (var entry : latest.entrySet()) {
                    // Transaction markers sit past the last record: a caught-up group may be "behind" by them.
                    lag += Math.max(0, entry.getValue().offset() - committed.get(entry.getKey()).offset());
                }
                lags.put(group.groupId(), lag);
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not read the consumer groups' lag: " + e, e);
        }
        return lags;
    }

    @Override
    public void close() {
        admin.close();
    }

    /** Samples {@link #now} every second on its own thread and keeps each group's highest lag. */
    static final class MaxSampler implements AutoCloseable {

        private final ConsumerLag lag;
        private final Map<String, Long> max = new TreeMap<>();
        private final Thread thread;
        private volatile boolean running = true;
        private volatile String problem;

        MaxSampler(ConsumerLag lag) {
            this.lag = lag;
            this.thread = new Thread(this::run, "consumer-lag-sampler");
            thread.setDaemon(true);
            thread.start();
        }

        private void run() {
            while (running) {
                long started = System.nanoTime();
                try {
                    Map<String, Long> sample = lag.now();
                    synchronized (max) {
                        sample.forEach((group, value) -> max.merge(group, value, Math::max));
                    }
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    problem = e.getMessage();
                }
                long sleep = 1000 - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
                try {
                    Thread.sleep(Math.max(0, sleep));
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        /** Stops sampling; each group's highest lag seen. */
        Map<String, Long> stop() throws InterruptedException {
            running = false;
            thread.interrupt();
            thread.join(15_000);
            if (problem != null) {
                System.out.println("  (a lag sample failed: " + problem + ")");
            }
            synchronized (max) {
                return new TreeMap<>(max);
            }
        }

        @Override
        public void close() throws InterruptedException {
            stop();
        }
    }
}
