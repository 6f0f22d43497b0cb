package dev.tally.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** What ./tally up does, on free ports and a fresh data folder: ready, the printed curl works, stop leaves nothing. */
class LocalStackIT {

    @TempDir
    Path data;

    @Test
    void the_stack_answers_the_printed_curl_with_credits_charged_and_stops_without_leftovers() throws Exception {
        Path root = Path.of(System.getProperty("tally.project.root", "../.."));
        StackOptions options = StackOptions.builder(root).dataDirectory(data).freePorts().build();

        List<Long> pids = new ArrayList<>();
        try (LocalStack stack = LocalStack.start(options)) {
            assertThat(stack.adminKey()).startsWith("tadm_");
            assertThat(stack.demo().agentKey()).startsWith("cpk_");
            assertThat(data.resolve("demo.json")).exists();
            assertThat(stack.demoCredits()).isEqualTo(DemoOrg.CREDITS);

            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest
                    .newBuilder(URI.create(stack.gatewayUrl() + "/v1/chat/completions"))
                    .header("Authorization", "Bearer " + stack.demo().agentKey())
                    .header("Content-Type", "application/json")
                    .timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.ofString(
                            "{\"model\": \"mock-model\", \"messages\": [{\"role\": \"user\", \"content\": \"Hello!\"}]}"))
                    .build(), HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            JsonNode answer = JsonMapper.shared().readTree(response.body());
            assertThat(answer.path("object").asString()).isEqualTo("chat.completion");
            assertThat(answer.path("x_platform").path("credits_charged").asLong()).isPositive();

            // Notification channels may point at receivers on this machine, which elsewhere are refused addresses.
            HttpJson notification = new HttpJson(stack.notificationUrl(), stack.adminKey());
            Map<String, Object> localWebhook = Map.of("org_id", stack.demo().orgId(), "name", "local catcher",
                    "kind", "WEBHOOK", "url", "http://localhost:9/hook");
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                    notification.post("/channels", localWebhook).status()).isEqualTo(201));

            // The keys are the user's alone, and the banner names their file rather than printing the admin key.
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data))).isEqualTo("rwx------");
            for (String file : List.of("secrets.properties", "demo.json")) {
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve(file))))
                        .as(file).isEqualTo("rw-------");
            }
            assertThat(ReadyBanner.text(stack)).doesNotContain(stack.adminKey()).contains("secrets.properties");
            // Every service listens on loopback only: this machine's other addresses refuse the connection.
            for (InetAddress address : nonLoopbackAddresses()) {
                for (int port : List.of(options.governancePort(), options.ledgerPort(), options.analyticsPort(),
                        options.notificationPort(), options.gatewayPorts().get(0))) {
                    assertThatThrownBy(() -> new Socket(address, port).close()).as("%s:%d", address, port)
                            .isInstanceOf(ConnectException.class);
                }
            }

            stack.serviceNames().forEach(name -> pids.add(stack.pid(name)));
            pids.add(stack.kafkaPid());
        }

        assertThat(pids).allSatisfy(pid -> assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive))
                .as("process %d", pid).isNotEqualTo(Optional.of(true)));
        assertThat(data.resolve("postgres/postmaster.pid")).doesNotExist();
        assertThat(LocalStack.portClaims(options)).allSatisfy(claim ->
                assertThat(PortCheck.isFree(claim.port())).as("port %d (%s)", claim.port(), claim.owner()).isTrue());
    }

    /** Empty on a machine without a network; the loopback check then has nothing to try. */
    private static List<InetAddress> nonLoopbackAddresses() throws SocketException {
        List<InetAddress> addresses = new ArrayList<>();
        for (NetworkInterface network : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (network.isUp() && !network.isLoopback()) {
                Collections.list(network.getInetAddresses()).stream()
                        .filter(address -> address instanceof Inet4Address).forEach(addresses::add);
            }
        }
        return addresses;
    }
}
