package io.mcpaudit.streams.topology;

import io.mcpaudit.event.Severity;
import io.mcpaudit.streams.alert.DetectorSpec;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The stateful detectors the topology runs, with the identity and thresholds their rule files
 * give them. Rule files under {@code detection-rules/rules/} override these built-in defaults
 * (same detector name); the defaults keep a pipeline useful before any rule is loaded.
 */
public final class DetectorCatalog {
  private final Map<String, DetectorSpec> specs;

  private DetectorCatalog(Map<String, DetectorSpec> specs) {
    this.specs = Map.copyOf(specs);
  }

  public static DetectorCatalog defaults() {
    Map<String, DetectorSpec> d = new LinkedHashMap<>();
    put(d, "session-hijack", "mcp-session-hijack", "session-hijack", Severity.CRITICAL, "Session used by another client");
    put(d, "session-replay", "mcp-session-replay", "session-replay", Severity.HIGH, "Replayed session traffic");
    put(d, "token-audience-mismatch", "mcp-token-audience-mismatch", "token-audience-mismatch", Severity.HIGH,
        "Token presented outside its audience");
    put(d, "token-reuse", "mcp-token-reuse", "token-reuse", Severity.HIGH, "Token reused across audiences or clients");
    put(d, "token-lifetime", "mcp-token-lifetime", "token-lifetime", Severity.MEDIUM, "Token lifetime violation");
    put(d, "tool-rug-pull", "mcp-tool-rug-pull", "tool-rug-pull", Severity.HIGH, "Tool definition changed");
    put(d, "tool-shadowing", "mcp-tool-shadowing", "tool-shadowing", Severity.HIGH, "Tool shadowing across servers");
    put(d, "missing-approval", "mcp-missing-approval", "missing-approval", Severity.HIGH,
        "High-risk call without approval");
    put(d, "approval-mismatch", "mcp-approval-mismatch", "approval-mismatch", Severity.HIGH,
        "Approval does not match the call");
    put(d, "approval-fatigue", "mcp-approval-fatigue", "approval-fatigue", Severity.MEDIUM, "Approval fatigue");
    put(d, "scope-overreach", "mcp-scope-overreach", "scope-overreach", Severity.MEDIUM, "Scope overreach");
    put(d, "injection-driven-action", "mcp-injection-driven-action", "injection-driven-action", Severity.CRITICAL,
        "Action driven by injected content");
    put(d, "unregistered-server", "mcp-unregistered-server", "unregistered-server", Severity.MEDIUM,
        "Server not in the inventory");
    put(d, "audit-gap", "mcp-audit-gap", "audit-gap", Severity.HIGH, "Audit trail gap");
    put(d, "rate-anomaly", "mcp-rate-anomaly", "rate-anomaly", Severity.MEDIUM, "Tool use above baseline");
    return new DetectorCatalog(d);
  }

  /** The catalog with some specs replaced, e.g. by those read from rule files. */
  public DetectorCatalog with(Map<String, DetectorSpec> overrides) {
    Map<String, DetectorSpec> merged = new LinkedHashMap<>(specs);
    merged.putAll(overrides);
    return new DetectorCatalog(merged);
  }

  public DetectorSpec spec(String detector) {
    DetectorSpec spec = specs.get(detector);
    if (spec == null) {
      throw new IllegalArgumentException("no detector named '" + detector + "'");
    }
    return spec;
  }

  public Map<String, DetectorSpec> all() {
    return specs;
  }

  private static void put(Map<String, DetectorSpec> specs, String detector, String ruleId, String category,
                          Severity severity, String title) {
    specs.put(detector, new DetectorSpec(ruleId, category, severity, title, Map.of()));
  }
}
