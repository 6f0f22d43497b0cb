package dev.tally.servicekit.outbound;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.netty.http.client.HttpClient;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A real Reactor Netty client against a real server on loopback: what the client connects to is checked. */
class PolicyAddressResolverGroupTest {

    private final HostTable dns = new HostTable();
    private final AtomicInteger requests = new AtomicInteger();
    private HttpServer server;
    private int port;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
        port = server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void an_ip_literal_in_the_url_is_checked_although_netty_holds_it_resolved() {
        assertThatThrownBy(() -> status(client(AllowList.NONE), "http://127.0.0.1:" + port + "/"))
                .hasRootCauseInstanceOf(RefusedAddressException.class)
                .hasStackTraceContaining("127.0.0.1 is a loopback address, which Tally does not call");
        assertThat(requests).hasValue(0);
    }

    @Test
    void a_name_is_checked_on_the_address_it_resolves_to_when_connecting() {
        dns.point("rebind.example.com", "127.0.0.1");

        assertThatThrownBy(() -> status(client(AllowList.NONE), "http://rebind.example.com:" + port + "/"))
                .hasRootCauseInstanceOf(RefusedAddressException.class)
                .hasStackTraceContaining("rebind.example.com resolves to 127.0.0.1");
        assertThat(requests).hasValue(0);
    }

    @Test
    void an_allowed_address_is_connected_to() {
        dns.point("fake.provider.test", "127.0.0.1");

        assertThat(status(client(AllowList.parse("127.0.0.1")), "http://127.0.0.1:" + port + "/")).isEqualTo(204);
        assertThat(status(client(AllowList.parse("127.0.0.1")), "http://fake.provider.test:" + port + "/"))
                .isEqualTo(204);
        assertThat(requests).hasValue(2);
    }

    private HttpClient client(AllowList allowList) {
        return HttpClient.newConnection()
                .resolver(new PolicyAddressResolverGroup(new OutboundAddressPolicy(allowList, dns)));
    }

    private static int status(HttpClient client, String url) {
        return client.get().uri(url).response().map(r -> r.status().code()).block(Duration.ofSeconds(10));
    }
}
