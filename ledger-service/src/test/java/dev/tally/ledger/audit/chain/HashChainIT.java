package dev.tally.ledger.audit.chain;

import dev.tally.events.json.TallyJson;
import dev.tally.ledger.support.AuditCli;
import dev.tally.ledger.support.AuditLedgers;
import dev.tally.ledger.support.GovernanceKeys;
import dev.tally.ledger.support.LedgerServiceTestBase;
import dev.tally.ledger.support.TopicReader;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

import javax.sql.DataSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every ledger event carries its link in the ledger's hash chain: in the event store as it is appended, on
 * {@code tally.ledger.events} as CloudEvents extensions, and through {@code /events}; an edited or deleted row is
 * found by {@code verify --org} and named; the V4 migration computes the very chain the service appends.
 */
class HashChainIT extends LedgerServiceTestBase {

    @Autowired
    DataSource dataSource;
    @Autowired
    ChainLinks chainLinks;
    @TempDir
    Path dir;

    private List<JsonNode> storedEvents(String ledgerId) {
        String body = http().get().uri("/ledgers/" + ledgerId + "/events").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        return Arrays.stream(body.split("\n")).filter(line -> !line.isBlank())
                .map(line -> TallyJson.mapper().readTree(line)).toList();
    }

    private AuditCli.Run audit(String... args) {
        List<String> all = new java.util.ArrayList<>(Arrays.asList(args));
        all.addAll(List.of("--ledger-url", "http://localhost:" + port, "--key", GovernanceKeys.PLATFORM_KEY));
        if (args[0].equals("verify")) {
            all.addAll(List.of("--bootstrap-servers", INFRA.kafkaBootstrapServers()));
        }
        return AuditCli.run(all.toArray(String[]::new));
    }

    private long sequenceOf(String ledgerId, String type) {
        return new JdbcTemplate(dataSource).queryForObject("SELECT min(sequence_number) FROM domain_event_entry"
                + " WHERE aggregate_identifier = ? AND payload_type = ?", Long.class, ledgerId, type);
    }

    @Test
    void each_event_is_stored_published_and_served_with_its_hash_and_the_export_agrees() {
        String ledgerId = AuditLedgers.varied(ledger);
        List<JsonNode> stored = storedEvents(ledgerId);
        assertThat(stored).allSatisfy(event -> assertThat(EventHash.isHash(event.path("hash").asString())).isTrue());
        assertThat(stored.stream().map(e -> e.path("hash").asString()).distinct()).hasSameSizeAs(stored);

        Map<String, JsonNode> byId = stored.stream()
                .collect(Collectors.toMap(e -> e.path("event_id").asString(), Function.identity()));
        try (TopicReader topic = new TopicReader(INFRA.kafkaBootstrapServers(), "tally.ledger.events",
                record -> ledgerId.equals(record.key()))) {
            List<ConsumerRecord<String, byte[]>> published = await().atMost(Duration.ofSeconds(60))
                    .until(topic::poll, records -> records.size() >= stored.size());
            for (ConsumerRecord<String, byte[]> record : published) {
                JsonNode event = byId.get(TopicReader.header(record, "ce_id"));
                assertThat(TopicReader.header(record, ChainHeaders.HASH_HEADER))
                        .isEqualTo(event.path("hash").asString());
                assertThat(TopicReader.header(record, ChainHeaders.SEQUENCE_HEADER))
                        .isEqualTo(event.path("sequence").asString());
            }
        }

        // The export recomputes every hash from the served JSON and refuses any that differs from the stored one.
        AuditCli.Run exported = audit("export", "--org", ledgerId, "--out", dir.resolve("l.ndjson").toString());
        assertThat(exported.status()).as(exported.err()).isZero();
        AuditCli.Run verified = audit("verify", "--org", ledgerId);
        assertThat(verified.status()).as(verified.out()).isZero();
    }

