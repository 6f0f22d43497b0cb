package dev.tally.servicekit.outbound;

import javax.net.SocketFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;

/**
 * Sockets that resolve and check their host through the policy and connect to the checked address, for clients that
 * take a {@link SocketFactory}, such as Jakarta Mail's SMTP ({@code mail.smtp.socketFactory}, with
 * {@code mail.smtp.socketFactory.fallback=false}, or a refusal would make it retry with a plain socket). TLS, implicit
 * or STARTTLS, is layered on the connected socket by the client and still verifies the host name, not the address.
 */
public final class PolicySocketFactory extends SocketFactory {

    private final OutboundAddressPolicy policy;

    public PolicySocketFactory(OutboundAddressPolicy policy) {
        this.policy = policy;
    }

    @Override
    public Socket createSocket() {
        return new CheckedSocket(policy);
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        Socket socket = createSocket();
        socket.connect(InetSocketAddress.createUnresolved(host, port));
        return socket;
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        Socket socket = createSocket();
        socket.bind(new InetSocketAddress(localHost, localPort));
        socket.connect(InetSocketAddress.createUnresolved(host, port));
        return socket;
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        Socket socket = createSocket();
        socket.connect(new InetSocketAddress(host, port));
        return socket;
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
            throws IOException {
        Socket socket = createSocket();
        socket.bind(new InetSocketAddress(localAddress, localPort));
        socket.connect(new InetSocketAddress(address, port));
        return socket;
    }

    private static final class CheckedSocket extends Socket {

        private final OutboundAddressPolicy policy;

        CheckedSocket(OutboundAddressPolicy policy) {
            this.policy = policy;
        }

        /**
         * Resolves the endpoint's host name itself, even when the caller resolved it already (Jakarta Mail does):
         * the address connected to is then always one the policy checked.
         */
        @Override
        public void connect(SocketAddress endpoint, int timeout) throws IOException {
            if (!(endpoint instanceof InetSocketAddress target)) {
                throw new IOException("not an internet address: " + endpoint);
            }
            InetAddress address = policy.connectable(target.getHostString()).get(0);
            super.connect(new InetSocketAddress(address, target.getPort()), timeout);
        }
    }
}
