package io.mcpaudit.streams.detect;

import io.mcpaudit.event.Alert;
import io.mcpaudit.event.AuditEvent;
import java.util.List;

/**
 * An event together with what the rule engine found in it. Chain-aware detectors use the rule
 * findings as signals (an injection in a tool result, a poisoned tool definition).
 */
public record Detected(AuditEvent event, List<Alert> ruleAlerts) {
  public Detected {
    ruleAlerts = List.copyOf(ruleAlerts);
  }

  public static Detected of(AuditEvent event) {
    return new Detected(event, List.of());
  }
}
