package dev.tally.servicekit.outbound;

import java.io.IOException;
import java.net.InetAddress;

/**
 * A host a tenant gave that Tally will not call. An {@link IOException}, so that at connect time it fails the
 * connection the way any network error does, through HTTP clients and socket factories alike.
 */
public final class RefusedAddressException extends IOException {

    private final String host;
    private final String reason;

    private RefusedAddressException(String message, String host, String reason) {
        super(message);
        this.host = host;
        this.reason = reason;
    }

    private RefusedAddressException(String host, String reason) {
        this(host + " " + reason, host, reason);
    }

    static RefusedAddressException refusedAddress(String host, InetAddress address, String kind) {
        String article = "aeiou".indexOf(kind.charAt(0)) >= 0 ? "an " : "a ";
        String refused = article + kind + " address, which Tally does not call";
        String ip = address.getHostAddress();
        if (IpLiteral.parse(host).isPresent()) {
            return new RefusedAddressException(ip + " is " + refused, host, "is " + ip + ", " + refused);
        }
        return new RefusedAddressException(host, "resolves to " + ip + ", " + refused);
    }

    static RefusedAddressException metadataName(String host) {
        return new RefusedAddressException(host, "names a cloud metadata service, which Tally does not call");
    }

    static RefusedAddressException unresolvable(String host) {
        return new RefusedAddressException(host, "does not resolve to an address");
    }

    public String host() {
        return host;
    }

    /** Why, without the host: for an API error that names the field the host came from. */
    public String reason() {
        return reason;
    }
}
