package dev.tally.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ScramKafkaTest {

    private static ScramKafka kafka;

    @BeforeAll
    static void start() {
        kafka = ScramKafka.start("tally-test", "pa\"ss\\word");
    }

    @AfterAll
    static void stop() {
        kafka.close();
    }

    @Test
    void the_user_gets_in_and_can_create_a_topic() throws Exception {
        try (Admin admin = Admin.create(kafka.clientProperties())) {
            admin.createTopics(List.of(new NewTopic("scram-test", 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            assertThat(admin.listTopics().names().get(10, TimeUnit.SECONDS)).contains("scram-test");
        }
    }

    @Test
    void a_wrong_password_is_refused_by_the_broker() {
        try (Admin admin = Admin.create(withTimeouts(kafka.clientProperties("not-the-password")))) {
            assertThatThrownBy(() -> admin.describeCluster().nodes().get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(SaslAuthenticationException.class);
        }
    }

    @Test
    void a_client_without_sasl_gets_nothing() {
        try (Admin admin = Admin.create(withTimeouts(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.bootstrapServers())))) {
            assertThatThrownBy(() -> admin.describeCluster().nodes().get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class);
        }
    }

    @Test
    void service_settings_name_the_broker_and_the_user() {
        assertThat(kafka.serviceSettings()).containsEntry("tally.kafka.security.protocol", "SASL_PLAINTEXT")
                .containsEntry("tally.kafka.sasl.username", "tally-test")
                .containsEntry("spring.kafka.bootstrap-servers", kafka.bootstrapServers());
    }

    private static Map<String, Object> withTimeouts(Map<String, Object> properties) {
        Map<String, Object> all = new java.util.HashMap<>(properties);
        all.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000);
        all.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000);
        return all;
    }
}
