package dev.tally.ledger.audit;

import dev.tally.events.governance.AdminRole;
import dev.tally.ledger.support.AuditCli;
import dev.tally.ledger.support.AuditLedgers;
import dev.tally.ledger.support.GovernanceKeys;
import dev.tally.ledger.support.LedgerServiceTestBase;
import dev.tally.ledger.support.TopicReader;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static dev.tally.ledger.support.Commands.id;
import static dev.tally.ledger.support.Commands.openLedger;
import static dev.tally.ledger.support.Commands.purchase;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code verify --org} and {@code verify --all}: the event store, the projection and {@code tally.ledger.events}
 * agree ledger by ledger; a sweep of 50 ledgers names the one edited, and a topic missing an event or holding a
 * changed one is found.
 */
class AuditSweepIT extends LedgerServiceTestBase {

    @Autowired
    DataSource dataSource;

    private AuditCli.Run audit(String... args) {
        List<String> all = new ArrayList<>(Arrays.asList(args));
        all.addAll(List.of("--ledger-url", "http://localhost:" + port, "--key", GovernanceKeys.PLATFORM_KEY,
                "--bootstrap-servers", INFRA.kafkaBootstrapServers()));
        return AuditCli.run(all.toArray(String[]::new));
    }

    @Test
    void a_sweep_of_fifty_ledgers_agrees_then_names_the_one_whose_stored_event_was_edited() {
        http();
        List<String> ledgers = new ArrayList<>();
        List<CompletableFuture<?>> replies = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            String ledgerId = "org-sweep-" + id();
            ledgers.add(ledgerId);
            replies.add(ledger.send(openLedger(ledgerId)).thenCompose(r -> ledger.send(purchase(ledgerId, 100))));
        }
        replies.forEach(CompletableFuture::join);

        // The publisher and the projection follow the store: the sweep agrees once they have caught up.
        AuditCli.Run clean = await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(2))
                .until(() -> audit("verify", "--all", "--publication-grace", "0"), run -> run.status() == 0);
        // The class's other test may have added its ledger to this database: 50 or 51 ledgers in all.
        int swept = clean.out().contains("SUMMARY 51 ") ? 51 : 50;
        assertThat(clean.out()).contains("SUMMARY " + swept + " ledger(s) checked, " + swept + " agree, 0 differ");
        assertThat(clean.err()).contains(swept + "/" + swept + " ledgers checked");

        String edited = ledgers.get(17);
        new JdbcTemplate(dataSource).update("""
                UPDATE domain_event_entry
                SET payload = convert_to(replace(convert_from(payload, 'UTF8'), '"credits":100', '"credits":900'),
                                         'UTF8')
                WHERE aggregate_identifier = ? AND sequence_number = 1""", edited);
        AuditCli.Run dirty = audit("verify", "--all");

        assertThat(dirty.status()).isEqualTo(1);
        assertThat(dirty.out()).contains("FAIL ledger " + edited + ": event store: event sequence 1 was altered")
                .contains("FAIL ledger " + edited + ": topic: event sequence 1 differs from the event store")
                .contains("SUMMARY " + swept + " ledger(s) checked, " + (swept - 1) + " agree, 1 differ: " + edited);
    }

    @Test
    void a_topic_missing_an_event_or_holding_a_changed_one_is_found_and_named() {
        String ledgerId = AuditLedgers.varied(ledger);
        List<ConsumerRecord<String, byte[]>> published;
        try (TopicReader topic = new TopicReader(INFRA.kafkaBootstrapServers(), "tally.ledger.events",
                record -> ledgerId.equals(record.key()))) {
            published = await().atMost(Duration.ofSeconds(60)).until(topic::poll, records -> records.size() >= 15);
        }
        await().atMost(Duration.ofSeconds(60))
                .until(() -> audit("verify", "--org", ledgerId, "--publication-grace", "0").status() == 0);

        // A copy of the ledger's part of the topic without its fourth event and with its sixth changed.
        String copy = "audit-copy-" + id();
        INFRA.createTopics(1, copy);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, INFRA.kafkaBootstrapServers()),
                new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < published.size(); i++) {
                if (i == 3) {
                    continue;
                }
                ConsumerRecord<String, byte[]> record = published.get(i);
                byte[] value = i == 5 ? (new String(record.value(), StandardCharsets.UTF_8) + " ")
                        .getBytes(StandardCharsets.UTF_8) : record.value();
                producer.send(new ProducerRecord<>(copy, null, record.key(), value, record.headers())).get();
            }
        } catch (Exception e) {
            throw new AssertionError(e);
        }

        AuditCli.Run run = audit("verify", "--org", ledgerId, "--topic", copy, "--publication-grace", "0");

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.out()).contains("topic: event sequence " + TopicReader.header(published.get(3),
                "ce_tallysequence") + " (ce_id " + TopicReader.header(published.get(3), "ce_id") + ") is missing");
        assertThat(run.out()).contains("topic: event sequence " + TopicReader.header(published.get(5),
                "ce_tallysequence") + " differs from the event store in its content");
        assertThat(run.out()).contains("SUMMARY 1 ledger(s) checked, 0 agree, 1 differ: " + ledgerId);
    }

    @Test
    void listing_every_ledger_is_for_platform_admins_only_and_the_sweep_says_so() {
        String orgAdmin = GovernanceKeys.newKey(INFRA, "org-" + id(), AdminRole.ORG_ADMIN);
        http(orgAdmin);

        var refused = http(orgAdmin).get().uri("/ledgers").exchange().expectBody(String.class).returnResult();
        AuditCli.Run sweep = AuditCli.run("verify", "--all", "--skip-topic", "--ledger-url", "http://localhost:" + port,
                "--key", orgAdmin);
        var badLimit = http().get().uri("/ledgers?limit=0").exchange().expectBody(String.class).returnResult();

        assertThat(refused.getStatus().value()).isEqualTo(403);
        assertThat(sweep.status()).isEqualTo(1);
        assertThat(sweep.err()).contains("GET /ledgers").contains("403").contains("platform admin");
        assertThat(badLimit.getStatus().value()).isEqualTo(400);
        assertThat(badLimit.getResponseBody()).contains("\"field\":\"limit\"");
    }
}
