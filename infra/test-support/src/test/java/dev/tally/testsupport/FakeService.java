package dev.tally.testsupport;

import com.sun.net.httpserver.HttpServer;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * A stand-in for a Spring Boot service, run by {@link ServiceProcessTest} from a jar built on the fly: answers
 * {@code /actuator/health} on {@code --server.port}, prints its arguments and {@code FAKE_GREETING}, and exits with
 * {@code --exit-with=<code>} instead of serving when asked.
 */
public final class FakeService {

    private FakeService() {
    }

    public static void main(String[] args) throws Exception {
        int port = -1;
        for (String arg : args) {
            System.out.println("arg " + arg);
            if (arg.startsWith("--server.port=")) {
                port = Integer.parseInt(arg.substring("--server.port=".length()));
            }
            if (arg.startsWith("--exit-with=")) {
                System.err.println("fake service failing on purpose");
                System.exit(Integer.parseInt(arg.substring("--exit-with=".length())));
            }
        }
        System.out.println("greeting " + System.getenv("FAKE_GREETING"));
        HttpServer server = HttpServer.create(new InetSocketAddress("localhost", port), 0);
        server.createContext("/actuator/health", exchange -> {
            byte[] body = "{\"status\":\"UP\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        System.out.println("fake service listening on " + port);
    }
}
