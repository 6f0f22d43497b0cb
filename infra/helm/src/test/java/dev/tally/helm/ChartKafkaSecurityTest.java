package dev.tally.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import javax.security.auth.login.AppConfigurationEntry;

import dev.tally.servicekit.kafka.KafkaSecurity;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.common.security.JaasContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chart's kafka.* values reach every container, the services' and the topic Job's, as the services' own
 * tally.kafka.* settings: those reach every Kafka client of a service, the hand-built ones included, while Spring's
 * spring.kafka.* would reach only the clients Spring builds.
 */
class ChartKafkaSecurityTest {

    private static final Map<String, Object> MUTUAL_TLS = Map.of("kafka.securityProtocol", "SSL",
            "kafka.tls.existingSecret", "tally-kafka-user", "kafka.tls.truststoreKey", "ca.crt",
            "kafka.tls.truststoreType", "PEM", "kafka.tls.truststorePasswordKey", "",
            "kafka.tls.keystoreKey", "user.p12", "kafka.tls.keystorePasswordKey", "user.password");

    @TempDir
    Path files;

    @Test
    void by_default_every_client_stays_plaintext_and_no_security_variable_is_set() {
        Rendered rendered = HelmChart.render(ValueSet.DEFAULT);

        containers(rendered).forEach((name, container) -> assertThat(variables(container).keySet()).as(name)
                .noneMatch(variable -> variable.startsWith("TALLY_KAFKA_S"))
                .noneMatch(variable -> variable.startsWith("SPRING_KAFKA")));
    }

    @Test
    void sasl_ssl_reaches_every_service_and_the_topic_job_as_tally_kafka_settings_with_the_password_from_its_secret()
            throws IOException {
        Rendered rendered = HelmChart.render(ValueSet.PRODUCTION);

        Map<String, Container> containers = containers(rendered);
        assertThat(containers.keySet()).contains("acme-tally-topics");
        for (Map.Entry<String, Container> entry : containers.entrySet()) {
            Map<String, EnvVar> variables = variables(entry.getValue());
            assertThat(variables.keySet()).as(entry.getKey()).noneMatch(name -> name.startsWith("SPRING_KAFKA"));
            assertThat(secretOf(variables.get("TALLY_KAFKA_SASL_PASSWORD"))).as(entry.getKey())
                    .isEqualTo("tally-kafka-sasl/password");
            assertThat(secretOf(variables.get("TALLY_KAFKA_SASL_USERNAME"))).as(entry.getKey())
                    .isEqualTo("tally-kafka-sasl/username");
            assertThat(secretOf(variables.get("TALLY_KAFKA_SSL_TRUSTSTORE_PASSWORD"))).as(entry.getKey())
                    .isEqualTo("tally-kafka-truststore/truststore.password");
            assertThat(entry.getValue().getVolumeMounts()).as(entry.getKey()).anyMatch(mount -> variables
                    .get("TALLY_KAFKA_SSL_TRUSTSTORE_LOCATION").getValue()
                    .equals(mount.getMountPath() + "/truststore.p12"));

            KafkaSecurity security = asTheServiceReadsIt(variables);
            assertThat(security.protocol()).as(entry.getKey()).isEqualTo(KafkaSecurity.Protocol.SASL_SSL);
            assertThat(security.mechanism()).isEqualTo(KafkaSecurity.Mechanism.SCRAM_SHA_512);
            assertThat(security.truststore().type()).isEqualTo("PKCS12");
        }
    }

    @Test
    void strimzi_over_tls_gives_every_container_the_truststore_and_no_sasl() throws IOException {
        Rendered rendered = HelmChart.render(ValueSet.STRIMZI);

        for (Map.Entry<String, Container> entry : containers(rendered).entrySet()) {
            Map<String, EnvVar> variables = variables(entry.getValue());
            assertThat(variables).as(entry.getKey()).doesNotContainKeys("TALLY_KAFKA_SASL_USERNAME",
                    "TALLY_KAFKA_SASL_PASSWORD");
            KafkaSecurity security = asTheServiceReadsIt(variables);
            assertThat(security.protocol()).as(entry.getKey()).isEqualTo(KafkaSecurity.Protocol.SSL);
            assertThat(security.truststore()).isNotNull();
        }
    }

