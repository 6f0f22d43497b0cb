package dev.tally.notification.support;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A real HTTP server on loopback standing in for Slack, Teams, Telegram and webhook receivers: every request is
 * recorded; each path answers 200 unless told to fail a number of times or always.
 */
public final class LoopbackReceiver implements AutoCloseable {

    public record Received(String path, Map<String, List<String>> headers, byte[] body, int status) {

        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private record Plan(int failures, int status, String okBody, String failBody) {
    }

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Map<String, Plan> plans = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

    public LoopbackReceiver() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            byte[] body = exchange.getRequestBody().readAllBytes();
            Plan plan = plans.getOrDefault(path, new Plan(0, 200, null, null));
            int call = calls.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
            boolean fail = plan.failures < 0 || call <= plan.failures;
            int status = fail ? plan.status : 200;
            String answer = fail ? (plan.failBody != null ? plan.failBody : "{\"error\":\"receiver told to fail\"}")
                    : plan.okBody != null ? plan.okBody : path.contains("/sendMessage") ? "{\"ok\":true,\"result\":{}}" : "ok";
            received.add(new Received(path, Map.copyOf(exchange.getRequestHeaders()), body, status));
            byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
    }

    /** By the name {@code localhost}: the tests' allow-list admits the receivers by that name. */
    public String url(String path) {
        return "http://localhost:" + port() + path;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public void failTimes(String path, int failures, int status) {
        plans.put(path, new Plan(failures, status, null, null));
    }

    public void alwaysFail(String path, int status) {
        plans.put(path, new Plan(-1, status, null, null));
    }

    /** Every call answers this status with this body. */
    public void alwaysFail(String path, int status, String body) {
        plans.put(path, new Plan(-1, status, null, body));
    }

    public List<Received> at(String path) {
        return received.stream().filter(r -> r.path().equals(path)).toList();
    }

    public List<Received> matching(Predicate<Received> filter) {
        return received.stream().filter(filter).toList();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
