package io.mcpaudit.router;

import io.mcpaudit.event.Alert;
import io.mcpaudit.event.InventoryEntry;
import io.mcpaudit.event.RiskTier;
import io.mcpaudit.event.ServerLocation;
import io.mcpaudit.event.Severity;
import io.mcpaudit.router.alert.Origin;
import io.mcpaudit.router.alert.RoutedAlert;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Alerts and inventory entries for tests, with every field a page shows filled in. */
public final class TestAlerts {
  public static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

  private TestAlerts() {}

  public static Alert.Builder builder(String category, Severity severity, String dedupKey) {
    return Alert.newBuilder()
        .setAlertId("alert-" + dedupKey.hashCode())
        .setCategory(category)
        .setRuleId("mcp-" + category)
        .setSeverity(severity)
        .setTitle("Token presented to two audiences")
        .setDescription("The same bearer token was used for github and files within 10 minutes.")
        .setSessionId("s-42")
        .setEvidenceEventIds(List.of("e-1", "e-2"))
        .setExcerpt("aud=https://mcp.github.example.com/mcp")
        .setDedupKey(dedupKey)
        .setFirstSeen(T0)
        .setLastSeen(T0.plusSeconds(30))
        .setCount(1)
        .setServerName("github")
        .setUser("alice")
        .setClientAgent("claude-code")
        .setAttributes(new java.util.HashMap<>(Map.of("window", "1h")));
  }

  public static Alert alert(String category, Severity severity, String dedupKey) {
    return builder(category, severity, dedupKey).build();
  }

  public static RoutedAlert routed(Alert alert) {
    return new RoutedAlert(alert, Optional.empty(), Origin.of("test:" + alert.getDedupKey()));
  }

  public static RoutedAlert routed(Alert alert, InventoryEntry server) {
    return new RoutedAlert(alert, Optional.of(server), Origin.of("test:" + alert.getDedupKey()));
  }

  public static InventoryEntry server(String name, String owner, RiskTier tier) {
    return InventoryEntry.newBuilder()
        .setName(name)
        .setOwner(owner)
        .setLocation(ServerLocation.REMOTE)
        .setRiskTier(tier)
        .setUrl("https://mcp." + name + ".example.com/mcp")
        .build();
  }
}
