package dev.tally.gateway.budget;

import dev.tally.events.envelope.CloudEventHeaders;
import dev.tally.events.json.TallyJson;
import dev.tally.events.ledger.BudgetPeriod;
import dev.tally.events.ledger.BudgetThresholdCrossedEvent;
import dev.tally.events.ledger.CreditReservationRejectedEvent;
import dev.tally.gateway.lease.CreditLeases;
import dev.tally.events.ledger.LedgerMessageTypes;
import dev.tally.events.topic.Topics;
import dev.tally.servicekit.kafka.KafkaConnection;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which budgets have passed their warning threshold in their current window, learned from the ledger's
 * BudgetThresholdCrossed events, so the gateway can switch to a cheaper model before the budget refuses. The same
 * feed tells this replica when another one's request was refused for want of credit (CreditReservationRejected), so
 * that its leases give back what they hold of that credit ({@link CreditLeases#reclaimAfterRefusal}). Other events
 * are skipped by their type header without reading the value. A crossing counts only in its budget's current window,
 * so the feed's thread forgets the others once a minute: memory holds this window's warnings, not the feed's history.
 */
@Component
public class BudgetWarnings implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(BudgetWarnings.class);
    private static final byte[] CROSSED = LedgerMessageTypes.of(BudgetThresholdCrossedEvent.class).ceType()
            .getBytes(StandardCharsets.UTF_8);
    private static final byte[] REFUSED = LedgerMessageTypes.of(CreditReservationRejectedEvent.class).ceType()
            .getBytes(StandardCharsets.UTF_8);
    /** Refusals older than this when read (the feed starts from the beginning) are history, not a call to act. */
    private static final Duration RECENT = Duration.ofSeconds(10);
    private static final Duration SWEEP_EVERY = Duration.ofMinutes(1);

    private record Crossing(BudgetPeriod period, LocalDate windowStart, int percent) {
    }

    private final Map<String, Crossing> highest = new ConcurrentHashMap<>();
    private final String bootstrapServers;
    private final Map<String, Object> securityProperties;
    private final int warningPercent;
    /** Null in tests of the warnings alone. */
    private final CreditLeases leases;
    private volatile boolean running;
    private KafkaConsumer<String, byte[]> consumer;
    private Thread thread;

    @org.springframework.beans.factory.annotation.Autowired
    public BudgetWarnings(KafkaConnection kafka,
            @Value("${tally.gateway.budget-warning-percent:80}") int warningPercent, CreditLeases leases) {
        this(kafka.bootstrapServers(), kafka.securityProperties(), warningPercent, leases);
    }

    BudgetWarnings(String bootstrapServers, int warningPercent) {
        this(bootstrapServers, Map.of(), warningPercent, null);
    }

    private BudgetWarnings(String bootstrapServers, Map<String, Object> securityProperties, int warningPercent,
            CreditLeases leases) {
        this.bootstrapServers = bootstrapServers;
        this.securityProperties = securityProperties;
        this.warningPercent = warningPercent;
        this.leases = leases;
    }

    /** Whether the budget has crossed the warning threshold (80 % by default) in the window that is current now. */
    public boolean warned(String budgetId, LocalDate today) {
        Crossing crossing = highest.get(budgetId);
        return crossing != null && crossing.percent() >= warningPercent
                && crossing.windowStart().equals(crossing.period().windowStart(today));
    }

    void apply(BudgetThresholdCrossedEvent event) {
        highest.merge(event.budgetId(), new Crossing(event.period(), event.windowStart(), event.thresholdPercent()),
                (old, now) -> now.windowStart().isAfter(old.windowStart())
                        || (now.windowStart().equals(old.windowStart()) && now.percent() > old.percent()) ? now : old);
    }

    /** Forgets every crossing whose window is not the current one on {@code today}: it can never warn again. */
    void forgetPastWindows(LocalDate today) {
        highest.values().removeIf(crossing -> !crossing.windowStart().equals(crossing.period().windowStart(today)));
    }

    /** How many crossings are held: for the bound's test. */
    int crossings() {
        return highest.size();
    }

    @Override
    public void start() {
        Map<String, Object> properties = new HashMap<>(securityProperties);
        properties.putAll(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                // Every request adds a ledger event and a warning may come a quarter second late: fetch in batches,
                // not one broker round trip per event.
                ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 64 * 1024,
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 250));
        consumer = new KafkaConsumer<>(properties, new StringDeserializer(), new ByteArrayDeserializer());
        running = true;
        thread = new Thread(this::run, "budget-warnings");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        try {
            List<TopicPartition> partitions = List.of();
            while (running && partitions.isEmpty()) {
                var infos = consumer.partitionsFor(Topics.LEDGER_EVENTS.name(), Duration.ofSeconds(5));
                partitions = infos == null ? List.of()
                        : infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long lastSweep = System.nanoTime();
            while (running) {
                if (System.nanoTime() - lastSweep > SWEEP_EVERY.toNanos()) {
                    forgetPastWindows(todayUtc());
                    lastSweep = System.nanoTime();
                }
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    Header type = record.headers().lastHeader(CloudEventHeaders.TYPE);
                    if (type != null && leases != null && Arrays.equals(type.value(), REFUSED)) {
                        reclaim(record);
                    } else if (type != null
                            && Arrays.equals(type.value(), CROSSED)) {
                        try {
                            apply(TallyJson.read(record.value(), BudgetThresholdCrossedEvent.class));
                        } catch (RuntimeException e) {
                            log.warn("skipping unreadable threshold event at offset {}: {}", record.offset(),
                                    e.getMessage());
                        }
                    }
                }
            }
        } catch (WakeupException e) {
            // stopping
        } finally {
            consumer.close();
        }
    }

    private void reclaim(ConsumerRecord<String, byte[]> record) {
        if (record.timestamp() < System.currentTimeMillis() - RECENT.toMillis()) {
            return;
        }
        try {
            leases.reclaimAfterRefusal(TallyJson.read(record.value(), CreditReservationRejectedEvent.class));
        } catch (RuntimeException e) {
            log.warn("skipping unreadable refusal event at offset {}: {}", record.offset(), e.getMessage());
        }
    }

    @Override
    public void stop() {
        running = false;
        if (consumer != null) {
            consumer.wakeup();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    static LocalDate todayUtc() {
        return LocalDate.now(ZoneOffset.UTC);
    }
}
