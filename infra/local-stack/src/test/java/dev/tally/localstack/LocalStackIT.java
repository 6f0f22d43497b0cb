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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

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

            // The Helm chart's probes: Spring Boot's liveness and readiness groups, on outside Kubernetes too.
            for (String url : List.of(stack.gatewayUrl(), stack.ledgerUrl(), stack.governanceUrl(),
                    stack.analyticsUrl(), stack.notificationUrl())) {
                for (String probe : List.of("/actuator/health/liveness", "/actuator/health/readiness")) {
                    HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create(url + probe)).timeout(Duration.ofSeconds(10)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    assertThat(health.statusCode()).as(url + probe + ": " + health.body()).isEqualTo(200);
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

    /**
     * {@code ./tally up &} from a script: bash starts a background job with SIGINT ignored, so Ctrl-C (SIGINT) cannot
     * stop it. {@code ./tally status} says it runs and where, {@code ./tally down} stops it and everything it started.
     */
    @Test
    void a_stack_started_in_the_background_ignores_sigint_is_listed_by_status_and_stopped_by_down() throws Exception {
        Path root = Path.of(System.getProperty("tally.project.root", "../..")).toAbsolutePath().normalize();
        StackOptions options = StackOptions.builder(root).dataDirectory(data).freePorts().build();
        String flags = String.join(" ", "--no-demo", "--data-dir", data.toString(),
                "--gateway-port", String.valueOf(options.gatewayPorts().get(0)),
                "--ledger-port", String.valueOf(options.ledgerPort()),
                "--governance-port", String.valueOf(options.governancePort()),
                "--analytics-port", String.valueOf(options.analyticsPort()),
                "--notification-port", String.valueOf(options.notificationPort()),
                "--kafka-port", String.valueOf(options.kafkaPort()),
                "--kafka-controller-port", String.valueOf(options.kafkaControllerPort()),
                "--postgres-port", String.valueOf(options.postgresPort()));
        // What ./tally up execs (its build check left out: the reactor built the jars), with SIGINT ignored as in a
        // script's background job; exec keeps the disposition.
        String launch = "trap '' INT; exec java -Dtally.project.root=" + root + " -cp '" + root
                + "/infra/local-stack/target/local-stack-" + StackOptions.VERSION + ".jar:" + root
                + "/infra/local-stack/target/lib/*' dev.tally.localstack.Main up " + flags;
        Process launcher = new ProcessBuilder("bash", "-c", launch).directory(root.toFile())
                .redirectErrorStream(true).redirectOutput(Path.of("target/background-stack.log").toFile()).start();
        try {
            await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(2)).until(() ->
                    tally(root, "status", "--data-dir", data.toString()).output().startsWith("tally: running"));
            Result status = tally(root, "status", "--data-dir", data.toString());
            assertThat(status.exitCode()).isZero();
            assertThat(status.output()).contains("launcher pid " + launcher.pid())
                    .contains(":" + options.gatewayPorts().get(0)).contains(":" + options.ledgerPort())
                    .contains("gateway-service-" + StackOptions.VERSION + ".jar").contains("kafka")
                    .doesNotContain("demo agent key");
            List<Long> children = ProcessHandle.allProcesses().filter(process -> Arrays.asList(process.info()
                    .arguments().orElse(new String[0])).contains(Leftovers.marker(data)))
                    .map(ProcessHandle::pid).toList();
            assertThat(children).hasSizeGreaterThanOrEqualTo(6);

            new ProcessBuilder("kill", "-INT", String.valueOf(launcher.pid())).start().waitFor();
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(launcher::isAlive);

            Result down = tally(root, "down", "--data-dir", data.toString());
            assertThat(down.exitCode()).as(down.output()).isZero();
            assertThat(down.output()).contains("stopped");
            assertThat(launcher.isAlive()).isFalse();
            assertThat(children).allSatisfy(pid -> assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive))
                    .as("process %d", pid).isNotEqualTo(Optional.of(true)));
            assertThat(data.resolve("postgres/postmaster.pid")).doesNotExist();
            assertThat(data.resolve(DataFolder.PID_FILE)).doesNotExist();
            Result after = tally(root, "status", "--data-dir", data.toString());
            assertThat(after.exitCode()).isEqualTo(3);
            assertThat(after.output()).startsWith("tally: not running");
        } finally {
            if (launcher.isAlive()) {
                launcher.destroy();
                launcher.waitFor(2, TimeUnit.MINUTES);
            }
        }
    }

    private record Result(int exitCode, String output) {
    }

    private static Result tally(Path root, String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of(root.resolve("tally").toString()));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(4, TimeUnit.MINUTES)) {
            process.destroyForcibly();
        }
        return new Result(process.exitValue(), output);
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
