package dev.tally.servicekit.outbound;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The sockets Jakarta Mail gets: connected only to an address the policy checked, however the host was given. */
class PolicySocketFactoryTest {

    private final HostTable dns = new HostTable();
    private ServerSocket listener;

    @BeforeEach
    void listen() throws IOException {
        listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    }

    @AfterEach
    void close() throws IOException {
        listener.close();
    }

    @Test
    void a_socket_is_not_connected_to_a_refused_address_given_as_a_name_or_a_literal() {
        dns.point("mail.rebind.test", "127.0.0.1");
        PolicySocketFactory sockets = new PolicySocketFactory(new OutboundAddressPolicy(AllowList.NONE, dns));

        assertThatThrownBy(() -> sockets.createSocket().connect(new InetSocketAddress("127.0.0.1", port()), 1000))
                .isInstanceOf(RefusedAddressException.class);
        assertThatThrownBy(() -> sockets.createSocket()
                .connect(InetSocketAddress.createUnresolved("mail.rebind.test", port()), 1000))
                .isInstanceOf(RefusedAddressException.class).hasMessageContaining("resolves to 127.0.0.1");
        assertThatThrownBy(() -> sockets.createSocket("mail.rebind.test", port()))
                .isInstanceOf(RefusedAddressException.class);
    }

    @Test
    void an_allowed_address_is_connected_to() throws Exception {
        dns.point("smtp.corp.test", "127.0.0.1");
        PolicySocketFactory sockets = new PolicySocketFactory(
                new OutboundAddressPolicy(AllowList.parse("smtp.corp.test"), dns));

        try (Socket socket = sockets.createSocket()) {
            socket.connect(InetSocketAddress.createUnresolved("smtp.corp.test", port()), 1000);
            assertThat(socket.getInetAddress()).isEqualTo(InetAddress.getLoopbackAddress());
        }
    }

    private int port() {
        return listener.getLocalPort();
    }
}
