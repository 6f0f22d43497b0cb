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
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import dev.tally.servicekit.kafka.KafkaSecurity;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * ./tally up --kafka-sasl, and with --kafka-tls too: the broker takes SASL/SCRAM only (over TLS), every service's
 * clients authenticate through the tally.kafka.* settings, a governed request is answered and charged by the ledger
 * over that broker, no client was refused, a client without credentials, with a wrong password or (over TLS) without
 * the truststore is refused, and no log of the stack holds the password.
 */
class KafkaSaslIT {

    /** Kafka's Selector logs each connection it refuses with this, at INFO. */
    private static final String REFUSED = "Failed authentication with";

    @TempDir
    Path data;

    @ParameterizedTest(name = "tls={0}")
    @ValueSource(booleans = {false, true})
    void every_service_runs_the_money_path_over_a_scram_broker_that_refuses_a_wrong_password(boolean tls)
            throws Exception {
        Path root = Path.of(System.getProperty("tally.project.root", "../.."));
        StackOptions options = StackOptions.builder(root).dataDirectory(data).freePorts().kafkaSasl(true)
                .kafkaTls(tls).build();
        String password;
        String storePassword;

        try (LocalStack stack = LocalStack.start(options)) {
            password = stack.kafkaSecurity().password();
            storePassword = tls ? stack.kafkaSecurity().truststore().password() : password;
            assertThat(stack.kafkaSecurity().protocol()).isEqualTo(tls ? KafkaSecurity.Protocol.SASL_SSL
                    : KafkaSecurity.Protocol.SASL_PLAINTEXT);
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

            // Every client of every service and of the launcher authenticated: the broker refused no connection
            // (a client left on PLAINTEXT is refused at its first request after ApiVersions, and the broker says so).
            Path brokerLog = data.resolve("logs/kafka.log");
            assertThat(Files.readString(brokerLog)).doesNotContain(REFUSED);
            for (String service : stack.serviceNames()) {
                assertThat(Files.readString(stack.logFile(service))).as(service)
                        .doesNotContain("SaslAuthenticationException").doesNotContain("Authentication failed");
            }

            // The stack's user gets in; a client without credentials or with another password does not, and the
            // broker's log shows each, which is what makes the check above able to fail.
            try (Admin admin = admin(stack, stack.kafkaSecurity())) {
                assertThat(admin.describeCluster().nodes().get(10, TimeUnit.SECONDS)).isNotEmpty();
            }
            try (Admin admin = admin(stack, KafkaSecurity.PLAINTEXT)) {
                assertThatThrownBy(() -> admin.describeCluster().nodes().get(10, TimeUnit.SECONDS))
                        .isInstanceOfAny(ExecutionException.class, TimeoutException.class);
            }
            if (tls) {
                // Over SASL_PLAINTEXT the broker does not always log a plaintext client (it may give up before its
                // first request after ApiVersions): the wrong password below shows the log's refusals there.
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(Files.readString(brokerLog))
                        .contains(REFUSED + " ").contains("SSL handshake failed"));
            }
            Map<String, String> wrongPassword = new HashMap<>(stack.kafkaSecurity().settings());
            wrongPassword.put(KafkaSecurity.PASSWORD, password + "-wrong");
            KafkaSecurity wrong = KafkaSecurity.from(wrongPassword::get);
            try (Admin admin = admin(stack, wrong)) {
                assertThatThrownBy(() -> admin.describeCluster().nodes().get(10, TimeUnit.SECONDS))
                        .isInstanceOf(ExecutionException.class)
                        .hasCauseInstanceOf(SaslAuthenticationException.class);
            }
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(Files.readString(brokerLog))
                    .contains(REFUSED + " ").contains("invalid credentials with SASL mechanism SCRAM-SHA-512"));
            if (tls) {
                // The right user, but trusting only the JVM's CAs: the client refuses the broker's certificate.
                Map<String, String> noTruststore = new HashMap<>(stack.kafkaSecurity().settings());
                List.of(KafkaSecurity.TRUSTSTORE_LOCATION, KafkaSecurity.TRUSTSTORE_PASSWORD,
                        KafkaSecurity.TRUSTSTORE_TYPE).forEach(noTruststore::remove);
                try (Admin admin = admin(stack, KafkaSecurity.from(noTruststore::get))) {
                    assertThatThrownBy(() -> admin.describeCluster().nodes().get(10, TimeUnit.SECONDS))
                            .isInstanceOf(ExecutionException.class)
                            .hasCauseInstanceOf(SslAuthenticationException.class);
                }
                Path certificates = data.resolve("kafka/tls");
                for (Path file : List.of(certificates.resolve("broker.p12"), certificates.resolve("truststore.p12"),
                        certificates.resolve("store-password"))) {
                    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                            .as(file.toString()).isEqualTo("rw-------");
                }
            }

            for (Path file : List.of(data.resolve("secrets.properties"), data.resolve("kafka/server.properties"))) {
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).as(file.toString())
                        .isEqualTo("rw-------");
            }
        }

        // Nothing the stack logged, the broker's configuration dump and the format step included, holds a password.
        try (Stream<Path> logs = Files.walk(data.resolve("logs"))) {
            List<Path> files = logs.filter(Files::isRegularFile).toList();
            assertThat(files).extracting(path -> path.getFileName().toString())
                    .contains("kafka.log", "gateway-service.log", "ledger-service.log");
            for (Path file : files) {
                String text = Files.readString(file, StandardCharsets.UTF_8);
                assertThat(text).as(file.toString()).doesNotContain(password).doesNotContain(storePassword)
                        .doesNotContainPattern("password=\"");
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
