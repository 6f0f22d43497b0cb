package dev.tally.servicekit.outbound;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Turns a host name into its addresses. The system resolver in production; tests give the policy a table, so they
 * can make a name resolve to a public address when a channel is saved and to loopback when it is used.
 */
@FunctionalInterface
public interface HostResolver {

    HostResolver SYSTEM = host -> List.of(InetAddress.getAllByName(host));

    List<InetAddress> resolve(String host) throws UnknownHostException;
}
