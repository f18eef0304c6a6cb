package io.mcpaudit.router.file;

import io.mcpaudit.event.Alert;
import io.mcpaudit.router.alert.AlertJson;
import io.mcpaudit.router.alert.Origin;
import io.mcpaudit.router.alert.RoutedAlert;
import io.mcpaudit.router.config.RoutingConfig;
import io.mcpaudit.router.delivery.Delivery;
import io.mcpaudit.router.destination.Destinations;
import io.mcpaudit.router.noise.InMemoryLedger;
import io.mcpaudit.router.routing.AlertRouter;
import io.mcpaudit.router.routing.DeadLetterSink;
import io.mcpaudit.router.routing.InventoryLookup;
import io.mcpaudit.router.routing.RoutingOutcome;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Routes the alerts of a JSON Lines file once ({@code mcp-audit route --input}), to try a
 * configuration: each line in the flat alert form, time taken from the alerts' {@code last_seen}
 * so dedup windows and storm minutes behave as they would have live. Dedup state lives only for
 * the run; nothing is read from or written to Kafka.
 */
public final class AlertFileRouting {
  private AlertFileRouting() {}

  /** Counts per outcome, and lines that were not alerts. */
  public record Summary(int alerts, int badLines, Map<RoutingOutcome.Kind, Integer> outcomes) {
    public int count(RoutingOutcome.Kind kind) {
      return outcomes.getOrDefault(kind, 0);
    }
  }

  /**
   * @param outcomes receives every outcome as it happens
   * @param problems receives one message per line that is not an alert
   */
  public static Summary run(RoutingConfig config, Path input, InventoryLookup inventory, Delivery delivery,
                            Consumer<RoutingOutcome> outcomes, Consumer<String> problems) throws IOException {
    AlertRouter router = new AlertRouter(config, Destinations.create(config), delivery, new InMemoryLedger(),
        DeadLetterSink.none());
    Map<RoutingOutcome.Kind, Integer> counts = new EnumMap<>(RoutingOutcome.Kind.class);
    Consumer<RoutingOutcome> counting = o -> {
      counts.merge(o.kind(), 1, Integer::sum);
      outcomes.accept(o);
    };
    int alerts = 0;
    int bad = 0;
    Instant clock = null;
    String name = input.getFileName() == null ? input.toString() : input.getFileName().toString();
    try (BufferedReader reader = Files.newBufferedReader(input, StandardCharsets.UTF_8)) {
      String line;
      int number = 0;
      while ((line = reader.readLine()) != null) {
        number++;
        if (line.isBlank()) {
          continue;
        }
        Alert alert;
        try {
          alert = AlertJson.parse(line, clock == null ? Clock.systemUTC().instant() : clock);
        } catch (IllegalArgumentException e) {
          bad++;
          problems.accept(name + ":" + number + ": " + e.getMessage());
          continue;
        }
        alerts++;
        Instant now = alert.getLastSeen();
        clock = clock == null || now.isAfter(clock) ? now : clock;
        router.flushDue(clock).forEach(counting);
        RoutedAlert routed = new RoutedAlert(alert, inventory.find(alert.getServerName()),
            Origin.of(name + ":" + number));
        router.route(routed, clock).forEach(counting);
      }
    }
    router.flushAll(clock == null ? Instant.EPOCH : clock).forEach(counting);
    return new Summary(alerts, bad, Map.copyOf(counts));
  }
}