    @Test
    void a_user_name_given_as_a_value_and_a_client_certificate_for_mutual_tls_are_passed_on() throws IOException {
        Map<String, Object> values = new HashMap<>(MUTUAL_TLS);
        values.put("kafka.securityProtocol", "SASL_SSL");
        values.put("kafka.sasl.existingSecret", "tally-kafka-user");
        values.put("kafka.sasl.username", "tally");
        Rendered rendered = HelmChart.render(ValueSet.DEFAULT, values);

        for (Map.Entry<String, Container> entry : containers(rendered).entrySet()) {
            Map<String, EnvVar> variables = variables(entry.getValue());
            assertThat(variables.get("TALLY_KAFKA_SASL_USERNAME").getValue()).as(entry.getKey()).isEqualTo("tally");
            assertThat(variables).doesNotContainKey("TALLY_KAFKA_SSL_TRUSTSTORE_PASSWORD");
            KafkaSecurity security = asTheServiceReadsIt(variables);
            assertThat(security.keystore().type()).as(entry.getKey()).isEqualTo("PKCS12");
            assertThat(security.keystore().password()).isEqualTo("tally-kafka-user/user.password");
            assertThat(security.truststore().type()).isEqualTo("PEM");
        }
        PodSpec gateway = rendered.servicePodSpecs().get(Rendered.resourceName("gateway"));
        assertThat(gateway.getVolumes()).filteredOn(volume -> volume.getSecret() != null)
                .flatExtracting(volume -> volume.getSecret().getItems()).extracting("key")
                .contains("ca.crt", "user.p12");
    }

    @Test
    void every_security_variable_the_chart_sets_is_a_setting_the_services_read() {
        Set<String> read = KafkaSecurity.SETTINGS.stream().map(KafkaSecurity::environmentVariable)
                .collect(Collectors.toSet());
        Map<String, Object> values = new HashMap<>(MUTUAL_TLS);
        values.put("kafka.securityProtocol", "SASL_SSL");
        values.put("kafka.sasl.existingSecret", "tally-kafka-user");
        Rendered rendered = HelmChart.render(ValueSet.DEFAULT, values);

        Set<String> set = new TreeSet<>();
        containers(rendered).values().forEach(container -> variables(container).keySet().stream()
                .filter(name -> name.startsWith("TALLY_KAFKA_") && !name.equals("TALLY_KAFKA_BOOTSTRAP"))
                .forEach(set::add));
        assertThat(read).containsAll(set);
        assertThat(set).hasSize(KafkaSecurity.SETTINGS.size() - 1); // a PEM truststore has no password
    }

    @Test
    void the_topic_job_script_gives_kafka_topics_the_same_settings_even_for_a_password_with_quotes_and_backslashes()
            throws Exception {
        Rendered rendered = HelmChart.render(ValueSet.PRODUCTION);
        String script = rendered.get(ConfigMap.class, "acme-tally-topics").getData().get("create-topics.sh");
        Path bin = Files.createDirectories(files.resolve("bin"));
        Path seen = files.resolve("command-config.properties");
        // A kafka-topics.sh that keeps the client properties it was given and reports one partition per topic.
        Path topicsScript = bin.resolve("kafka-topics.sh");
        Files.writeString(topicsScript, """
                #!/bin/bash
                while (( $# )); do [[ $1 == --command-config ]] && cp "$2" "%s"; shift; done
                echo "Partition: 0"
                """.formatted(seen));
        topicsScript.toFile().setExecutable(true);
        Path topics = Files.writeString(files.resolve("topics.txt"), "tally.alerts 1\n");
        Path runnable = Files.writeString(files.resolve("create-topics.sh"), script
                .replace("/opt/kafka/bin", bin.toString())
                .replace("/etc/tally/topics/topics.txt", topics.toString())
                .replace("/tmp/client.properties", files.resolve("client.properties").toString()));
        String password = "p\\a\"ss word$1";

        ProcessBuilder builder = new ProcessBuilder("bash", runnable.toString()).redirectErrorStream(true);
        builder.environment().putAll(Map.of("TALLY_KAFKA_BOOTSTRAP", "kafka:9096", "TALLY_REPLICATION_FACTOR", "1",
                "TALLY_KAFKA_SECURITY_PROTOCOL", "SASL_SSL", "TALLY_KAFKA_SASL_MECHANISM", "SCRAM-SHA-256",
                "TALLY_KAFKA_SASL_USERNAME", "tal\"ly", "TALLY_KAFKA_SASL_PASSWORD", password,
                "TALLY_KAFKA_SSL_TRUSTSTORE_LOCATION", "/etc/tally/kafka-tls/truststore.p12",
                "TALLY_KAFKA_SSL_TRUSTSTORE_TYPE", "PKCS12", "TALLY_KAFKA_SSL_TRUSTSTORE_PASSWORD", "changeit"));
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();

        Properties properties = new Properties();
        properties.load(new StringReader(Files.readString(seen)));
        assertThat(properties).containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-256")
                .containsEntry("ssl.truststore.location", "/etc/tally/kafka-tls/truststore.p12")
                .containsEntry("ssl.truststore.type", "PKCS12").containsEntry("ssl.truststore.password", "changeit");
        // Kafka's own reading of the JAAS line gets the user and the password back unchanged.
        AppConfigurationEntry login = JaasContext.loadClientContext(Map.of("sasl.jaas.config",
                new Password(properties.getProperty("sasl.jaas.config")))).configurationEntries().get(0);
        assertThat(login.getLoginModuleName()).isEqualTo("org.apache.kafka.common.security.scram.ScramLoginModule");
        assertThat(login.getOptions().get("username")).isEqualTo("tal\"ly");
        assertThat(login.getOptions().get("password")).isEqualTo(password);
    }