    @Test
    void a_row_edited_in_the_event_store_is_named_by_verify_org_and_refused_by_export() {
        String ledgerId = AuditLedgers.varied(ledger);
        long purchase = sequenceOf(ledgerId, "tally.ledger.CreditsPurchased");
        int edited = new JdbcTemplate(dataSource).update("""
                UPDATE domain_event_entry
                SET payload = convert_to(replace(convert_from(payload, 'UTF8'), '"credits":1000', '"credits":9000'),
                                         'UTF8')
                WHERE aggregate_identifier = ? AND sequence_number = ?""", ledgerId, purchase);
        assertThat(edited).isOne();

        AuditCli.Run verified = audit("verify", "--org", ledgerId);
        AuditCli.Run exported = audit("export", "--org", ledgerId, "--out", dir.resolve("e.ndjson").toString());

        assertThat(verified.status()).isEqualTo(1);
        assertThat(verified.out()).contains("event sequence " + purchase + " was altered");
        assertThat(exported.status()).isEqualTo(1);
        assertThat(exported.err()).contains("event sequence " + purchase + " of ledger " + ledgerId);
    }

    @Test
    void a_row_deleted_from_the_event_store_is_named_as_missing() {
        String ledgerId = AuditLedgers.varied(ledger);
        long transfer = sequenceOf(ledgerId, "tally.ledger.CreditsTransferred");
        new JdbcTemplate(dataSource).update("DELETE FROM domain_event_entry WHERE aggregate_identifier = ?"
                + " AND sequence_number = ?", ledgerId, transfer);

        AuditCli.Run verified = audit("verify", "--org", ledgerId);

        assertThat(verified.status()).isEqualTo(1);
        assertThat(verified.out()).contains("event sequence " + transfer + " is missing");
    }

    @Test
    void the_migration_gives_events_stored_before_the_chain_the_hashes_the_service_appends() throws IOException {
        String ledgerId = AuditLedgers.varied(ledger);
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        List<String> appended = storedEvents(ledgerId).stream().map(e -> e.path("hash").asString()).toList();
        jdbc.update("""
                UPDATE domain_event_entry
                SET meta_data = convert_to((convert_from(meta_data, 'UTF8')::jsonb - 'tallyhash')::text, 'UTF8')
                WHERE aggregate_identifier = ?""", ledgerId);
        assertThat(storedEvents(ledgerId)).allSatisfy(e -> assertThat(e.path("hash").isNull()).isTrue());

        jdbc.execute(new ClassPathResource("db/ledger/V4__event_hash_chain.sql")
                .getContentAsString(StandardCharsets.UTF_8));

        assertThat(storedEvents(ledgerId).stream().map(e -> e.path("hash").asString()).toList())
                .isEqualTo(appended);
    }

    @Test
    void events_an_older_ledger_service_appended_without_hashes_are_chained_by_the_next_append() {
        String ledgerId = AuditLedgers.varied(ledger);
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        List<String> appended = storedEvents(ledgerId).stream().map(e -> e.path("hash").asString()).toList();
        // As if the last three events had been appended by a replica from before the chain, during a rolling upgrade.
        jdbc.update("""
                UPDATE domain_event_entry
                SET meta_data = convert_to((convert_from(meta_data, 'UTF8')::jsonb - 'tallyhash')::text, 'UTF8')
                WHERE aggregate_identifier = ? AND sequence_number >= ?""", ledgerId, appended.size() - 3);
        chainLinks.forget(ledgerId);

        AuditLedgers.accepted(ledger, dev.tally.ledger.support.Commands.purchase(ledgerId, 5));

        List<String> now = storedEvents(ledgerId).stream().map(e -> e.path("hash").asString()).toList();
        assertThat(now.subList(0, appended.size())).isEqualTo(appended);
        assertThat(now).hasSize(appended.size() + 1);
        await().atMost(Duration.ofSeconds(60))
                .until(() -> audit("verify", "--org", ledgerId, "--skip-topic").status() == 0);
    }
}
