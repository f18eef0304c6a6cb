package io.mcpaudit.streams;

import io.mcpaudit.event.Alert;
import io.mcpaudit.event.AuditEvent;
import io.mcpaudit.event.InventoryEntry;
import io.mcpaudit.streams.detect.chain.ToolRisk;
import io.mcpaudit.streams.offline.OfflineDetection;
import io.mcpaudit.streams.rules.RuleStage;
import io.mcpaudit.streams.topology.DetectorCatalog;
import java.time.Duration;
import java.util.List;

/** Runs events through the real detection topology (in-process) for tests. */
public final class Replay {
  private Replay() {}

  public static OfflineDetection.Result run(List<AuditEvent> events) {
    return run(events, List.of(), RuleStage.none());
  }

  public static OfflineDetection.Result run(List<AuditEvent> events, List<InventoryEntry> inventory, RuleStage rules) {
    return new OfflineDetection(rules, DetectorCatalog.defaults(), ToolRisk.defaults(), rule -> Duration.ofMinutes(10))
        .run(events, inventory);
  }

  public static List<Alert> alerts(List<AuditEvent> events, String category) {
    return run(events).alerts().stream().filter(a -> a.getCategory().equals(category)).toList();
  }
}
