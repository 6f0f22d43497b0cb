package dev.tally.servicekit.outbound;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The operator's exceptions to the refused ranges: host names, addresses and CIDR blocks. A host name is admitted
 * whatever it resolves to (the operator vouches for the name, e.g. an SMTP relay on the private network); an address
 * or block admits exactly the addresses it covers, whichever name led to them.
 */
public final class AllowList {

    public static final AllowList NONE = new AllowList(Set.of(), List.of());

    private final Set<String> hosts;
    private final List<AddressBlock> blocks;

    private AllowList(Set<String> hosts, List<AddressBlock> blocks) {
        this.hosts = hosts;
        this.blocks = blocks;
    }

    /**
     * @param entries comma-separated, e.g. {@code "localhost, 127.0.0.1, 10.20.0.0/16, smtp.corp.internal"}; null or
     *                blank for none
     * @throws IllegalArgumentException naming the entry that is neither a host name nor an address or block, so a
     *                                  typo stops the service at start instead of silently admitting nothing
     */
    public static AllowList parse(String entries) {
        if (entries == null || entries.isBlank()) {
            return NONE;
        }
        Set<String> hosts = new TreeSet<>();
        List<AddressBlock> blocks = new ArrayList<>();
        for (String raw : entries.split(",")) {
            String entry = raw.strip();
            if (entry.isEmpty()) {
                continue;
            }
            if (entry.contains("/") || IpLiteral.parse(entry).isPresent()) {
                blocks.add(AddressBlock.parse(entry));
            } else if (entry.matches("[A-Za-z0-9_]([A-Za-z0-9_.-]*[A-Za-z0-9_])?\\.?")) {
                hosts.add(normalise(entry));
            } else {
                throw new IllegalArgumentException("allow-list entry '" + entry
                        + "' is neither a host name nor an IP address or CIDR block");
            }
        }
        return new AllowList(Set.copyOf(hosts), List.copyOf(blocks));
    }

    boolean admits(String host) {
        return hosts.contains(normalise(host));
    }

    boolean admits(InetAddress address) {
        return blocks.stream().anyMatch(b -> b.contains(address));
    }

    /** Lower case, without the trailing dot of a fully qualified name: the same host however it is written. */
    static String normalise(String host) {
        String h = host.strip().toLowerCase(Locale.ROOT);
        return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    }

    @Override
    public String toString() {
        List<String> all = new ArrayList<>(hosts);
        blocks.forEach(b -> all.add(b.toString()));
        return String.join(",", all);
    }
}
