package dev.tally.notification.support;

import dev.tally.servicekit.outbound.HostResolver;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The names notification-service resolves in the tests, and what they resolve to: a test points a name at a public
 * address while a channel is saved and at loopback before it is used. Unknown names do not resolve, so no test
 * depends on the machine's DNS.
 */
public final class TestDns implements HostResolver {

    public static final TestDns INSTANCE = new TestDns();

    private final Map<String, List<InetAddress>> names = new ConcurrentHashMap<>();

    private TestDns() {
        point("localhost", "127.0.0.1");
    }

    /** @param addresses IP literals */
    public void point(String name, String... addresses) {
        names.put(name, Arrays.stream(addresses).map(TestDns::literal).toList());
    }

    @Override
    public List<InetAddress> resolve(String host) throws UnknownHostException {
        List<InetAddress> addresses = names.get(host);
        if (addresses == null) {
            throw new UnknownHostException(host);
        }
        return addresses;
    }

    private static InetAddress literal(String address) {
        try {
            return InetAddress.getByName(address);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(address, e);
        }
    }

    @TestConfiguration(proxyBeanMethods = false)
    public static class Wiring {

        @Bean
        HostResolver testDns() {
            return INSTANCE;
        }
    }
}
