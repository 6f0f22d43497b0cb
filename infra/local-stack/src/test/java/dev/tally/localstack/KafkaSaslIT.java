package dev.tally.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.tally.servicekit.kafka.KafkaSecurity;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * ./tally up --kafka-sasl: the broker takes SASL/SCRAM only, every service's clients authenticate through the
 * tally.kafka.* settings, a governed request is answered and charged by the ledger over that broker, a client with a
 * wrong password is refused, and no log of the stack holds the password.
 */
class KafkaSaslIT {

    @TempDir
    Path data;

    @Test
    void every_service_runs_the_money_path_over_a_scram_broker_that_refuses_a_wrong_password() throws Exception {
        Path root = Path.of(System.getProperty("tally.project.root", "../.."));
        StackOptions options = StackOptions.builder(root).dataDirectory(data).freePorts().kafkaSasl(true).build();
        String password;

        try (LocalStack stack = LocalStack.start(options)) {
            password = stack.kafkaSecurity().password();
            assertThat(stack.kafkaSecurity().protocol()).isEqualTo(KafkaSecurity.Protocol.SASL_PLAINTEXT);
            assertThat(password).isNotBlank();

            // The whole money path: key from the state topic, reservation and settlement through the ledger's topics.
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest
                    .newBuilder(URI.create(stack.gatewayUrl() + "/v1/chat/completions"))
                    .header("Authorization", "Bearer " + stack.demo().agentKey())
                    .header("Content-Type", "application/json")
                    .timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.ofString(
                            "{\"model\": \"mock-model\", \"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            JsonNode platform = JsonMapper.shared().readTree(response.body()).path("x_platform");
            long charged = platform.path("credits_charged").asLong();
            String requestId = platform.path("request_id").asString();
            assertThat(charged).isPositive();
            HttpJson ledger = new HttpJson(stack.ledgerUrl(), stack.adminKey());
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                    charges(ledger.get("/ledgers/" + stack.demo().orgId() + "/events?limit=10000").text()))
                    .containsEntry(requestId, charged));

            // The stack's user gets in; the same user with another password does not.
            try (Admin admin = admin(stack, stack.kafkaSecurity())) {
                assertThat(admin.describeCluster().nodes().get(10, TimeUnit.SECONDS)).isNotEmpty();
            }
            KafkaSecurity wrong = KafkaSecurity.from(Map.of(KafkaSecurity.PROTOCOL, "SASL_PLAINTEXT",
                    KafkaSecurity.USERNAME, Secrets.KAFKA_USER, KafkaSecurity.PASSWORD, password + "-wrong")::get);
            try (Admin admin = admin(stack, wrong)) {
                assertThatThrownBy(() -> admin.describeCluster().nodes().get(10, TimeUnit.SECONDS))
                        .isInstanceOf(ExecutionException.class)
                        .hasCauseInstanceOf(SaslAuthenticationException.class);
            }

            // Every service's clients authenticated: none logged a refusal.
            for (String service : stack.serviceNames()) {
                assertThat(Files.readString(stack.logFile(service))).as(service)
                        .doesNotContain("SaslAuthenticationException").doesNotContain("Authentication failed");
            }
            for (Path file : List.of(data.resolve("secrets.properties"), data.resolve("kafka/server.properties"))) {
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).as(file.toString())
                        .isEqualTo("rw-------");
            }
        }

        // Nothing the stack logged, the broker's configuration dump and the format step included, holds the password.
        try (Stream<Path> logs = Files.walk(data.resolve("logs"))) {
            List<Path> files = logs.filter(Files::isRegularFile).toList();
            assertThat(files).extracting(path -> path.getFileName().toString())
                    .contains("kafka.log", "gateway-service.log", "ledger-service.log");
            for (Path file : files) {
                String text = Files.readString(file, StandardCharsets.UTF_8);
                assertThat(text).as(file.toString()).doesNotContain(password).doesNotContainPattern("password=\"");
            }
        }
    }

    private static Admin admin(LocalStack stack, KafkaSecurity security) {
        return Admin.create(security.addTo(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000)));
    }

    /** The gateway's request id → credits the ledger charged for it (a reservation of its own, or a lease's). */
    private static Map<String, Long> charges(String ndjson) throws IOException {
        Map<String, Long> charges = new HashMap<>();
        for (String line : ndjson.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode event = JsonMapper.shared().readTree(line);
            String type = event.path("type").asString();
            JsonNode payload = event.path("data");
            if (type.endsWith(".UsageRecorded.v1")) {
                charges.merge(payload.path("reservation_id").asString(), payload.path("charged_credits").asLong(),
                        Long::sum);
            } else if (type.endsWith(".LeaseCharged.v1")) {
                charges.merge(payload.path("request_id").asString(), payload.path("charged_credits").asLong(),
                        Long::sum);
            }
        }
        return charges;
    }
}
