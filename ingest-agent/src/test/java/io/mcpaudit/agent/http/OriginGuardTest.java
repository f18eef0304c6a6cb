package io.mcpaudit.agent.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcpaudit.agent.config.HostPort;
import io.mcpaudit.agent.config.HttpSettings;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OriginGuardTest {
  private static HttpSettings settings(List<String> hosts, List<String> origins) {
    return new HttpSettings(Optional.empty(), Optional.empty(), 1024, 8192, hosts, origins, Duration.ofMinutes(1),
        false);
  }

  private static HostPort listen(String text) {
    return HostPort.parse(text, new StringBuilder()).orElseThrow();
  }

  @Test
  void onLoopbackOnlyLoopbackNamesAndOriginsPass() {
    OriginGuard guard = new OriginGuard(settings(List.of(), List.of()), listen("127.0.0.1:8080"));
    assertThat(guard.check("127.0.0.1:8080", null)).isEmpty();
    assertThat(guard.check("localhost:8080", "http://localhost:6274")).isEmpty();
    assertThat(guard.check("[::1]:8080", "http://127.0.0.1:3000")).isEmpty();
    assertThat(guard.check(null, null)).isEmpty();
    // A rebinding page: its own name as Host, its own origin.
    assertThat(guard.check("attacker.example:8080", null)).get().asString()
        .contains("Host 'attacker.example:8080' is not allowed").contains("http.allowed-hosts");
    assertThat(guard.check("localhost:8080", "http://attacker.example")).get().asString()
        .contains("Origin 'http://attacker.example' is not allowed").contains("http.allowed-origins");
    assertThat(guard.check("localhost:8080", "null")).isPresent();
  }

  @Test
  void configuredListsReplaceTheDefaultsAndPortsMatchWhenGiven() {
    OriginGuard guard = new OriginGuard(settings(List.of("mcp-proxy.internal", "localhost:8080"),
        List.of("https://app.example.com")), listen("0.0.0.0:8080"));
    assertThat(guard.check("MCP-Proxy.Internal:9999", "https://app.example.com:443")).isEmpty();
    assertThat(guard.check("localhost:8080", null)).isEmpty();
    assertThat(guard.check("localhost:8081", null)).isPresent();
    assertThat(guard.check("127.0.0.1:8080", null)).isPresent();
    assertThat(guard.check("mcp-proxy.internal", "http://app.example.com")).isPresent();
    assertThat(guard.check("mcp-proxy.internal", "http://localhost:6274")).isPresent();
  }

  @Test
  void everyInterfaceWithoutAListAcceptsAnyHostButNoBrowserOrigin() {
    OriginGuard guard = new OriginGuard(settings(List.of(), List.of()), listen(":8080"));
    assertThat(guard.acceptsAnyHost()).isTrue();
    assertThat(guard.check("whatever.example", null)).isEmpty();
    assertThat(guard.check("whatever.example", "http://localhost:3000")).isPresent();
    OriginGuard open = new OriginGuard(settings(List.of("*"), List.of("*")), listen("10.0.0.5:8080"));
    assertThat(open.check("x", "https://y.example")).isEmpty();
  }

  @Test
  void malformedHostsAreRefusedAndControlCharactersNeverEchoed() {
    OriginGuard guard = new OriginGuard(settings(List.of(), List.of()), listen("127.0.0.1:8080"));
    assertThat(guard.check("::1", null)).isPresent();
    assertThat(guard.check("localhost:http", null)).isPresent();
    assertThat(guard.check("evil\r\nX: y", null)).get().asString().doesNotContain("\r").doesNotContain("\n");
  }
}
