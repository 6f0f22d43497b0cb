package dev.tally.helm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import dev.tally.events.topic.Cleanup;
import dev.tally.events.topic.Topic;
import dev.tally.events.topic.Topics;
import io.fabric8.kubernetes.api.model.ConfigMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The topics the chart creates are the registry's, with its cleanup and retention, and the partitions it is told. */
class ChartTopicsTest {

    private static final Pattern LISTENED = Pattern.compile("@KafkaListener\\([^)]*topics = \"([^\"]+)\"");

    record TopicSpec(int partitions, Map<String, String> config) {
    }

    @ParameterizedTest
    @EnumSource(value = ValueSet.class, names = {"DEFAULT", "PRODUCTION", "STRIMZI"})
    void every_registry_topic_is_created_with_its_cleanup_and_retention(ValueSet values) {
        Map<String, TopicSpec> topics = topics(HelmChart.render(values));

        for (Topic<?, ?> topic : Topics.all()) {
            TopicSpec spec = topics.get(topic.name());
            assertThat(spec).as(topic.name()).isNotNull();
            if (topic.cleanup() == Cleanup.COMPACT) {
                assertThat(spec.config()).as(topic.name()).containsEntry("cleanup.policy", "compact")
                        .doesNotContainKey("retention.ms");
            } else {
                assertThat(spec.config()).as(topic.name()).containsEntry("cleanup.policy", "delete")
                        .containsEntry("retention.ms", Long.toString(topic.retentionMs()));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = ValueSet.class, names = {"DEFAULT", "PRODUCTION", "STRIMZI"})
    void the_ledger_topics_have_the_partitions_the_ledger_is_told_and_its_dead_letters_as_many(ValueSet values) {
        Rendered rendered = HelmChart.render(values);
        Map<String, TopicSpec> topics = topics(rendered);
        int partitions = Integer.parseInt(rendered.get(ConfigMap.class, Rendered.resourceName("ledger")).getData()
                .get("TALLY_LEDGER_PARTITIONS"));

        for (Topic<?, ?> topic : Set.of(Topics.LEDGER_COMMANDS, Topics.LEDGER_REPLIES, Topics.LEDGER_EVENTS)) {
            assertThat(topics.get(topic.name()).partitions()).as(topic.name()).isEqualTo(partitions);
        }
        // The ledger's dead-letter publisher keeps the source partition.
        assertThat(topics.get(Topics.LEDGER_COMMANDS.deadLetterName()).partitions()).isEqualTo(partitions);
        assertThat(rendered.container("ledger").getName()).isEqualTo("ledger-service");
    }

    @Test
    void every_topic_a_service_listens_to_has_its_dead_letter_topic() throws IOException {
        Map<String, TopicSpec> topics = topics(HelmChart.render(ValueSet.DEFAULT));

        Set<String> listened = listenedTopics();
        assertThat(listened).contains(Topics.LEDGER_COMMANDS.name(), Topics.ALERTS.name());
        for (String topic : listened) {
            assertThat(topics).as(topic + ".DLT").containsKey(topic + ".DLT");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"none"})
    void with_topics_left_to_the_operator_nothing_creates_them(String mode) {
        Rendered rendered = HelmChart.render(ValueSet.DEFAULT, Map.of("kafka.topics.create", mode));

        assertThat(topics(rendered)).isEmpty();
    }

    @Test
    void the_topic_job_runs_before_install_and_upgrade_and_its_script_comes_first() {
        Rendered rendered = HelmChart.render(ValueSet.DEFAULT);
        Map<String, Object> job = rendered.ofType("batch/v1/Job").get(0);
        Map<String, Object> script = rendered.documents.stream()
                .filter(document -> Rendered.nameOf(document).equals("acme-tally-topics")
                        && document.get("kind").equals("ConfigMap")).findFirst().orElseThrow();

        Map<String, Object> jobAnnotations = Yamls.map(job, "metadata", "annotations");
        Map<String, Object> scriptAnnotations = Yamls.map(script, "metadata", "annotations");
        assertThat(jobAnnotations.get(HelmChart.HOOK_ANNOTATION)).isEqualTo("pre-install,pre-upgrade");
        assertThat(scriptAnnotations.get(HelmChart.HOOK_ANNOTATION)).isEqualTo("pre-install,pre-upgrade");
        assertThat(Integer.parseInt((String) scriptAnnotations.get("helm.sh/hook-weight")))
                .isLessThan(Integer.parseInt((String) jobAnnotations.get("helm.sh/hook-weight")));
    }

    /** The topics as the Job's list (job) or the KafkaTopic resources (strimzi) say. */
    static Map<String, TopicSpec> topics(Rendered rendered) {
        Map<String, TopicSpec> topics = new LinkedHashMap<>();
        rendered.find(ConfigMap.class, "acme-tally-topics").ifPresent(configMap -> {
            for (String line : configMap.getData().get("topics.txt").split("\n")) {
                String[] fields = line.trim().split("\\s+");
                if (fields.length < 2) {
                    continue;
                }
                Map<String, String> config = new LinkedHashMap<>();
                for (int i = 2; i < fields.length; i++) {
                    String[] pair = fields[i].split("=", 2);
                    config.put(pair[0], pair[1]);
                }
                topics.put(fields[0], new TopicSpec(Integer.parseInt(fields[1]), config));
            }
        });
        for (Map<String, Object> topic : rendered.ofType("kafka.strimzi.io/v1beta2/KafkaTopic")) {
            Map<String, String> config = new LinkedHashMap<>();
            Yamls.map(topic, "spec", "config").forEach((key, value) -> config.put(key, String.valueOf(value)));
            assertThat(Rendered.nameOf(topic)).matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
            assertThat(Yamls.map(topic, "metadata", "labels")).containsKey("strimzi.io/cluster");
            topics.put(Yamls.string(topic, "spec", "topicName"),
                    new TopicSpec((Integer) Yamls.at(topic, "spec", "partitions"), config));
        }
        return topics;
    }

    private static Set<String> listenedTopics() throws IOException {
        Set<String> topics = new TreeSet<>();
        for (String service : HelmChart.services()) {
            Path sources = HelmChart.PROJECT_ROOT.resolve(service + "-service/src/main/java");
            try (Stream<Path> files = Files.walk(sources)) {
                for (Path file : files.filter(path -> path.toString().endsWith(".java")).toList()) {
                    Matcher matcher = LISTENED.matcher(Files.readString(file, StandardCharsets.UTF_8));
                    while (matcher.find()) {
                        topics.add(matcher.group(1));
                    }
                }
            }
        }
        return topics;
    }
}
