package dev.tally.servicekit.outbound;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** A CIDR block such as {@code 10.0.0.0/8} or {@code fc00::/7}; a single address is a block of its full length. */
final class AddressBlock {

    private final byte[] network;
    private final int prefixLength;

    private AddressBlock(byte[] network, int prefixLength) {
        this.network = network;
        this.prefixLength = prefixLength;
    }

    static AddressBlock of(byte[] network, int prefixLength) {
        return new AddressBlock(network.clone(), prefixLength);
    }

    /** @throws IllegalArgumentException when the text is not an IP literal, optionally followed by /prefix */
    static AddressBlock parse(String cidr) {
        String text = cidr.strip();
        int slash = text.indexOf('/');
        String address = slash < 0 ? text : text.substring(0, slash);
        byte[] bytes = IpLiteral.parse(address)
                .orElseThrow(() -> new IllegalArgumentException("'" + cidr + "' is not an IP address or CIDR block"))
                .getAddress();
        int prefix = bytes.length * 8;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(text.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + cidr + "' has no prefix length after the /");
            }
            if (prefix < 0 || prefix > bytes.length * 8) {
                throw new IllegalArgumentException("'" + cidr + "' has a prefix length outside 0-" + bytes.length * 8);
            }
        }
        return new AddressBlock(bytes, prefix);
    }

    boolean contains(InetAddress address) {
        return contains(address.getAddress());
    }

    boolean contains(byte[] address) {
        if (address.length != network.length) {
            return false;
        }
        int whole = prefixLength / 8;
        for (int i = 0; i < whole; i++) {
            if (address[i] != network[i]) {
                return false;
            }
        }
        int rest = prefixLength % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff << (8 - rest)) & 0xff;
        return (address[whole] & mask) == (network[whole] & mask);
    }

    @Override
    public String toString() {
        try {
            return InetAddress.getByAddress(network).getHostAddress() + "/" + prefixLength;
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
