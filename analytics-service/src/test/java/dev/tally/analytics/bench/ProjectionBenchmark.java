package dev.tally.analytics.bench;

import dev.tally.analytics.support.TestEvents;
import dev.tally.events.envelope.Envelope;
import dev.tally.events.governance.AdminKeyState;
import dev.tally.events.governance.AdminRole;
import dev.tally.events.governance.GovernanceMessageTypes;
import dev.tally.events.governance.KeyStatus;
import dev.tally.events.json.TallyJson;
import dev.tally.events.topic.Topics;
import dev.tally.testsupport.PostgresDatabase;
import dev.tally.testsupport.ServiceProcess;
import dev.tally.testsupport.TallyInfrastructure;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * How fast analytics-service projects, and whether it keeps up with real traffic. Starts the test infrastructure (the
 * embedded KRaft broker and PostgreSQL of infra/test-support) and analytics-service from its executable jar as its own
 * process, then:
 * <ol>
 *   <li><b>backlog</b>: publishes {@code bench.ledgerEvents} ledger events and {@code bench.requests} gateway records
 *   ({@link BenchTraffic}: the ledger's and the gateway's own records) before the projections start, starts them with
 *   a rebuild from offset zero, and measures how long they take to drain it: records/s, and the service process's
 *   CPU time per record (beyond what it burns idle);</li>
 *   <li><b>sustained</b>: publishes traffic of {@code bench.rate} gateway requests a second for
 *   {@code bench.sustainSeconds}, and reports the highest lag seen (records not yet committed by the projections'
 *   consumer group, measured from the broker like the service's own lag monitor) and how long after the load stops
 *   the lag is back to zero.</li>
 * </ol>
 * Everything shares this machine's cores: the broker and the load generator in this JVM, PostgreSQL, the service.
 * See docs/benchmarks.md for the command and the results.
 */
public final class ProjectionBenchmark {

    private static final String PLATFORM_KEY = "tadm_bench-platform-admin-" + UUID.randomUUID();
    private static final List<String> TOPICS = List.of(Topics.LEDGER_EVENTS.name(), Topics.GATEWAY_REQUESTS.name());

    public static void main(String[] args) throws Exception {
        int ledgerEvents = Integer.getInteger("bench.ledgerEvents", 100_000);
        int requests = Integer.getInteger("bench.requests", 50_000);
        int rate = Integer.getInteger("bench.rate", 1_000);
        int sustainSeconds = Integer.getInteger("bench.sustainSeconds", 30);
        int orgs = Integer.getInteger("bench.orgs", 40);
        double leaseShare = Double.parseDouble(System.getProperty("bench.leaseShare", "0.3"));
        String jvm = System.getProperty("bench.jvm", "-Xmx512m -XX:+UseSerialGC");
        String group = "analytics-bench-" + UUID.randomUUID();

        TallyInfrastructure infra = TallyInfrastructure.shared();
        infra.createTopics(8, Topics.LEDGER_EVENTS.name());
        infra.createTopics(4, Topics.GATEWAY_REQUESTS.name(), Topics.GOVERNANCE_STATE.name());
        PostgresDatabase database = infra.newDatabase("analytics_bench");
        BenchTraffic traffic = new BenchTraffic(orgs, leaseShare, Instant.now().minus(Duration.ofDays(1)));

        try (KafkaProducer<String, byte[]> producer = producer(infra.kafkaBootstrapServers());
                Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                        infra.kafkaBootstrapServers()))) {
            publishPlatformKey(producer);
            Counts published = new Counts();
            traffic.setUp().forEach(r -> published.send(producer, r));
            while (published.ledger < ledgerEvents) {
                traffic.request(published.requests < requests).forEach(r -> published.send(producer, r));
            }
            producer.flush();
            System.out.printf("backlog published: %,d ledger events, %,d gateway records%n", published.ledger,
                    published.requests);

            List<String> serviceArgs = new ArrayList<>();
            infra.springProperties(database).forEach((k, v) -> serviceArgs.add("--" + k + "=" + v));
            serviceArgs.add("--tally.analytics.consumer-group=" + group);
            // The projections start with the rebuild below, so the measured time holds no start-up.
            serviceArgs.add("--spring.kafka.listener.auto-startup=false");
            serviceArgs.add("--logging.level.root=WARN");
            try (ServiceProcess service = ServiceProcess.start("analytics-bench", jar(), serviceArgs,
                    Map.of("JAVA_TOOL_OPTIONS", jvm), ServiceProcess.freePort())) {
                Lag lag = new Lag(admin, group);
                Cpu cpu = new Cpu(service.pid());
                awaitPlatformKey(service);
                double idleCpuPerSecond = cpu.idlePerSecond(Duration.ofSeconds(5));

                long cpuBefore = cpu.nanos();
                long started = System.nanoTime();
                rebuild(service);
                Map<String, Long> drainedAt = new LinkedHashMap<>();
                while (drainedAt.size() < TOPICS.size()) {
                    Map<String, Long> now = lag.perTopic();
                    long at = System.nanoTime();
                    now.forEach((topic, behind) -> {
                        if (behind == 0) {
                            drainedAt.putIfAbsent(topic, at - started);
                        }
                    });
                    if (Duration.ofNanos(at - started).toMinutes() >= 30) {
                        throw new IllegalStateException("not drained within 30 minutes; lag " + now);
                    }
                    Thread.sleep(100);
                }
                long elapsed = System.nanoTime() - started;
                double cpuMs = (cpu.nanos() - cpuBefore - idleCpuPerSecond * elapsed / 1e9) / 1e6;
                long total = published.ledger + published.requests;
                System.out.printf("backlog: %,d records (%,d ledger events, %,d gateway records) projected in "
                                + "%.1f s = %,.0f records/s; ledger events drained after %.1f s (%,.0f/s), "
                                + "gateway records after %.1f s (%,.0f/s); analytics CPU %.3f ms per record "
                                + "(idle %.0f ms/s subtracted)%n",
                        total, published.ledger, published.requests, elapsed / 1e9, total / (elapsed / 1e9),
                        drainedAt.get(TOPICS.get(0)) / 1e9, published.ledger / (drainedAt.get(TOPICS.get(0)) / 1e9),
                        drainedAt.get(TOPICS.get(1)) / 1e9,
                        published.requests / (drainedAt.get(TOPICS.get(1)) / 1e9), cpuMs / total,
                        idleCpuPerSecond / 1e6);
                verify(database, published);

                if (sustainSeconds > 0) {
                    sustained(traffic, producer, lag, cpu, idleCpuPerSecond, rate, sustainSeconds);
                }
            }
        }
        System.exit(0);
    }

    /** Paced traffic while a second thread samples the lag; then how long until it is gone. */
    private static void sustained(BenchTraffic traffic, KafkaProducer<String, byte[]> producer, Lag lag, Cpu cpu,
            double idleCpuPerSecond, int rate, int seconds) throws Exception {
        AtomicLong maxLag = new AtomicLong();
        AtomicLong lastLag = new AtomicLong();
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        sampler.scheduleWithFixedDelay(() -> {
            long behind = lag.perTopic().values().stream().mapToLong(Long::longValue).sum();
            lastLag.set(behind);
            maxLag.accumulateAndGet(behind, Math::max);
        }, 0, 250, TimeUnit.MILLISECONDS);
        Counts published = new Counts();
        long cpuBefore = cpu.nanos();
        long start = System.nanoTime();
        long intervalNanos = TimeUnit.SECONDS.toNanos(1) / rate;
        long total = (long) rate * seconds;
        for (long i = 0; i < total; i++) {
            long wait = start + i * intervalNanos - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            traffic.request(true).forEach(r -> published.send(producer, r));
        }
        producer.flush();
        long loadEnded = System.nanoTime();
        double offered = total / ((loadEnded - start) / 1e9);
        long drained = -1;
        while (System.nanoTime() - loadEnded < TimeUnit.SECONDS.toNanos(60)) {
            if (lag.perTopic().values().stream().mapToLong(Long::longValue).sum() == 0) {
                drained = System.nanoTime() - loadEnded;
                break;
            }
            Thread.sleep(50);
        }
        long elapsed = System.nanoTime() - start;
        sampler.shutdownNow();
        double cpuMs = (cpu.nanos() - cpuBefore - idleCpuPerSecond * elapsed / 1e9) / 1e6;
        long records = published.ledger + published.requests;
        long left = drained < 0 ? lag.perTopic().values().stream().mapToLong(Long::longValue).sum() : 0;
        System.out.printf("sustained: %,d requests/s offered for %d s (%,d ledger events and %,d gateway records, "
                        + "%,.0f records/s); highest lag %,d records; lag %s after the load stopped; analytics CPU "
                        + "%.3f ms per projected record%n",
                Math.round(offered), seconds, published.ledger, published.requests, records / ((loadEnded - start)
                        / 1e9), maxLag.get(),
                drained < 0 ? "still " + left + " records 60 s" : "0 within " + drained / 1_000_000 + " ms",
                cpuMs / Math.max(1, records - left));
    }

    /** Every published record was projected exactly once: one processed event per ledger event, one row per request. */
    private static void verify(PostgresDatabase database, Counts published) throws Exception {
        try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement()) {
            long events = count(s, "select count(*) from processed_event");
            long rows = count(s, "select count(*) from request");
            if (events != published.ledger || rows != published.requests) {
                throw new IllegalStateException("projected " + events + " ledger events and " + rows
                        + " requests; published " + published.ledger + " and " + published.requests);
            }
        }
    }

    private static long count(Statement s, String sql) throws Exception {
        try (ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    private static KafkaProducer<String, byte[]> producer(String bootstrap) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024), new StringSerializer(), new ByteArraySerializer());
    }

    private static void publishPlatformKey(KafkaProducer<String, byte[]> producer) throws Exception {
        AdminKeyState key = TestEvents.adminKeyState(PLATFORM_KEY, null, AdminRole.PLATFORM_ADMIN, KeyStatus.ACTIVE);
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(Topics.GOVERNANCE_STATE.name(), key.stateKey(),
                TallyJson.write(key));
        new Envelope(UUID.randomUUID().toString(), GovernanceMessageTypes.of(AdminKeyState.class).ceType(),
                "tally/governance", Instant.now(), key.stateKey()).toHeaders().forEach(record.headers()::add);
        producer.send(record).get(30, TimeUnit.SECONDS);
    }

    private static void awaitPlatformKey(ServiceProcess service) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (call(service, "GET", "/me").statusCode() != 200) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the platform key was not accepted within 60 s");
            }
            Thread.sleep(200);
        }
    }

    private static void rebuild(ServiceProcess service) throws Exception {
        HttpResponse<String> response = call(service, "POST", "/admin/rebuild");
        if (response.statusCode() != 202) {
            throw new IllegalStateException("rebuild answered " + response.statusCode() + ": " + response.body());
        }
    }

    private static HttpResponse<String> call(ServiceProcess service, String method, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(service.baseUrl() + path))
                .header("Authorization", "Bearer " + PLATFORM_KEY).method(method, HttpRequest.BodyPublishers.noBody())
                .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** analytics-service's executable jar under analytics-service/target (build it first). */
    private static Path jar() {
        Path here = Path.of("").toAbsolutePath();
        for (Path target : new Path[] {here.resolve("target"), here.resolve("analytics-service/target")}) {
            if (Files.isDirectory(target)) {
                try (Stream<Path> files = Files.list(target)) {
                    List<Path> jars = files.filter(f -> f.getFileName().toString()
                            .matches(Pattern.quote("analytics-service") + "-[0-9][^/]*(?<!-sources|-tests|-plain)\\.jar"))
                            .toList();
                    if (jars.size() == 1) {
                        return jars.get(0);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        throw new IllegalStateException("no analytics-service jar in analytics-service/target: build it first with "
                + "./mvnw -q install -DskipTests");
    }

    /** Records published per topic. */
    private static final class Counts {
        long ledger;
        long requests;

        void send(KafkaProducer<String, byte[]> producer, ProducerRecord<String, byte[]> record) {
            producer.send(record, (metadata, e) -> {
                if (e != null) {
                    System.err.println("publish failed: " + e);
                    System.exit(2);
                }
            });
            if (BenchTraffic.isLedger(record)) {
                ledger++;
            } else {
                requests++;
            }
        }
    }

    /** Records not yet committed by the group, per topic: last stable offsets minus committed offsets. */
    private record Lag(Admin admin, String group) {

        Map<String, Long> perTopic() {
            try {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                        .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
                Map<String, Long> lag = new LinkedHashMap<>();
                for (String topic : TOPICS) {
                    List<TopicPartition> partitions = admin.describeTopics(List.of(topic)).allTopicNames()
                            .get(10, TimeUnit.SECONDS).get(topic).partitions().stream()
                            .map(p -> new TopicPartition(topic, p.partition())).toList();
                    var ends = admin.listOffsets(partitions.stream().collect(Collectors.toMap(Function.identity(),
                                    p -> OffsetSpec.latest())), new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
                            .all().get(10, TimeUnit.SECONDS);
                    long behind = 0;
                    for (TopicPartition p : partitions) {
                        OffsetAndMetadata done = committed.get(p);
                        behind += Math.max(0, ends.get(p).offset() - (done == null ? 0 : done.offset()));
                    }
                    lag.put(topic, behind);
                }
                return lag;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            } catch (Exception e) {
                throw new IllegalStateException("lag not measured", e);
            }
        }
    }

    /** The service process's CPU time (user + system, all threads). */
    private record Cpu(long pid) {

        long nanos() {
            return ProcessHandle.of(pid).flatMap(p -> p.info().totalCpuDuration()).map(Duration::toNanos)
                    .orElseThrow(() -> new IllegalStateException("no CPU time for process " + pid));
        }

        /** What the idle service burns a second (schedulers, the lag monitor, consumers polling nothing). */
        double idlePerSecond(Duration over) throws InterruptedException {
            Thread.sleep(3_000);
            long before = nanos();
            long start = System.nanoTime();
            Thread.sleep(over.toMillis());
            return (nanos() - before) / ((System.nanoTime() - start) / 1e9);
        }
    }

    private ProjectionBenchmark() {
    }
}
