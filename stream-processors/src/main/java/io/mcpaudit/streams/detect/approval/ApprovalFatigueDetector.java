package io.mcpaudit.streams.detect.approval;

import io.mcpaudit.event.ApprovalDecided;
import io.mcpaudit.event.AuditEvent;
import io.mcpaudit.event.Decision;
import io.mcpaudit.streams.alert.AlertDraft;
import io.mcpaudit.streams.alert.DetectorSpec;
import io.mcpaudit.streams.detect.DetectionContext;
import io.mcpaudit.streams.detect.Detected;
import io.mcpaudit.streams.detect.Detector;
import io.mcpaudit.streams.detect.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code approval-fatigue}: one approver approves many actions within a short window, deciding
 * each in very little time: approvals given without reading. Keyed by approver.
 */
public final class ApprovalFatigueDetector implements Detector<ApprovalFatigueDetector.Approvals> {
  /** Recent approvals by this approver, oldest first. */
  public record Approvals(ArrayDeque<Approval> recent, long lastSeenMillis) {}

  public record Approval(long atMillis, long decidedInMs, String eventId) {}

  private final DetectorSpec spec;
  private final Duration window;
  private final int minApprovals;
  private final long maxMedianDecisionMs;

  public ApprovalFatigueDetector(DetectorSpec spec) {
    this.spec = spec;
    this.window = spec.duration("window", Duration.ofMinutes(5));
    this.minApprovals = (int) spec.number("min_approvals", 10);
    this.maxMedianDecisionMs = spec.number("max_median_decision_ms", 2000);
  }

  @Override
  public String name() {
    return "approval-fatigue";
  }

  @Override
  public Class<Approvals> stateType() {
    return Approvals.class;
  }

  @Override
  public String keyOf(Detected input) {
    return input.event().getPayload() instanceof ApprovalDecided approval ? approval.getApprover() : null;
  }

  @Override
  public Duration retention() {
    return window;
  }

  @Override
  public Outcome<Approvals> onEvent(Approvals state, Detected input, DetectionContext context) {
    AuditEvent event = input.event();
    ApprovalDecided approval = (ApprovalDecided) event.getPayload();
    long now = event.getEventTime().toEpochMilli();
    ArrayDeque<Approval> recent = state == null ? new ArrayDeque<>() : state.recent();
    if (approval.getDecision() != Decision.APPROVED || approval.getDecidedInMs() == null) {
      return Outcome.quiet(new Approvals(recent, now));
    }
    recent.addLast(new Approval(now, approval.getDecidedInMs(), event.getEventId()));
    while (!recent.isEmpty() && recent.peekFirst().atMillis() < now - window.toMillis()) {
      recent.removeFirst();
    }
    Approvals updated = new Approvals(recent, now);
    if (recent.size() < minApprovals) {
      return Outcome.quiet(updated);
    }
    long median = median(recent);
    if (median > maxMedianDecisionMs) {
      return Outcome.quiet(updated);
    }
    List<String> evidence = new ArrayList<>();
    recent.forEach(a -> evidence.add(a.eventId()));
    return Outcome.of(updated, List.of(AlertDraft.of(spec, event)
        .title(approval.getApprover() + " approved " + recent.size() + " actions in " + window.toMinutes()
            + " min (median " + median + " ms each)")
        .description("Approvals this fast cannot have been read. Human approval protects high-impact steps only if"
            + " the human looks; a fatigued approver clicks yes to whatever comes, including an injected action.")
        .excerpt(recent.size() + " approvals, median decision " + median + " ms")
        .dedupAcrossSessions(approval.getApprover())
        .evidence(evidence.subList(0, evidence.size() - 1))
        .attribute("approver", approval.getApprover())
        .attribute("approvals", recent.size())
        .attribute("median_decision_ms", median)
        .build()));
  }

  @Override
  public Instant lastActivity(Approvals state) {
    return Instant.ofEpochMilli(state.lastSeenMillis());
  }

  private static long median(ArrayDeque<Approval> approvals) {
    long[] times = approvals.stream().mapToLong(Approval::decidedInMs).sorted().toArray();
    return times[times.length / 2];
  }
}
