package io.mcpaudit.rules.net;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import io.mcpaudit.rules.sigma.match.RegexPrefilter;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Finds the network targets in free text such as tool arguments: URL authorities and host-like
 * JSON values ({@code "host": "…"}). Bare addresses in prose are left out on purpose: arguments
 * often carry file contents and logs that mention addresses without requesting them. RE2/J keeps
 * the scan linear.
 */
public final class NetworkTargets {
    private static final Pattern HOST_KEY = Pattern.compile(
            "(?i)\"(?:host|hostname|ip|ip_address|address|addr|server|target)\"\\s*:\\s*\"([^\"\\s/]{1,255})\"");
    private static final RegexPrefilter.Requirement HOST_KEY_PREFILTER = RegexPrefilter.of(HOST_KEY.pattern());
    /** Bounds the targets taken from one huge text. */
    private static final int MAX_TARGETS = 256;

    public List<NetworkTarget> find(String text) {
        Set<NetworkTarget> out = new LinkedHashSet<>();
        boolean urls = text.contains(":/");
        boolean hostKeys = HOST_KEY_PREFILTER.test(RegexPrefilter.fold(text));
        if (!urls && !hostKeys) {
            return List.of();
        }
        List<int[]> urlSpans = new java.util.ArrayList<>();
        int from = 0;
        while (urls && out.size() < MAX_TARGETS) {
            int sep = text.indexOf(":/", from);
            if (sep < 0) {
                break;
            }
            from = sep + 2;
            url(text, sep, urlSpans, out);
        }
        Matcher m = HOST_KEY.matcher(hostKeys ? text : "");
        while (m.find() && out.size() < MAX_TARGETS) {
            if (!inside(urlSpans, m.start(1))) {
                out.add(target(hostOf(m.group(1)), Optional.empty()));
            }
        }
        return List.copyOf(out);
    }

    /**
     * Reads the URL around the "://" (or ":/" for file:/x) at {@code sep}: the scheme is the run
     * of scheme characters before it, the authority runs to the first '/', '?', '#', space,
     * quote or bracket after it. A hand-written scan: a regex here cost more than all rules.
     */
    private static void url(String text, int sep, List<int[]> spans, Set<NetworkTarget> out) {
        int start = sep;
        while (start > 0 && isSchemeChar(text.charAt(start - 1)) && sep - start < 16) {
            start--;
        }
        while (start < sep && !Character.isLetter(text.charAt(start))) {
            start++;
        }
        if (start == sep || start > 0 && Character.isLetterOrDigit(text.charAt(start - 1))) {
            return;
        }
        int hostStart = sep + 1;
        int slashes = 0;
        while (hostStart < text.length() && text.charAt(hostStart) == '/' && slashes < 3) {
            hostStart++;
            slashes++;
        }
        if (slashes < 2) {
            return;
        }
        int end = hostStart;
        while (end < text.length() && !isAuthorityEnd(text.charAt(end))) {
            end++;
        }
        if (end == hostStart) {
            return;
        }
        spans.add(new int[] {start, end});
        out.add(target(hostOf(text.substring(hostStart, end)), Optional.of(text.substring(start, sep).toLowerCase(Locale.ROOT))));
    }

    private static boolean isSchemeChar(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '+' || c == '.' || c == '-';
    }

    private static boolean isAuthorityEnd(char c) {
        return c == '/' || c == '?' || c == '#' || c == '"' || c == '\'' || c == '<' || c == '>' || c == '\\'
                || c == '`' || c == '|' || c == '{' || c == '}' || c == ')' || c == '(' || c == ','
                || Character.isWhitespace(c);
    }

    private static boolean inside(List<int[]> spans, int index) {
        for (int[] s : spans) {
            if (index >= s[0] && index < s[1]) {
                return true;
            }
        }
        return false;
    }

    /** The host of an authority: user info, port and IPv6 brackets removed, lower case. */
    static String hostOf(String authority) {
        String a = authority;
        int at = a.lastIndexOf('@');
        if (at >= 0) {
            a = a.substring(at + 1);
        }
        if (a.startsWith("[")) {
            int close = a.indexOf(']');
            return (close > 0 ? a.substring(0, close + 1) : a).toLowerCase(Locale.ROOT);
        }
        int colon = a.indexOf(':');
        return (colon >= 0 ? a.substring(0, colon) : a).toLowerCase(Locale.ROOT);
    }

    /** Decodes %XX escapes; null when there are none or they do not form valid UTF-8. */
    static String percentDecoded(String s) {
        if (s.indexOf('%') < 0 || s.startsWith("[")) {
            return null;
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < s.length()
                    && Character.digit(s.charAt(i + 1), 16) >= 0 && Character.digit(s.charAt(i + 2), 16) >= 0) {
                out.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                out.write(b, 0, b.length);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static NetworkTarget target(String written, Optional<String> scheme) {
        String decoded = percentDecoded(written);
        String host = decoded == null ? written : decoded.toLowerCase(Locale.ROOT);
        Optional<IpAddresses.HostAddress> addr = IpAddresses.parseHost(host);
        Optional<String> ip = addr.map(a -> IpAddresses.format(a.address()));
        Optional<String> encoding = addr.flatMap(IpAddresses.HostAddress::encoding)
                .map(e -> e.name().toLowerCase(Locale.ROOT));
        if (decoded != null) {
            encoding = Optional.of("percent");
        }
        return new NetworkTarget(host, ip, scheme, encoding);
    }
}
