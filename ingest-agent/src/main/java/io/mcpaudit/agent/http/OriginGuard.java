package io.mcpaudit.agent.http;

import io.mcpaudit.agent.config.HostPort;
import io.mcpaudit.agent.config.HttpSettings;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The DNS-rebinding defence the MCP transport specification asks of HTTP servers: the
 * {@code Host} a request was sent to and the {@code Origin} of a browser page that sent it
 * must be on allow-lists. A page on an attacker's domain that re-points its name at
 * 127.0.0.1 still sends its own name as Host and its own origin, and is refused.
 *
 * <p>Defaults follow the listen address: on loopback only loopback names and origins pass;
 * on a specific address that address passes too (and no browser origin); on every
 * interface any Host passes unless {@code http.allowed-hosts} narrows it.
 */
final class OriginGuard {
  private static final List<String> LOOPBACK_NAMES = List.of("localhost", "127.0.0.1", "::1");

  private record Allowed(String host, int port) {
    boolean matches(String otherHost, int otherPort) {
      return host.equals(otherHost) && (port < 0 || port == otherPort);
    }
  }

  private record AllowedOrigin(String scheme, String host, int port) {}

  private final boolean anyHost;
  private final List<Allowed> hosts = new ArrayList<>();
  private final boolean anyOrigin;
  private final boolean loopbackOrigins;
  private final List<AllowedOrigin> origins = new ArrayList<>();

  OriginGuard(HttpSettings settings, HostPort listen) {
    if (settings.allowedHosts().isEmpty()) {
      anyHost = listen.isWildcard();
      LOOPBACK_NAMES.forEach(name -> hosts.add(new Allowed(name, -1)));
      if (!listen.isLoopback() && !listen.isWildcard()) {
        hosts.add(new Allowed(normalize(listen.host()), -1));
      }
    } else {
      anyHost = settings.allowedHosts().contains("*");
      for (String entry : settings.allowedHosts()) {
        if (!entry.equals("*")) {
          HostAndPort parsed = HostAndPort.parse(entry);
          if (parsed != null) {
            hosts.add(new Allowed(parsed.host(), parsed.port()));
          }
        }
      }
    }
    if (settings.allowedOrigins().isEmpty()) {
      anyOrigin = false;
      loopbackOrigins = listen.isLoopback();
    } else {
      anyOrigin = settings.allowedOrigins().contains("*");
      loopbackOrigins = false;
      for (String entry : settings.allowedOrigins()) {
        if (!entry.equals("*")) {
          origin(entry).ifPresent(origins::add);
        }
      }
    }
  }

  /** Whether any Host value passes (listening on every interface without an allow-list). */
  boolean acceptsAnyHost() {
    return anyHost;
  }

  /** Why the request must be refused, or empty when its Host and Origin pass. */
  Optional<String> check(String hostHeader, String originHeader) {
    if (hostHeader != null && !anyHost) {
      HostAndPort host = HostAndPort.parse(hostHeader.trim());
      if (host == null || hosts.stream().noneMatch(allowed -> allowed.matches(host.host(), host.port()))) {
        return Optional.of("Host '" + printable(hostHeader) + "' is not allowed (DNS rebinding protection);"
            + " the agent's operator can allow it with http.allowed-hosts");
      }
    }
    if (originHeader != null && !anyOrigin) {
      Optional<AllowedOrigin> origin = origin(originHeader.trim());
      boolean allowed = origin.isPresent() && (loopbackOrigins && isLoopback(origin.get().host())
          || origins.contains(origin.get()));
      if (!allowed) {
        return Optional.of("Origin '" + printable(originHeader) + "' is not allowed (DNS rebinding protection);"
            + " the agent's operator can allow it with http.allowed-origins");
      }
    }
    return Optional.empty();
  }

  private static boolean isLoopback(String host) {
    return host.equals("localhost") || host.startsWith("127.") || host.equals("::1");
  }

  private static Optional<AllowedOrigin> origin(String text) {
    try {
      URI uri = new URI(text);
      String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
      if (uri.getHost() == null || !("http".equals(scheme) || "https".equals(scheme))) {
        return Optional.empty();
      }
      int port = uri.getPort() >= 0 ? uri.getPort() : "https".equals(scheme) ? 443 : 80;
      return Optional.of(new AllowedOrigin(scheme, normalize(uri.getHost()), port));
    } catch (URISyntaxException e) {
      return Optional.empty();
    }
  }

  static String normalize(String host) {
    String lower = host.toLowerCase(Locale.ROOT);
    if (lower.startsWith("[") && lower.endsWith("]")) {
      lower = lower.substring(1, lower.length() - 1);
    }
    if (lower.endsWith(".")) {
      lower = lower.substring(0, lower.length() - 1);
    }
    return lower;
  }

  /** What goes into a refusal message: no control characters, bounded length. */
  static String printable(String text) {
    String cleaned = text.replaceAll("[\\p{Cntrl}]", "?");
    return cleaned.length() > 200 ? cleaned.substring(0, 200) + "…" : cleaned;
  }

  /** A {@code host}, {@code host:port} or {@code [v6]:port}; port -1 when absent. */
  record HostAndPort(String host, int port) {
    static HostAndPort parse(String text) {
      String host;
      String port = null;
      if (text.startsWith("[")) {
        int close = text.indexOf(']');
        if (close < 0) {
          return null;
        }
        host = text.substring(1, close);
        if (close + 1 < text.length()) {
          if (text.charAt(close + 1) != ':') {
            return null;
          }
          port = text.substring(close + 2);
        }
      } else {
        int colon = text.lastIndexOf(':');
        if (colon >= 0 && text.indexOf(':') != colon) {
          return null; // bare IPv6 without brackets is not a valid Host
        }
        host = colon < 0 ? text : text.substring(0, colon);
        port = colon < 0 ? null : text.substring(colon + 1);
      }
      if (host.isEmpty()) {
        return null;
      }
      int number = -1;
      if (port != null) {
        if (port.isEmpty() || port.length() > 5) {
          return null;
        }
        number = 0;
        for (int i = 0; i < port.length(); i++) {
          char c = port.charAt(i);
          if (c < '0' || c > '9') {
            return null;
          }
          number = number * 10 + (c - '0');
        }
      }
      return new HostAndPort(normalize(host), number);
    }
  }
}
