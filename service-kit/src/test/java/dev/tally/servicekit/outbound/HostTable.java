package dev.tally.servicekit.outbound;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** DNS as the test says: names resolve to what they were last pointed at, unknown names do not resolve. */
final class HostTable implements HostResolver {

    private final Map<String, List<InetAddress>> names = new ConcurrentHashMap<>();

    HostTable point(String name, String... addresses) {
        names.put(name, Arrays.stream(addresses).map(HostTable::address).toList());
        return this;
    }

    @Override
    public List<InetAddress> resolve(String host) throws UnknownHostException {
        List<InetAddress> addresses = names.get(host);
        if (addresses == null) {
            throw new UnknownHostException(host);
        }
        return addresses;
    }

    static InetAddress address(String literal) {
        return IpLiteral.parse(literal).orElseThrow(() -> new IllegalArgumentException(literal));
    }
}