    @Test
    void a_truststore_without_tls_or_sasl_without_a_secret_or_an_unknown_protocol_stops_the_render() {
        assertThatThrownBy(() -> HelmChart.render(ValueSet.DEFAULT, Map.of("kafka.securityProtocol",
                "SASL_PLAINTEXT", "kafka.sasl.existingSecret", "s", "kafka.tls.existingSecret", "t")))
                .hasMessageContaining("a truststore is used with SSL or SASL_SSL");
        assertThatThrownBy(() -> HelmChart.render(ValueSet.DEFAULT, Map.of("kafka.securityProtocol", "SASL_SSL")))
                .hasMessageContaining("kafka.sasl.existingSecret is required");
        assertThatThrownBy(() -> HelmChart.render(ValueSet.DEFAULT, Map.of("kafka.securityProtocol", "TLS")))
                .hasMessageContaining("kafka.securityProtocol is \"TLS\"");
    }

    /** The services' containers and the topic Job's, by workload name. */
    private static Map<String, Container> containers(Rendered rendered) {
        Map<String, Container> containers = new LinkedHashMap<>();
        rendered.podSpecs().forEach((name, spec) -> containers.put(name, spec.getContainers().get(0)));
        assertThat(containers).hasSizeGreaterThan(HelmChart.services().size() - 1);
        return containers;
    }

    private static Map<String, EnvVar> variables(Container container) {
        Map<String, EnvVar> variables = new LinkedHashMap<>();
        container.getEnv().forEach(variable -> variables.put(variable.getName(), variable));
        return variables;
    }

    /** "secret/key" for a variable from a Secret, null otherwise. */
    private static String secretOf(EnvVar variable) {
        if (variable == null || variable.getValueFrom() == null || variable.getValueFrom().getSecretKeyRef() == null) {
            return null;
        }
        var reference = variable.getValueFrom().getSecretKeyRef();
        return reference.getName() + "/" + reference.getKey();
    }

    /**
     * service-kit's own reading of the variables (as Spring finds TALLY_KAFKA_SASL_PASSWORD for
     * tally.kafka.sasl.password), a Secret's value standing in as "secret/key", the mounted stores as files here.
     */
    private KafkaSecurity asTheServiceReadsIt(Map<String, EnvVar> variables) throws IOException {
        Map<String, String> environment = new HashMap<>();
        for (EnvVar variable : variables.values()) {
            String value = variable.getValue() != null ? variable.getValue() : secretOf(variable);
            if (variable.getName().endsWith("_LOCATION")) {
                Path store = files.resolve(Path.of(value).getFileName().toString());
                value = Files.writeString(store, "a store").toString();
            }
            environment.put(variable.getName(), value);
        }
        return KafkaSecurity.from(setting -> environment.get(KafkaSecurity.environmentVariable(setting)));
    }
}
