package dev.tally.servicekit.outbound;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Which addresses a tenant may make a Tally service call (webhooks, SMTP hosts, anything a tenant types in): public
 * ones only, unless the operator's allow-list names the host or covers the address. Refused by default: loopback,
 * private (RFC 1918, unique local), link-local, multicast, unspecified, carrier-grade NAT, reserved, the cloud
 * metadata service, and IPv6 forms that carry any of these IPv4 addresses.
 *
 * <p>Checked twice. When the tenant saves the host ({@link #checkHost}), so a mistake or a probe is answered at once;
 * and when the service connects ({@link #connectable}, {@link #checkConnect}), on the address it is about to connect
 * to, because DNS may answer differently by then (a name that resolved to a public address when saved can resolve
 * to 127.0.0.1 later).
 */
public final class OutboundAddressPolicy {

    // Also refused by address (169.254.169.254); the names are refused too in case a resolver maps them elsewhere.
    private static final Set<String> METADATA_NAMES = Set.of("metadata.google.internal", "metadata.goog");

    private final AllowList allowList;
    private final HostResolver resolver;

    public OutboundAddressPolicy(AllowList allowList, HostResolver resolver) {
        this.allowList = allowList;
        this.resolver = resolver;
    }

    /** @param allowList the operator's setting, comma-separated hosts, addresses and CIDR blocks */
    public static OutboundAddressPolicy withAllowList(String allowList) {
        return new OutboundAddressPolicy(AllowList.parse(allowList), HostResolver.SYSTEM);
    }

    /**
     * When a URL is saved: see {@link #checkHost}.
     *
     * @param url an absolute http(s) URL the caller has already found well formed
     */
    public void checkUrl(String url) throws RefusedAddressException {
        checkHost(URI.create(url).getHost());
    }

    /**
     * When a host is saved: a literal address must be allowed, a name must resolve, and every address it resolves to
     * must be allowed (any of them may be the one connected to later).
     */
    public void checkHost(String host) throws RefusedAddressException {
        if (allowList.admits(host)) {
            return;
        }
        List<InetAddress> addresses;
        try {
            addresses = resolve(host);
        } catch (UnknownHostException e) {
            throw RefusedAddressException.unresolvable(host);
        }
        for (InetAddress address : addresses) {
            checkConnect(host, address);
        }
    }

    /**
     * When connecting: the host's addresses that may be connected to, in the resolver's order. Connect to these and
     * nothing else: resolving again would ask DNS again, and it may answer otherwise.
     *
     * @throws RefusedAddressException when none may
     * @throws UnknownHostException    when the name does not resolve (perhaps for a moment: worth retrying)
     */
    public List<InetAddress> connectable(String host) throws RefusedAddressException, UnknownHostException {
        List<InetAddress> addresses = resolve(host);
        if (allowList.admits(host)) {
            return addresses;
        }
        List<InetAddress> allowed = addresses.stream().filter(this::allowed).toList();
        if (allowed.isEmpty()) {
            throw refusal(host, addresses.get(0));
        }
        return allowed;
    }

    /** When connecting to an address resolved elsewhere: refused unless allowed. */
    public void checkConnect(String host, InetAddress address) throws RefusedAddressException {
        if (allowList.admits(host) || allowList.admits(address)) {
            return;
        }
        if (!allowed(address)) {
            throw refusal(host, address);
        }
    }

    private boolean allowed(InetAddress address) {
        return allowList.admits(address) || RefusedRanges.kindOf(address).isEmpty();
    }

    private static RefusedAddressException refusal(String host, InetAddress refused) {
        return RefusedAddressException.refusedAddress(host, refused, RefusedRanges.kindOf(refused).orElseThrow());
    }

    private List<InetAddress> resolve(String host) throws RefusedAddressException, UnknownHostException {
        Optional<InetAddress> literal = IpLiteral.parse(host);
        if (literal.isPresent()) {
            return List.of(literal.get());
        }
        if (METADATA_NAMES.contains(AllowList.normalise(host)) && !allowList.admits(host)) {
            throw RefusedAddressException.metadataName(host);
        }
        List<InetAddress> addresses = resolver.resolve(host);
        if (addresses.isEmpty()) {
            throw new UnknownHostException(host);
        }
        return addresses;
    }
}
