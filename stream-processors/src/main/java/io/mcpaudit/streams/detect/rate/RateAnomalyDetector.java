package io.mcpaudit.streams.detect.rate;

import io.mcpaudit.event.AuditEvent;
import io.mcpaudit.event.ToolCallRequested;
import io.mcpaudit.streams.alert.AlertDraft;
import io.mcpaudit.streams.alert.DetectorSpec;
import io.mcpaudit.streams.detect.DetectionContext;
import io.mcpaudit.streams.detect.Detected;
import io.mcpaudit.streams.detect.Detector;
import io.mcpaudit.streams.detect.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * {@code rate-anomaly}: an identity calls tools far above its own baseline, or, once it has a
 * baseline, uses a tool it never used before (a new term). Keyed by identity (user, else MCP client).
 *
 * <p>The baseline is an exponentially weighted mean of calls per minute over the identity's active
 * minutes; nothing is judged during the learning period, so new users are not flagged for being new.
 */
public final class RateAnomalyDetector implements Detector<RateAnomalyDetector.Baseline> {
  /**
   * @param firstSeenMillis when the identity was first seen
   * @param tools           tool (server/name) → first use millis
   * @param minuteStart     start of the minute being counted, and its count
   * @param meanPerMinute   weighted mean of calls per active minute before the current one
   */
  public record Baseline(long firstSeenMillis, LinkedHashMap<String, Long> tools, long minuteStart, long minuteCount,
                         double meanPerMinute, long minutesObserved, boolean burstReported, long lastSeenMillis) {}

  private final DetectorSpec spec;
  private final Duration learning;
  private final double factor;
  private final long floor;
  private final double weight;

  public RateAnomalyDetector(DetectorSpec spec) {
    this.spec = spec;
    this.learning = spec.duration("learning_period", Duration.ofHours(1));
    this.factor = spec.decimal("burst_factor", 5.0);
    this.floor = spec.number("burst_floor_per_minute", 30);
    this.weight = spec.decimal("baseline_weight", 0.1);
  }

  @Override
  public String name() {
    return "rate-anomaly";
  }

  @Override
  public Class<Baseline> stateType() {
    return Baseline.class;
  }

  @Override
  public String keyOf(Detected input) {
    AuditEvent event = input.event();
    if (!(event.getPayload() instanceof ToolCallRequested)) {
      return null;
    }
    if (event.getClient().getUser() != null) {
      return "user:" + event.getClient().getUser();
    }
    return event.getClient().getAgent() == null ? null : "agent:" + event.getClient().getAgent();
  }

  @Override
  public Duration retention() {
    return Duration.ofDays(30);
  }

  @Override
  public Outcome<Baseline> onEvent(Baseline baseline, Detected input, DetectionContext context) {
    AuditEvent event = input.event();
    ToolCallRequested call = (ToolCallRequested) event.getPayload();
    long now = event.getEventTime().toEpochMilli();
    long minute = now - Math.floorMod(now, 60_000L);
    String tool = event.getServer().getName() + "/" + call.getToolName();
    if (baseline == null) {
      LinkedHashMap<String, Long> tools = new LinkedHashMap<>();
      tools.put(tool, now);
      return Outcome.quiet(new Baseline(now, tools, minute, 1, 0, 0, false, now));
    }
    boolean learned = now - baseline.firstSeenMillis() >= learning.toMillis();
    List<io.mcpaudit.event.Alert> alerts = new ArrayList<>();

    LinkedHashMap<String, Long> tools = baseline.tools();
    if (!tools.containsKey(tool)) {
      if (learned) {
        alerts.add(AlertDraft.of(spec, event)
            .title(identity(event) + " used " + tool + " for the first time")
            .description(identity(event) + " has used " + tools.size() + " tools since "
                + Instant.ofEpochMilli(baseline.firstSeenMillis()) + " and never this one. A first use is worth a look"
                + " when it follows untrusted content or precedes data leaving.")
            .excerpt("new tool: " + tool)
            .dedupAcrossSessions(identity(event) + "|new|" + tool)
            .attribute("tool", tool)
            .attribute("known_tools", tools.size())
            .build());
      }
      tools.put(tool, now);
    }

    double mean = baseline.meanPerMinute();
    long observed = baseline.minutesObserved();
    long count = baseline.minuteCount();
    boolean reported = baseline.burstReported();
    if (minute != baseline.minuteStart()) {
      mean = observed == 0 ? count : (1 - weight) * mean + weight * count;
      observed++;
      count = 0;
      reported = false;
    }
    count++;
    double limit = Math.max(floor, factor * mean);
    if (learned && !reported && count > limit) {
      reported = true;
      alerts.add(AlertDraft.of(spec, event)
          .title(identity(event) + " made " + count + " tool calls in one minute (baseline " + Math.round(mean) + ")")
          .description("Calls per minute far above this identity's own baseline (limit " + Math.round(limit)
              + "): automated misuse or exfiltration by volume.")
          .excerpt(count + " calls this minute; baseline " + String.format("%.1f", mean) + "/min")
          .dedupAcrossSessions(identity(event) + "|burst|" + minute)
          .attribute("calls_this_minute", count)
          .attribute("baseline_per_minute", String.format("%.2f", mean))
          .build());
    }
    return Outcome.of(new Baseline(baseline.firstSeenMillis(), tools, minute, count, mean, observed, reported, now),
        alerts);
  }

  @Override
  public Instant lastActivity(Baseline baseline) {
    return Instant.ofEpochMilli(baseline.lastSeenMillis());
  }

  private static String identity(AuditEvent event) {
    return event.getClient().getUser() != null ? event.getClient().getUser() : event.getClient().getAgent();
  }
}
