package io.mcpaudit.router.guard;

import io.mcpaudit.router.config.Endpoint;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Keeps the router from being turned against its own network (SSRF): a destination must be
 * https and every address its host resolves to must be public. Loopback, private (10/8,
 * 172.16/12, 192.168/16, 100.64/10, fc00::/7), link-local (169.254/16, cloud metadata,
 * fe80::/10), unspecified and multicast addresses are refused, including IPv4 addresses embedded
 * in IPv6 ones. The check runs when the configuration loads and again before every request,
 * because DNS answers change; redirects are never followed. {@code allow_insecure_destinations:
 * true} turns all of it off (for tests and labs only).
 */
public final class DestinationGuard {
  private static final Pattern NUMERIC_HOST = Pattern.compile("(?i)[0-9a-fx.]+");

  /** Resolves host names; tests substitute their own. */
  @FunctionalInterface
  public interface HostResolver {
    InetAddress[] resolve(String host) throws UnknownHostException;

    static HostResolver system() {
      return InetAddress::getAllByName;
    }
  }

  private final boolean allowInsecure;
  private final HostResolver resolver;

  public DestinationGuard(boolean allowInsecure, HostResolver resolver) {
    this.allowInsecure = allowInsecure;
    this.resolver = resolver;
  }

  public boolean allowsInsecure() {
    return allowInsecure;
  }

  /**
   * The part of the check that needs no DNS: the scheme, {@code localhost}, and hosts written as
   * IP literals. Runs when the configuration is loaded.
   */
  public static void checkStatically(Endpoint endpoint, boolean allowInsecure) {
    if (allowInsecure) {
      return;
    }
    try {
      requireHttps(endpoint);
      String host = bareHost(endpoint);
      if (host.equals("localhost") || host.endsWith(".localhost")) {
        throw new ForbiddenDestinationException(endpoint.display() + " names localhost; destinations must be"
            + " public (set allow_insecure_destinations: true only for tests)");
      }
      if (host.contains(":") || NUMERIC_HOST.matcher(host).matches()) {
        InetAddress literal;
        try {
          literal = InetAddress.getByName(host);
        } catch (UnknownHostException e) {
          return; // not a literal after all; the full check resolves it
        }
        Optional<String> why = forbiddenReason(literal);
        if (why.isPresent()) {
          throw forbidden(endpoint, literal, why.get());
        }
      }
    } catch (ForbiddenDestinationException e) {
      throw new IllegalArgumentException(e.getMessage());
    }
  }

  /**
   * The full check, before each request: https, and every resolved address public.
   *
   * @throws ForbiddenDestinationException the destination must not be called (a permanent failure)
   * @throws UnknownHostException the host does not resolve right now (worth retrying)
   */
  public void check(Endpoint endpoint) throws ForbiddenDestinationException, UnknownHostException {
    if (allowInsecure) {
      return;
    }
    requireHttps(endpoint);
    String host = bareHost(endpoint);
    InetAddress[] addresses = resolver.resolve(host);
    if (addresses.length == 0) {
      throw new UnknownHostException(host);
    }
    for (InetAddress address : addresses) {
      Optional<String> why = forbiddenReason(address);
      if (why.isPresent()) {
        throw forbidden(endpoint, address, why.get());
      }
    }
  }

  /**
   * The full check for every destination at start: a refused destination stops the router with
   * a message naming it; a host that does not resolve yet is only reported (DNS may be late).
   *
   * @return warnings about destinations whose host does not resolve right now
   */
  public java.util.List<String> verifyAtStart(java.util.Map<String, Endpoint> endpoints) {
    java.util.List<String> warnings = new java.util.ArrayList<>();
    java.util.List<String> refused = new java.util.ArrayList<>();
    endpoints.forEach((name, endpoint) -> {
      try {
        check(endpoint);
      } catch (ForbiddenDestinationException e) {
        refused.add("destinations." + name + ": " + e.getMessage());
      } catch (UnknownHostException e) {
        warnings.add("destination " + name + ": host of " + endpoint.display() + " does not resolve yet");
      }
    });
    if (!refused.isEmpty()) {
      throw new IllegalArgumentException("refusing to start: " + String.join("; ", refused));
    }
    return warnings;
  }

