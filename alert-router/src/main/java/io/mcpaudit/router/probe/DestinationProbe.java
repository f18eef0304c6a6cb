package io.mcpaudit.router.probe;

import io.mcpaudit.event.Alert;
import io.mcpaudit.event.Severity;
import io.mcpaudit.router.alert.AlertCategories;
import io.mcpaudit.router.alert.Origin;
import io.mcpaudit.router.alert.RoutedAlert;
import io.mcpaudit.router.config.RoutingConfig;
import io.mcpaudit.router.delivery.Delivery;
import io.mcpaudit.router.delivery.DeliveryResult;
import io.mcpaudit.router.destination.Destination;
import io.mcpaudit.router.destination.Destinations;
import io.mcpaudit.router.destination.Page;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code mcp-audit route test}: one low-severity test alert (category {@code route-test}, outside
 * the detection vocabulary) to every destination, with the same request format, retries and guard
 * as real pages, so a success means real pages will arrive.
 */
public final class DestinationProbe {
  private DestinationProbe() {}

  /** How one destination answered. */
  public record Result(String destination, String type, String endpoint, DeliveryResult delivery) {}

  public static List<Result> testAll(RoutingConfig config, Delivery delivery, Instant now) {
    List<Result> results = new ArrayList<>();
    for (Map.Entry<String, Destination> e : Destinations.create(config).entrySet()) {
      Destination destination = e.getValue();
      Page page = new Page.AlertPage("route-test", testAlert(destination.name(), now));
      results.add(new Result(destination.name(), destination.config().type(), destination.endpoint().display(),
          delivery.deliver(destination, page)));
    }
    return results;
  }

  static RoutedAlert testAlert(String destination, Instant now) {
    String dedupKey = "mcp-audit-route-test|" + destination + "|" + now.getEpochSecond();
    Alert alert = Alert.newBuilder()
        .setAlertId("route-test-" + now.toEpochMilli())
        .setCategory(AlertCategories.ROUTE_TEST)
        .setRuleId("mcp-audit-route-test")
        .setSeverity(Severity.LOW)
        .setTitle("mcp-audit routing test: " + destination + " receives pages")
        .setDescription("Sent by 'mcp-audit route test' to check this destination. No action is needed.")
        .setSessionId("route-test")
        .setEvidenceEventIds(List.of())
        .setDedupKey(dedupKey)
        .setFirstSeen(now)
        .setLastSeen(now)
        .build();
    return new RoutedAlert(alert, Optional.empty(), Origin.of("route test"));
  }
}
