package io.mcpaudit.router.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mcpaudit.router.config.Endpoint;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which addresses the router refuses to call, however they are written or resolved. */
class DestinationGuardTest {

  private static DestinationGuard resolvingTo(String... addresses) {
    return new DestinationGuard(false, host -> {
      InetAddress[] out = new InetAddress[addresses.length];
      for (int i = 0; i < addresses.length; i++) {
        out[i] = InetAddress.getByName(addresses[i]);
      }
      return out;
    });
  }

  private static Endpoint url(String url) {
    return Endpoint.of(URI.create(url));
  }

  @Test
  void internalAddressesAreRefusedWithTheRangeNamed() throws Exception {
    Map<String, String> cases = Map.ofEntries(
        Map.entry("127.0.0.1", "loopback"),
        Map.entry("127.8.9.10", "loopback"),
        Map.entry("::1", "loopback"),
        Map.entry("10.0.0.1", "private address (10.0.0.0/8"),
        Map.entry("172.16.0.1", "private address"),
        Map.entry("172.31.255.254", "private address"),
        Map.entry("192.168.10.10", "private address"),
        Map.entry("100.64.0.1", "carrier-grade NAT"),
        Map.entry("fc00::1", "private address (fc00::/7)"),
        Map.entry("fd12:3456::1", "private address (fc00::/7)"),
        Map.entry("169.254.169.254", "link-local address (169.254.0.0/16"),
        Map.entry("fe80::1", "link-local address (fe80::/10)"),
        Map.entry("0.0.0.0", "unspecified"),
        Map.entry("::", "unspecified"),
        Map.entry("0.1.2.3", "unspecified network"),
        Map.entry("224.0.0.1", "multicast"),
        Map.entry("::ffff:10.1.1.1", "private address"),
        Map.entry("::127.0.0.1", "loopback address, embedded in an IPv6 address"),
        Map.entry("64:ff9b::a9fe:a9fe", "link-local address (169.254.0.0/16, where cloud metadata services live),"
            + " embedded"));
    for (Map.Entry<String, String> c : cases.entrySet()) {
      assertThatThrownBy(() -> resolvingTo(c.getKey()).check(url("https://hooks.example.com/x")))
          .as(c.getKey())
          .isInstanceOf(ForbiddenDestinationException.class)
          .hasMessageContaining("resolves to")
          .hasMessageContaining(c.getValue());
    }
  }

  @Test
  void publicAddressesPass() throws Exception {
    for (String address : List.of("93.184.215.14", "8.8.8.8", "172.32.0.1", "100.128.0.1", "2606:4700::1111",
        "192.169.0.1")) {
      resolvingTo(address).check(url("https://hooks.example.com/x"));
    }
  }

  @Test
  void oneInternalAnswerAmongPublicOnesIsEnoughToRefuse() {
    assertThatThrownBy(() -> resolvingTo("93.184.215.14", "10.9.8.7").check(url("https://hooks.example.com/x")))
        .isInstanceOf(ForbiddenDestinationException.class).hasMessageContaining("10.9.8.7");
  }

  @Test
  void plainHttpIsRefused() {
    assertThatThrownBy(() -> resolvingTo("93.184.215.14").check(url("http://hooks.example.com/x")))
        .isInstanceOf(ForbiddenDestinationException.class).hasMessageContaining("is not https");
  }

  @Test
  void aNameThatDoesNotResolveIsNotAVerdict() {
    DestinationGuard guard = new DestinationGuard(false, host -> {
      throw new UnknownHostException(host);
    });
    assertThatThrownBy(() -> guard.check(url("https://hooks.example.com/x"))).isInstanceOf(UnknownHostException.class);
    assertThat(guard.verifyAtStart(Map.of("hook", url("https://hooks.example.com/x"))))
        .containsExactly("destination hook: host of https://hooks.example.com/x does not resolve yet");
  }

  @Test
  void atStartARefusedDestinationStopsTheRouter() {
    assertThatThrownBy(() -> resolvingTo("192.168.1.1").verifyAtStart(Map.of("hook", url("https://intranet.example/x"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("refusing to start: destinations.hook: https://intranet.example/x resolves to"
            + " 192.168.1.1, a private address");
  }

  @Test
  void literalsAndLocalhostAreCaughtWithoutDns() {
    for (String url : List.of("https://localhost:8443/x", "https://api.localhost/x", "https://127.1/x",
        "https://[::1]/x", "https://169.254.169.254/x", "https://[::ffff:169.254.169.254]/x")) {
      assertThatThrownBy(() -> DestinationGuard.checkStatically(url(url), false)).as(url)
          .isInstanceOf(IllegalArgumentException.class);
    }
    DestinationGuard.checkStatically(url("https://events.pagerduty.com/v2/enqueue"), false);
    DestinationGuard.checkStatically(url("http://localhost:8080/x"), true);
  }

  @Test
  void allowingInsecureDestinationsTurnsTheGuardOff() throws Exception {
    new DestinationGuard(true, host -> new InetAddress[] {InetAddress.getLoopbackAddress()})
        .check(url("http://localhost:8080/x"));
  }
}
