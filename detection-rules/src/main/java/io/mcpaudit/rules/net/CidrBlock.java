package io.mcpaudit.rules.net;

import java.util.Optional;

/** An IPv4 or IPv6 network in CIDR notation, for the Sigma {@code cidr} modifier. */
public record CidrBlock(byte[] network, int prefix, String text) {

    /** Parses {@code 10.0.0.0/8}, {@code fc00::/7} or a single address (full-length prefix). */
    public static Optional<CidrBlock> parse(String text) {
        String s = text.strip();
        int slash = s.indexOf('/');
        Optional<byte[]> addr = IpAddresses.parse(slash < 0 ? s : s.substring(0, slash));
        if (addr.isEmpty()) {
            return Optional.empty();
        }
        int bits = addr.get().length * 8;
        int prefix = bits;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(s.substring(slash + 1));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
            if (prefix < 0 || prefix > bits) {
                return Optional.empty();
            }
        }
        return Optional.of(new CidrBlock(addr.get(), prefix, s));
    }

    /** Whether {@code address} (4 or 16 bytes) lies in this network; families never mix. */
    public boolean contains(byte[] address) {
        if (address.length != network.length) {
            return false;
        }
        int full = prefix / 8;
        for (int i = 0; i < full; i++) {
            if (address[i] != network[i]) {
                return false;
            }
        }
        int rest = prefix % 8;
        if (rest == 0) {
            return true;
        }
        int mask = 0xff << (8 - rest) & 0xff;
        return (address[full] & mask) == (network[full] & mask);
    }

    @Override
    public String toString() {
        return text;
    }
}
