package dev.tally.servicekit.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.context.annotation.Configuration;
import org.springframework.mock.env.MockEnvironment;

class KafkaSecurityEnvironmentTest {

    @Test
    void spring_kafka_properties_carry_the_settings_to_every_client_spring_builds() {
        MockEnvironment environment = new MockEnvironment()
                .withProperty(KafkaSecurity.PROTOCOL, "SASL_PLAINTEXT")
                .withProperty(KafkaSecurity.USERNAME, "tally")
                .withProperty(KafkaSecurity.PASSWORD, "pw");

        new KafkaSecurityEnvironment().postProcessEnvironment(environment, new SpringApplication());

        assertThat(environment.getProperty("spring.kafka.properties.security.protocol")).isEqualTo("SASL_PLAINTEXT");
        assertThat(environment.getProperty("spring.kafka.properties.sasl.mechanism")).isEqualTo("SCRAM-SHA-512");
        assertThat(environment.getProperty("spring.kafka.properties.sasl.jaas.config")).contains("username=\"tally\"");
    }

    @Test
    void plaintext_adds_nothing() {
        MockEnvironment environment = new MockEnvironment();

        new KafkaSecurityEnvironment().postProcessEnvironment(environment, new SpringApplication());

        assertThat(environment.getPropertySources().contains(KafkaSecurityEnvironment.PROPERTY_SOURCE)).isFalse();
    }

    @Test
    void spring_kafka_security_without_the_tally_kafka_settings_is_refused_as_it_would_miss_the_hand_built_clients() {
        for (String setting : KafkaSecurityEnvironment.SPRING_ONLY_SETTINGS) {
            MockEnvironment environment = new MockEnvironment().withProperty(setting,
                    setting.endsWith("enabled") ? "true" : "SASL_SSL");

            assertThatThrownBy(() -> new KafkaSecurityEnvironment().postProcessEnvironment(environment,
                    new SpringApplication()))
                    .isInstanceOf(KafkaSecurityException.class)
                    .hasMessageStartingWith(setting + " (")
                    .hasMessageContaining("tally.kafka.security.protocol (TALLY_KAFKA_SECURITY_PROTOCOL) is not");
        }
    }

    @Test
    void spring_kafka_settings_still_override_beside_the_tally_kafka_settings() {
        MockEnvironment environment = new MockEnvironment()
                .withProperty(KafkaSecurity.PROTOCOL, "SASL_PLAINTEXT")
                .withProperty(KafkaSecurity.USERNAME, "tally")
                .withProperty(KafkaSecurity.PASSWORD, "pw")
                .withProperty("spring.kafka.properties.sasl.jaas.config", "operator's own");

        new KafkaSecurityEnvironment().postProcessEnvironment(environment, new SpringApplication());

        assertThat(environment.getProperty("spring.kafka.properties.sasl.jaas.config")).isEqualTo("operator's own");
    }

    @Configuration(proxyBeanMethods = false)
    static class Empty {
    }

    @Test
    void a_wrong_setting_stops_the_start_with_its_sentence_and_no_stack_trace() {
        SpringApplication application = new SpringApplication(Empty.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        PrintStream originalOut = System.out;
        PrintStream originalErr = System.err;
        System.setOut(new PrintStream(output, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(output, true, StandardCharsets.UTF_8));
        try {
            assertThatThrownBy(() -> application.run("--tally.kafka.security.protocol=SASL_SSL",
                    "--tally.kafka.sasl.username=u", "--spring.main.banner-mode=off"))
                    .isInstanceOf(KafkaSecurityException.class);
        } finally {
            System.setOut(originalOut);
            System.setErr(originalErr);
        }
        String printed = output.toString(StandardCharsets.UTF_8);
        assertThat(printed).contains("APPLICATION FAILED TO START")
                .contains("tally.kafka.sasl.password (TALLY_KAFKA_SASL_PASSWORD) must be set when "
                        + "tally.kafka.security.protocol (TALLY_KAFKA_SECURITY_PROTOCOL) is SASL_SSL.")
                .doesNotContain("\tat ");
    }

    @Test
    void the_failure_analysis_is_the_sentence() {
        FailureAnalysis analysis = new KafkaSecurityFailureAnalyzer()
                .analyze(new RuntimeException(new KafkaSecurityException("x is wrong.")));

        assertThat(analysis.getDescription()).isEqualTo("x is wrong.");
    }
}
