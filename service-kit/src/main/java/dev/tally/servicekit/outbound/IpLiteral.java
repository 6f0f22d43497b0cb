package dev.tally.servicekit.outbound;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads an IP literal without asking DNS. {@link InetAddress#getByName} looks up whatever it cannot read as a
 * literal, so only text that is certainly one (a dotted quad of 0-255, or hex digits and colons) is given to it.
 * Anything else is a host name, and goes to the resolver and then the address check.
 */
final class IpLiteral {

    private static final Pattern DOTTED_QUAD = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)"
            + "(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:][0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*(%[A-Za-z0-9_.-]+)?");

    private IpLiteral() {
    }

    /** @param host a host as in a URL: an IPv6 literal may be in brackets */
    static Optional<InetAddress> parse(String host) {
        String text = host.strip();
        if (text.startsWith("[") && text.endsWith("]")) {
            text = text.substring(1, text.length() - 1);
        }
        if (!DOTTED_QUAD.matcher(text).matches() && !IPV6.matcher(text).matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByName(text));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }
}
