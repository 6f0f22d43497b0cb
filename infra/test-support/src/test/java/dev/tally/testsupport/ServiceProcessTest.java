package dev.tally.testsupport;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ServiceProcessTest {

    @TempDir
    static Path workDir;
    static Path fakeJar;

    @BeforeAll
    static void buildFakeServiceJar() throws IOException, URISyntaxException {
        String entry = FakeService.class.getName().replace('.', '/') + ".class";
        Path classFile = Path.of(FakeService.class.getResource("/" + entry).toURI());
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, FakeService.class.getName());
        fakeJar = workDir.resolve("fake-service.jar");
        try (OutputStream out = Files.newOutputStream(fakeJar); JarOutputStream jar = new JarOutputStream(out, manifest)) {
            jar.putNextEntry(new JarEntry(entry));
            jar.write(Files.readAllBytes(classFile));
            jar.closeEntry();
        }
    }

    @Test
    void starts_the_jar_in_its_own_process_waits_for_health_and_stops_it() throws Exception {
        int port = ServiceProcess.freePort();
        ServiceProcess service = ServiceProcess.start("fake-ok", fakeJar, List.of("--extra=1"),
                Map.of("FAKE_GREETING", "hello"), port);
        try {
            assertThat(service.port()).isEqualTo(port);
            assertThat(service.baseUrl()).isEqualTo("http://localhost:" + port);
            assertThat(service.pid()).isNotEqualTo(ProcessHandle.current().pid());
            assertThat(ProcessHandle.of(service.pid())).isPresent();
            HttpResponse<String> health = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(service.baseUrl() + "/actuator/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(service.logFile()).isEqualTo(Path.of("target", "service-logs", "fake-ok.log").toAbsolutePath());
            assertThat(Files.readString(service.logFile()))
                    .contains("arg --server.port=" + port, "arg --extra=1", "greeting hello");
        } finally {
            service.close();
        }
        assertThat(service.isAlive()).isFalse();
        service.close(); // idempotent
    }

    @Test
    void kill_ends_the_process_at_once() {
        ServiceProcess service = ServiceProcess.start("fake-kill", fakeJar, List.of(), Map.of(), ServiceProcess.freePort());
        service.kill();
        assertThat(service.isAlive()).isFalse();
        assertThat(ProcessHandle.of(service.pid()).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        service.close();
    }

    @Test
    void a_process_that_dies_during_start_fails_with_its_exit_code_and_log() {
        assertThatThrownBy(() -> ServiceProcess.start("fake-dies", fakeJar, List.of("--exit-with=3"), Map.of(),
                ServiceProcess.freePort()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("fake-dies")
                .hasMessageContaining("exited with code 3")
                .hasMessageContaining("fake service failing on purpose");
    }

    @Test
    void a_missing_jar_is_refused_before_anything_starts() {
        assertThatThrownBy(() -> ServiceProcess.start("none", workDir.resolve("missing.jar"), List.of(), Map.of(), 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("missing.jar");
    }

    @Test
    void free_ports_are_usable_ports() {
        assertThat(ServiceProcess.freePort()).isBetween(1, 65535);
    }
}