  /** Why an address is not a public destination, or empty when it is one. */
  public static Optional<String> forbiddenReason(InetAddress address) {
    if (address instanceof Inet6Address v6) {
      byte[] b = v6.getAddress();
      Optional<InetAddress> embedded = embeddedIpv4(b);
      if (embedded.isPresent()) {
        return forbiddenReason(embedded.get()).map(r -> r + ", embedded in an IPv6 address");
      }
      if ((b[0] & 0xfe) == 0xfc) {
        return Optional.of("a private address (fc00::/7)");
      }
    }
    if (address.isAnyLocalAddress()) {
      return Optional.of("the unspecified address");
    }
    if (address.isLoopbackAddress()) {
      return Optional.of("a loopback address");
    }
    if (address.isLinkLocalAddress()) {
      return Optional.of(address instanceof Inet4Address
          ? "a link-local address (169.254.0.0/16, where cloud metadata services live)"
          : "a link-local address (fe80::/10)");
    }
    if (address.isSiteLocalAddress()) {
      return Optional.of(address instanceof Inet4Address
          ? "a private address (10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16)"
          : "a site-local address (fec0::/10)");
    }
    if (address.isMulticastAddress()) {
      return Optional.of("a multicast address");
    }
    if (address instanceof Inet4Address) {
      byte[] b = address.getAddress();
      int first = b[0] & 0xff;
      int second = b[1] & 0xff;
      if (first == 0) {
        return Optional.of("the unspecified network (0.0.0.0/8)");
      }
      if (first == 100 && second >= 64 && second <= 127) {
        return Optional.of("a private address (100.64.0.0/10, carrier-grade NAT)");
      }
      if (first == 255) {
        return Optional.of("the broadcast address");
      }
    }
    return Optional.empty();
  }

  /** IPv4-compatible (::a.b.c.d), IPv4-mapped (::ffff:a.b.c.d, when not already unwrapped) and NAT64 (64:ff9b::/96). */
  private static Optional<InetAddress> embeddedIpv4(byte[] b) {
    boolean zeros80 = true;
    for (int i = 0; i < 10; i++) {
      zeros80 &= b[i] == 0;
    }
    boolean compatible = zeros80 && b[10] == 0 && b[11] == 0 && !(b[12] == 0 && b[13] == 0 && b[14] == 0);
    boolean mapped = zeros80 && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
    boolean nat64 = (b[0] & 0xff) == 0x00 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b;
    for (int i = 4; nat64 && i < 12; i++) {
      nat64 = b[i] == 0;
    }
    if (!(compatible || mapped || nat64)) {
      return Optional.empty();
    }
    try {
      return Optional.of(InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]}));
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }

  private static void requireHttps(Endpoint endpoint) throws ForbiddenDestinationException {
    if (!"https".equalsIgnoreCase(endpoint.uri().getScheme())) {
      throw new ForbiddenDestinationException(endpoint.display() + " is not https; pages carry alert details and"
          + " credentials, so destinations must use TLS (allow_insecure_destinations: true lifts this for tests)");
    }
  }

  private static String bareHost(Endpoint endpoint) throws ForbiddenDestinationException {
    if (endpoint.uri().getHost() == null) {
      throw new ForbiddenDestinationException(endpoint.display() + " has no host name the router can check");
    }
    String host = endpoint.uri().getHost().toLowerCase(Locale.ROOT);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    if (host.endsWith(".")) {
      host = host.substring(0, host.length() - 1);
    }
    return host;
  }

  private static ForbiddenDestinationException forbidden(Endpoint endpoint, InetAddress address, String why) {
    return new ForbiddenDestinationException(endpoint.display() + " resolves to " + address.getHostAddress()
        + ", " + why
        + "; the router only calls public addresses (allow_insecure_destinations: true lifts this for tests)");
  }
}
