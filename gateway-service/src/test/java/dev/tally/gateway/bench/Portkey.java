package dev.tally.gateway.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Portkey's open-source gateway (npm {@code @portkey-ai/gateway}), installed with npm into a folder of its own and
 * run with node as its own process: {@code node build/start-server.js --port=<port> --headless}. Requests name the
 * upstream in headers ({@code x-portkey-provider: openai}, {@code x-portkey-custom-host}); Portkey accepts
 * localhost and 127.0.0.1 as custom hosts unless TRUSTED_CUSTOM_HOSTS says otherwise. Public for the whole-product
 * benchmark in infra/e2e, which runs it side by side the same way.
 */
public final class Portkey implements AutoCloseable {

    public static final String PACKAGE = "@portkey-ai/gateway@1.15.2";

    private final Process process;
    private final int port;

    private Portkey(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Installs the package into {@code folder} unless it is there already, starts it and waits until it answers. */
    public static Portkey start(Path folder, int port, Path log) throws IOException, InterruptedException {
        Path server = folder.resolve("node_modules/@portkey-ai/gateway/build/start-server.js");
        if (!Files.isRegularFile(server)) {
            Files.createDirectories(folder);
            run(List.of("npm", "install", "--no-audit", "--no-fund", "--prefix", folder.toString(), PACKAGE),
                    log.resolveSibling("portkey-npm-install.log"));
            if (!Files.isRegularFile(server)) {
                throw new IOException("npm install " + PACKAGE + " did not produce " + server);
            }
        }
        Files.createDirectories(log.getParent());
        Process process = new ProcessBuilder("node", server.toString(), "--port=" + port, "--headless")
                .directory(folder.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Portkey portkey = new Portkey(process, port);
        Runtime.getRuntime().addShutdownHook(new Thread(portkey::close, "portkey-shutdown"));
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            if (!process.isAlive()) {
                throw new IOException("Portkey exited with code " + process.exitValue() + "; see " + log);
            }
            try {
                HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(portkey.baseUrl() + "/"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (answer.statusCode() == 200) {
                    return portkey;
                }
            } catch (IOException notYet) {
                // still starting
            }
            if (System.nanoTime() > deadline) {
                portkey.close();
                throw new IOException("Portkey did not answer within 60 s; see " + log);
            }
            Thread.sleep(200);
        }
    }

    private static void run(List<String> command, Path log) throws IOException, InterruptedException {
        Files.createDirectories(log.getParent());
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IOException(String.join(" ", command) + " failed: "
                    + Files.readString(log, StandardCharsets.UTF_8));
        }
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }
}
