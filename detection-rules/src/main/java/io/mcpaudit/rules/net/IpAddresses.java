package io.mcpaudit.rules.net;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * Parses IP address literals without ever resolving names. {@link #parse} accepts the canonical
 * forms a log field holds; {@link #parseHost} also accepts every form an HTTP client would
 * connect to (the BSD {@code inet_aton} forms: decimal, hex, octal, short), which is how SSRF
 * payloads hide loopback and metadata addresses.
 */
public final class IpAddresses {

    /** How a host was written, when it was not a plain dotted-quad or canonical IPv6 literal. */
    public enum Encoding { DECIMAL, HEX, OCTAL, SHORT, IPV4_MAPPED }

    /** An address parsed from a host, with the unusual encoding it used, if any. */
    public record HostAddress(byte[] address, Optional<Encoding> encoding) {
    }

    private IpAddresses() {
    }

    /** A canonical IPv4 (dotted decimal) or IPv6 literal, brackets and zone id allowed. */
    public static Optional<byte[]> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String s = stripBracketsAndZone(text.strip());
        if (s.indexOf(':') >= 0) {
            return parseIpv6(s);
        }
        return parseDottedQuad(s);
    }

    /** Any host form a client would connect to as an IP address, or empty for a name. */
    public static Optional<HostAddress> parseHost(String host) {
        String s = stripBracketsAndZone(host.strip());
        if (s.indexOf(':') >= 0) {
            Optional<byte[]> v6 = parseIpv6(s);
            if (v6.isEmpty()) {
                return Optional.empty();
            }
            // Java returns an IPv4 address for ::ffff:a.b.c.d; the 16-byte form never reaches here.
            boolean mapped = v6.get().length == 4;
            return Optional.of(new HostAddress(v6.get(), mapped ? Optional.of(Encoding.IPV4_MAPPED) : Optional.empty()));
        }
        return parseInetAton(s);
    }

    private static String stripBracketsAndZone(String s) {
        if (s.startsWith("[") && s.endsWith("]")) {
            s = s.substring(1, s.length() - 1);
        }
        int zone = s.indexOf('%');
        return zone >= 0 && s.indexOf(':') >= 0 ? s.substring(0, zone) : s;
    }

    private static Optional<byte[]> parseDottedQuad(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return Optional.empty();
        }
        byte[] out = new byte[4];
        for (int i = 0; i < 4; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)) {
                return Optional.empty();
            }
            int v = Integer.parseInt(p);
            if (v > 255) {
                return Optional.empty();
            }
            out[i] = (byte) v;
        }
        return Optional.of(out);
    }

    private static Optional<byte[]> parseIpv6(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = c == ':' || c == '.' || Character.digit(c, 16) >= 0;
            if (!ok) {
                return Optional.empty();
            }
        }
        try {
            // Only hex digits, ':' and '.' reach this call, so it parses and never does DNS.
            InetAddress a = InetAddress.getByName(s);
            byte[] bytes = a.getAddress();
            if (a instanceof Inet4Address) {
                return Optional.of(bytes);
            }
            if (isIpv4Mapped(bytes)) {
                return Optional.of(new byte[] {bytes[12], bytes[13], bytes[14], bytes[15]});
            }
            return Optional.of(bytes);
        } catch (UnknownHostException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static boolean isIpv4Mapped(byte[] b) {
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return b[10] == (byte) 0xff && b[11] == (byte) 0xff;
    }

    /** The inet_aton grammar: 1–4 parts, each decimal, 0x-hex or 0-octal; the last fills the rest. */
    private static Optional<HostAddress> parseInetAton(String s) {
        if (s.isEmpty() || s.endsWith(".")) {
            return Optional.empty();
        }
        String[] parts = s.split("\\.", -1);
        if (parts.length > 4) {
            return Optional.empty();
        }
        long[] values = new long[parts.length];
        Encoding encoding = null;
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i].toLowerCase(java.util.Locale.ROOT);
            int radix = 10;
            String digits = p;
            if (p.startsWith("0x")) {
                radix = 16;
                digits = p.substring(2);
                encoding = Encoding.HEX;
            } else if (p.length() > 1 && p.startsWith("0")) {
                radix = 8;
                digits = p.substring(1);
                encoding = encoding == null ? Encoding.OCTAL : encoding;
            }
            if (digits.isEmpty() && radix == 16 || digits.length() > 12) {
                return Optional.empty();
            }
            long v = 0;
            for (int k = 0; k < digits.length(); k++) {
                int d = Character.digit(digits.charAt(k), radix);
                if (d < 0) {
                    return Optional.empty();
                }
                v = v * radix + d;
            }
            values[i] = v;
        }
        long addr = 0;
        for (int i = 0; i < parts.length - 1; i++) {
            if (values[i] > 255) {
                return Optional.empty();
            }
            addr |= values[i] << (8 * (3 - i));
        }
        long last = values[parts.length - 1];
        long max = (1L << (8 * (5 - parts.length))) - 1;
        if (last > max) {
            return Optional.empty();
        }
        addr |= last;
        if (encoding == null && parts.length == 1) {
            encoding = Encoding.DECIMAL;
        } else if (encoding == null && parts.length < 4) {
            encoding = Encoding.SHORT;
        }
        byte[] out = {(byte) (addr >>> 24), (byte) (addr >>> 16), (byte) (addr >>> 8), (byte) addr};
        return Optional.of(new HostAddress(out, Optional.ofNullable(encoding)));
    }

    /** Canonical text: dotted quad for IPv4, RFC 5952 style (compressed, lower case) for IPv6. */
    public static String format(byte[] address) {
        if (address.length == 4) {
            return (address[0] & 0xff) + "." + (address[1] & 0xff) + "." + (address[2] & 0xff) + "." + (address[3] & 0xff);
        }
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = (address[2 * i] & 0xff) << 8 | address[2 * i + 1] & 0xff;
        }
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                b.append("::");
                i += bestLen - 1;
                continue;
            }
            if (b.length() > 0 && b.charAt(b.length() - 1) != ':') {
                b.append(':');
            }
            b.append(Integer.toHexString(groups[i]));
        }
        return b.toString();
    }
}
