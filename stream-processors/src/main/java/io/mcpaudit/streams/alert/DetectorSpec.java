package io.mcpaudit.streams.alert;

import io.mcpaudit.event.Severity;
import java.time.Duration;
import java.util.Map;

/**
 * What a stateful detector's rule file says about it: rule id, category, severity, title and
 * thresholds. Thresholds are strings as written in the rule (e.g. {@code window: 10m}).
 */
public record DetectorSpec(String ruleId, String category, Severity severity, String title,
                           Map<String, String> thresholds) {

  public DetectorSpec {
    thresholds = Map.copyOf(thresholds);
  }

  public long number(String name, long fallback) {
    String value = thresholds.get(name);
    if (value == null) {
      return fallback;
    }
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("rule " + ruleId + ": threshold '" + name + "' must be a whole number, got '"
          + value + "'");
    }
  }

  public double decimal(String name, double fallback) {
    String value = thresholds.get(name);
    if (value == null) {
      return fallback;
    }
    try {
      return Double.parseDouble(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("rule " + ruleId + ": threshold '" + name + "' must be a number, got '"
          + value + "'");
    }
  }

  public Duration duration(String name, Duration fallback) {
    String value = thresholds.get(name);
    return value == null ? fallback : Durations.parse(value, "rule " + ruleId + " threshold '" + name + "'");
  }

  public boolean flag(String name, boolean fallback) {
    String value = thresholds.get(name);
    return value == null ? fallback : Boolean.parseBoolean(value.trim());
  }

  public String text(String name, String fallback) {
    return thresholds.getOrDefault(name, fallback);
  }
}
