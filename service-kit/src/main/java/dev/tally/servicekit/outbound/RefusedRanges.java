package dev.tally.servicekit.outbound;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * The addresses a tenant must not make a service call: everything that reaches the service's own machine, its
 * network or its cloud rather than the public internet. An IPv6 address that carries an IPv4 one (mapped
 * {@code ::ffff:a.b.c.d}, compatible {@code ::a.b.c.d}, NAT64 {@code 64:ff9b::a.b.c.d}) is judged by the IPv4 address,
 * since that is where the packets end up.
 */
final class RefusedRanges {

    private record Range(AddressBlock block, String kind) {
    }

    // First match names the kind: the metadata addresses before the link-local and unique-local blocks they are in.
    private static final List<Range> RANGES = List.of(
            range("169.254.169.254/32", "cloud metadata"),
            range("fd00:ec2::254/128", "cloud metadata"),
            range("0.0.0.0/8", "unspecified"),
            range("::/128", "unspecified"),
            range("127.0.0.0/8", "loopback"),
            range("::1/128", "loopback"),
            range("10.0.0.0/8", "private"),
            range("172.16.0.0/12", "private"),
            range("192.168.0.0/16", "private"),
            range("fc00::/7", "private (unique local)"),
            range("fec0::/10", "private (site local)"),
            range("100.64.0.0/10", "carrier-grade NAT"),
            range("169.254.0.0/16", "link-local"),
            range("fe80::/10", "link-local"),
            range("224.0.0.0/4", "multicast"),
            range("ff00::/8", "multicast"),
            range("240.0.0.0/4", "reserved"));

    // Not parsed from text: Java reads "::ffff:0:0" as the IPv4 address 0.0.0.0.
    private static final AddressBlock IPV4_MAPPED = AddressBlock.of(
            new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 0, 0, 0, 0}, 96);
    private static final AddressBlock IPV4_COMPATIBLE = AddressBlock.parse("::/96");
    private static final AddressBlock NAT64 = AddressBlock.parse("64:ff9b::/96");

    private RefusedRanges() {
    }

    /** The kind of refused address this is ("loopback", "private", …), or empty for a public one. */
    static Optional<String> kindOf(InetAddress address) {
        byte[] bytes = address.getAddress();
        Optional<String> kind = kindOf(bytes);
        if (kind.isPresent() || bytes.length != 16) {
            return kind;
        }
        if (IPV4_MAPPED.contains(bytes) || IPV4_COMPATIBLE.contains(bytes) || NAT64.contains(bytes)) {
            byte[] ipv4 = new byte[4];
            System.arraycopy(bytes, 12, ipv4, 0, 4);
            return kindOf(ipv4);
        }
        return Optional.empty();
    }

    private static Optional<String> kindOf(byte[] bytes) {
        return RANGES.stream().filter(r -> r.block().contains(bytes)).map(Range::kind).findFirst();
    }

    private static Range range(String cidr, String kind) {
        return new Range(AddressBlock.parse(cidr), kind);
    }
}
