package io.mcpaudit.streams.detect;

import io.mcpaudit.event.Alert;
import io.mcpaudit.event.AuditEvent;
import java.util.List;

/**
 * An event together with what the rule engine found in it. Chain-aware detectors use the rule
 * findings as signals (an injection in a tool result, a poisoned tool definition). A correlation
 * window that closes on stream time yields findings with no event ({@code event} is null).
 */
public record Detected(AuditEvent event, List<Alert> ruleAlerts) {
  public Detected {
    ruleAlerts = List.copyOf(ruleAlerts);
  }

  /** The event with no findings; a null event (a tombstone) stays null. */
  public static Detected of(AuditEvent event) {
    return event == null ? null : new Detected(event, List.of());
  }

  public boolean hasEvent() {
    return event != null;
  }
}
