package io.mcpaudit.router.alert;

import java.util.Set;

/** The fixed alert category vocabulary (shared/contracts/detections.md), so that a typo in a route is caught at start. */
public final class AlertCategories {
  public static final Set<String> ALL = Set.of(
      "session-hijack", "session-replay", "token-audience-mismatch", "token-reuse", "token-lifetime",
      "prompt-injection", "tool-poisoning", "tool-rug-pull", "tool-shadowing", "injection-driven-action",
      "ssrf", "secret-exposure", "missing-approval", "approval-mismatch", "approval-fatigue",
      "scope-overreach", "unregistered-server", "risky-launch", "audit-gap", "rate-anomaly");

  /** The category of the alert {@code mcp-audit route test} sends; outside the detection vocabulary on purpose. */
  public static final String ROUTE_TEST = "route-test";

  private AlertCategories() {}
}
