package dev.tally.localstack.dlt;

import dev.tally.testsupport.ScramKafka;
import dev.tally.testsupport.TallyInfrastructure;
import dev.tally.testsupport.TopicContents;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The command docs/operations.md gives for feeding a dead-letter topic back, run as a user runs it: ./tally dlt. */
class DeadLetterReplayIT {

    private static final TallyInfrastructure INFRA = TallyInfrastructure.shared();
    private static final Path ROOT = Path.of(System.getProperty("tally.project.root", "../..")).toAbsolutePath();

    private final String source = "it.replay-" + UUID.randomUUID();
    private final String deadLetters = source + ".DLT";

    @Test
    void tally_dlt_replay_feeds_each_dead_letter_back_once_with_its_key_value_and_envelope() throws Exception {
        INFRA.createTopics(4, source);
        INFRA.createTopics(1, deadLetters);
        deadLetter("org-a", "{\"n\":1}", "id-1");
        deadLetter("org-b", "{\"n\":2}", "id-2");
        deadLetter("org-a", "{\"n\":3}", "id-3");

        Run first = tally("dlt", "replay", deadLetters);
        assertThat(first.exitCode()).as(first.output()).isZero();
        assertThat(first.output()).contains(deadLetters + ": fed back 3 record(s) {" + source + "=3}");

        List<ConsumerRecord<String, byte[]>> fedBack = TopicContents.all(INFRA.kafkaBootstrapServers(), source);
        assertThat(fedBack).extracting(r -> r.key() + "=" + new String(r.value(), StandardCharsets.UTF_8)
                + " " + header(r, "ce_id")).containsExactlyInAnyOrder(
                "org-a={\"n\":1} id-1", "org-b={\"n\":2} id-2", "org-a={\"n\":3} id-3");
        assertThat(fedBack).allSatisfy(r -> {
            assertThat(r.headers()).extracting(Header::key).noneMatch(key -> key.startsWith("kafka_dlt-"));
            assertThat(header(r, "ce_type")).isEqualTo("tally.test.Thing.v1");
            assertThat(header(r, DeadLetterReplay.REPLAYED_FROM)).startsWith(deadLetters + "/0@");
        });
        // One organisation's records stay in one partition, in their order.
        assertThat(fedBack.stream().filter(r -> r.key().equals("org-a")).map(r -> header(r, "ce_id")))
                .containsExactly("id-1", "id-3");

        Run again = tally("dlt", "replay", deadLetters);
        assertThat(again.output()).contains(deadLetters + ": fed back 0 record(s)");
        assertThat(TopicContents.all(INFRA.kafkaBootstrapServers(), source)).hasSize(3);

        deadLetter("org-c", "{\"n\":4}", "id-4");
        Run list = tally("dlt", "list");
        assertThat(list.output()).containsPattern(java.util.regex.Pattern.quote(deadLetters) + "\\s+4\\s+1\\b");
        DeadLetterReplay.Replayed later = new DeadLetterReplay(INFRA.kafkaBootstrapServers()).replay(deadLetters);
        assertThat(later.byTopic()).isEqualTo(Map.of(source, 1L));
        assertThat(TopicContents.withKey(INFRA.kafkaBootstrapServers(), source, "org-c")).hasSize(1);
    }

    @Test
    void a_topic_that_is_not_a_dead_letter_topic_is_refused_with_the_reason() throws Exception {
        Run run = tally("dlt", "replay", "tally.alerts.dead-letter");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.output()).contains("is not a dead-letter topic");
    }

    @Test
    void tally_dlt_logs_in_with_the_services_tally_kafka_settings_and_a_wrong_password_is_refused_with_the_reason()
            throws Exception {
        try (ScramKafka broker = ScramKafka.start("tally", "dlt-secret")) {
            try (Admin admin = Admin.create(broker.clientProperties())) {
                admin.createTopics(List.of(new NewTopic(deadLetters, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            }
            Map<String, String> login = Map.of("TALLY_KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT",
                    "TALLY_KAFKA_SASL_USERNAME", "tally", "TALLY_KAFKA_SASL_PASSWORD", "dlt-secret");

            Run list = tally(broker.bootstrapServers(), login, "dlt", "list");
            assertThat(list.exitCode()).as(list.output()).isZero();
            assertThat(list.output()).containsPattern(java.util.regex.Pattern.quote(deadLetters) + "\\s+0\\s+0\\b");

            Map<String, String> wrong = new java.util.HashMap<>(login);
            wrong.put("TALLY_KAFKA_SASL_PASSWORD", "not-it");
            Run refused = tally(broker.bootstrapServers(), wrong, "dlt", "list");
            assertThat(refused.exitCode()).as(refused.output()).isEqualTo(1);
            assertThat(refused.output()).contains("Authentication failed").doesNotContain("not-it");
        }
    }

    private void deadLetter(String key, String value, String eventId) throws Exception {
        ProducerRecord<String, String> record = new ProducerRecord<>(deadLetters, key, value);
        // As spring-kafka's DeadLetterPublishingRecoverer writes it: the source's headers, then its own.
        Map.of("ce_id", eventId, "ce_type", "tally.test.Thing.v1",
                "kafka_dlt-original-topic", source, "kafka_dlt-original-partition", "2",
                "kafka_dlt-exception-message", "the database was away too long")
                .forEach((name, v) -> record.headers().add(name, v.getBytes(StandardCharsets.UTF_8)));
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, INFRA.kafkaBootstrapServers()),
                new StringSerializer(), new StringSerializer())) {
            producer.send(record).get(30, TimeUnit.SECONDS);
        }
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private record Run(int exitCode, String output) {
    }

    private static Run tally(String... args) throws IOException, InterruptedException {
        return tally(INFRA.kafkaBootstrapServers(), Map.of(), args);
    }

    private static Run tally(String bootstrapServers, Map<String, String> environment, String... args)
            throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of(ROOT.resolve("tally").toString()));
        command.addAll(List.of(args));
        command.addAll(List.of("--bootstrap-servers", bootstrapServers));
        ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
        return new Run(process.exitValue(), output);
    }
}
