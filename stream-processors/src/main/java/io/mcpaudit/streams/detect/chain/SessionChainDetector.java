package io.mcpaudit.streams.detect.chain;

import io.mcpaudit.event.Alert;
import io.mcpaudit.event.ApprovalDecided;
import io.mcpaudit.event.AuditEvent;
import io.mcpaudit.event.Decision;
import io.mcpaudit.event.InventoryEntry;
import io.mcpaudit.event.ScopeChanged;
import io.mcpaudit.event.ToolCallCompleted;
import io.mcpaudit.event.ToolCallRequested;
import io.mcpaudit.event.ToolDefinition;
import io.mcpaudit.event.ToolsListed;
import io.mcpaudit.streams.alert.AlertDraft;
import io.mcpaudit.streams.alert.AlertSubject;
import io.mcpaudit.streams.detect.DetectionContext;
import io.mcpaudit.streams.detect.Detected;
import io.mcpaudit.streams.detect.Detector;
import io.mcpaudit.streams.detect.Outcome;
import io.mcpaudit.streams.detect.chain.ToolRisk.ToolHints;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/**
 * The detections that need a session's whole action chain: {@code missing-approval},
 * {@code approval-mismatch}, {@code scope-overreach} and {@code injection-driven-action}. They
 * share one per-session state (tool hints, calls, approvals, scopes, injection signals) because
 * they are all questions about how the steps of one session relate. Keyed by session.
 */
public final class SessionChainDetector implements Detector<SessionChainDetector.Chain> {
  private static final int REMEMBERED = 2000;

  /**
   * @param step      steps seen in the session so far
   * @param hints     tool name → what the server declared about it
   * @param calls     JSON-RPC id → high-risk call awaiting its approval verdict
   * @param approvals JSON-RPC id → approval reported by the host
   * @param signals   recent injection / poisoning findings, by step
   * @param granted   scopes granted in the session so far
   */
  public record Chain(int step, LinkedHashMap<String, ToolHints> hints, LinkedHashMap<String, Call> calls,
                      LinkedHashMap<String, Approval> approvals, List<Signal> signals, List<String> granted,
                      String grantEventId, long lastSeenMillis) {}

  public record Call(String tool, String argumentsSha256, long atMillis, int step, String riskReason,
                     AlertSubject subject, boolean judged) {}

  public record Approval(String tool, String argumentsSha256, String decision, String approver, long atMillis,
                         String eventId) {}

  public record Signal(int step, String category, String ruleId, String eventId, String title) {}

  private final SessionChainSpecs specs;
  private final ToolRisk risk;
  private final int injectionSteps;
  private final Duration approvalWait;
  private final Duration lateApprovalGrace;

  public SessionChainDetector(SessionChainSpecs specs, ToolRisk risk) {
    this.specs = specs;
    this.risk = risk;
    this.injectionSteps = (int) specs.injectionDrivenAction().number("max_steps", 5);
    this.approvalWait = specs.missingApproval().duration("approval_wait", Duration.ofSeconds(30));
    this.lateApprovalGrace = specs.approvalMismatch().duration("late_grace", Duration.ofSeconds(1));
  }

  @Override
  public String name() {
    return "session-chain";
  }

  @Override
  public Class<Chain> stateType() {
    return Chain.class;
  }

  @Override
  public String keyOf(Detected input) {
    return input.event().getSessionId();
  }

  @Override
  public Outcome<Chain> onEvent(Chain chain, Detected input, DetectionContext context) {
    AuditEvent event = input.event();
    long now = event.getEventTime().toEpochMilli();
    if (chain == null) {
      chain = new Chain(0, new LinkedHashMap<>(), new LinkedHashMap<>(), new LinkedHashMap<>(), new ArrayList<>(),
          new ArrayList<>(), null, now);
    }
    // Steps are the session's actions as a responder counts them (a call with its result is one
    // step), not wire messages: a finding in a result belongs to the step of its call.
    int step = chain.step() + (isStep(event.getPayload()) ? 1 : 0);
    List<Signal> signals = new ArrayList<>(chain.signals());
    signals.removeIf(s -> s.step() < step - injectionSteps);
    for (Alert finding : input.ruleAlerts()) {
      if (finding.getCategory().equals("prompt-injection") || finding.getCategory().equals("tool-poisoning")) {
        signals.add(new Signal(step, finding.getCategory(), finding.getRuleId(), event.getEventId(), finding.getTitle()));
      }
    }
    Chain current = new Chain(step, chain.hints(), chain.calls(), chain.approvals(), signals, chain.granted(),
        chain.grantEventId(), now);
    List<Alert> alerts = new ArrayList<>();
    Object payload = event.getPayload();
    Optional<InventoryEntry> server = context.inventory(event.getServer().getName());
    if (payload instanceof ToolsListed listed) {
      for (ToolDefinition tool : listed.getTools()) {
        var annotations = tool.getAnnotations();
        current.hints().put(tool.getName(), new ToolHints(annotations == null ? null : annotations.getReadOnlyHint(),
            annotations == null ? null : annotations.getDestructiveHint()));
      }
    } else if (payload instanceof ApprovalDecided approval) {
      onApproval(current, event, approval, alerts);
    } else if (payload instanceof ToolCallRequested call) {
      onCall(current, event, call, server.orElse(null), alerts);
    } else if (payload instanceof ToolCallCompleted completed) {
      Call call = current.calls().get(completed.getJsonRpcId());
      if (call != null && !call.judged()) {
        judge(current, completed.getJsonRpcId(), call, alerts);
      }
    } else if (payload instanceof ScopeChanged scope) {
      current = onScope(current, event, scope, server.orElse(null), alerts);
    }
    trim(current.calls());
    trim(current.approvals());
    trim(current.hints());
    return Outcome.of(current, alerts);
  }

  @Override
  public Outcome<Chain> onStreamTime(Chain chain, Instant streamTime, DetectionContext context) {
    List<Alert> alerts = new ArrayList<>();
    for (var entry : List.copyOf(chain.calls().entrySet())) {
      Call call = entry.getValue();
      if (!call.judged() && call.atMillis() + approvalWait.toMillis() <= streamTime.toEpochMilli()) {
        judge(chain, entry.getKey(), call, alerts);
      }
    }
    return alerts.isEmpty() ? Outcome.quiet(chain) : Outcome.of(chain, alerts);
  }

  @Override
  public Instant wakeAt(Chain chain) {
    long earliest = Long.MAX_VALUE;
    for (Call call : chain.calls().values()) {
      if (!call.judged()) {
        earliest = Math.min(earliest, call.atMillis() + approvalWait.toMillis());
      }
    }
    return earliest == Long.MAX_VALUE ? null : Instant.ofEpochMilli(earliest);
  }

  @Override
  public Instant lastActivity(Chain chain) {
    return Instant.ofEpochMilli(chain.lastSeenMillis());
  }

  private void onApproval(Chain chain, AuditEvent event, ApprovalDecided approval, List<Alert> alerts) {
    long now = event.getEventTime().toEpochMilli();
    chain.approvals().put(approval.getRequestId(), new Approval(approval.getTool(), approval.getArgumentsSha256(),
        approval.getDecision().name(), approval.getApprover(), now, event.getEventId()));
    Call call = chain.calls().get(approval.getRequestId());
    if (call != null && call.atMillis() + lateApprovalGrace.toMillis() < now) {
      alerts.add(AlertDraft.of(specs.approvalMismatch(), event)
          .title("Approval for '" + approval.getTool() + "' came after the call ran")
          .description(approval.getApprover() + " approved request " + approval.getRequestId() + " "
              + (now - call.atMillis()) + " ms after the call was sent. An approval given after the fact approves"
              + " nothing.")
          .excerpt("call at " + Instant.ofEpochMilli(call.atMillis()) + ", approval at " + event.getEventTime())
          .dedupOn("late|" + approval.getRequestId())
          .evidence(List.of(call.subject().eventId()))
          .attribute("approver", approval.getApprover())
          .attribute("tool", call.tool())
          .build());
      chain.calls().put(approval.getRequestId(), judged(call));
    }
  }

  private void onCall(Chain chain, AuditEvent event, ToolCallRequested call, InventoryEntry server,
                      List<Alert> alerts) {
    String reason = risk.highRiskReason(call.getToolName(), chain.hints().get(call.getToolName()), server);
    if (reason == null) {
      return;
    }
    if (server != null && server.getReadOnly()) {
      alerts.add(AlertDraft.of(specs.scopeOverreach(), event)
          .title("Write-like call '" + call.getToolName() + "' on read-only server " + server.getName())
          .description("The inventory registers " + server.getName() + " as read-only, yet the session called '"
              + call.getToolName() + "' (" + reason + ").")
          .excerpt(call.getToolName() + " " + call.getArguments().getText())
          .dedupOn("readonly|" + call.getToolName())
          .attribute("tool", call.getToolName())
          .build());
    }
    Call pending = new Call(call.getToolName(), call.getArgumentsSha256(), event.getEventTime().toEpochMilli(),
        chain.step(), reason, AlertSubject.of(event), false);
    chain.calls().put(call.getJsonRpcId(), pending);
    for (Signal signal : chain.signals()) {
      if (signal.step() < chain.step()) {
        alerts.add(AlertDraft.of(specs.injectionDrivenAction(), event)
            .title("High-risk call '" + call.getToolName() + "' " + (chain.step() - signal.step())
                + " step(s) after " + signal.category())
            .description("Step " + signal.step() + " returned content flagged as " + signal.category() + " ('"
                + signal.title() + "'); step " + chain.step() + " then called '" + call.getToolName() + "' (" + reason
                + "). Untrusted content steering a consequential action is how prompt injection does harm.")
            .excerpt(call.getToolName() + " " + call.getArguments().getText())
            .dedupOn(signal.eventId() + "|" + call.getToolName())
            .evidence(List.of(signal.eventId()))
            .attribute("signal_rule", signal.ruleId())
            .attribute("signal_step", signal.step())
            .attribute("action_step", chain.step())
            .attribute("tool", call.getToolName())
            .build());
        break;
      }
    }
    Approval approval = chain.approvals().get(call.getJsonRpcId());
    if (approval != null) {
      judge(chain, call.getJsonRpcId(), pending, alerts);
    }
  }

  /** Gives a high-risk call its verdict once: approved properly, approved wrongly, or not approved. */
  private void judge(Chain chain, String requestId, Call call, List<Alert> alerts) {
    chain.calls().put(requestId, judged(call));
    Approval approval = chain.approvals().get(requestId);
    if (approval == null) {
      alerts.add(AlertDraft.of(specs.missingApproval(), call.subject())
          .title("High-risk call '" + call.tool() + "' ran without approval")
          .description("'" + call.tool() + "' is high-risk (" + call.riskReason() + ") and no human approval for"
              + " request " + requestId + " was reported by the host.")
          .excerpt(call.tool())
          .dedupOn(call.tool())
          .attribute("tool", call.tool())
          .attribute("jsonrpc_id", requestId)
          .attribute("risk", call.riskReason())
          .build());
      return;
    }
    List<String> problems = new ArrayList<>();
    if (!approval.tool().equals(call.tool())) {
      problems.add("it approved '" + approval.tool() + "', not '" + call.tool() + "'");
    }
    if (!approval.argumentsSha256().equalsIgnoreCase(call.argumentsSha256())) {
      problems.add("the approved arguments differ from the executed ones (hash " + shortHash(approval.argumentsSha256())
          + " vs " + shortHash(call.argumentsSha256()) + ")");
    }
    if (approval.decision().equals(Decision.DENIED.name())) {
      problems.add(approval.approver() + " denied it, yet it was sent");
    }
    if (!problems.isEmpty()) {
      alerts.add(AlertDraft.of(specs.approvalMismatch(), call.subject())
          .title("Approval does not match the call '" + call.tool() + "'")
          .description("The approval for request " + requestId + " does not cover what ran: "
              + String.join("; ", problems) + ".")
          .excerpt(String.join("; ", problems))
          .dedupOn(requestId)
          .evidence(List.of(approval.eventId()))
          .attribute("tool", call.tool())
          .attribute("approved_tool", approval.tool())
          .attribute("approver", approval.approver())
          .build());
    }
  }

  private Chain onScope(Chain chain, AuditEvent event, ScopeChanged scope, InventoryEntry server, List<Alert> alerts) {
    if (scope.getGranted().isEmpty()) {
      return chain;
    }
    if (server != null && !server.getAllowedScopes().isEmpty()) {
      List<String> excess = new ArrayList<>(scope.getGranted());
      excess.removeAll(server.getAllowedScopes());
      if (!excess.isEmpty()) {
        alerts.add(AlertDraft.of(specs.scopeOverreach(), event)
            .title("Scopes beyond the inventory for " + server.getName() + ": " + String.join(" ", excess))
            .description("The inventory allows " + String.join(" ", server.getAllowedScopes()) + " for "
                + server.getName() + "; the session was granted " + String.join(" ", scope.getGranted()) + ".")
            .excerpt("granted: " + String.join(" ", scope.getGranted()))
            .dedupOn("inventory|" + String.join(" ", excess))
            .attribute("excess_scopes", String.join(" ", excess))
            .build());
      }
    }
    if (chain.grantEventId() != null) {
      List<String> added = new ArrayList<>(scope.getGranted());
      added.removeAll(chain.granted());
      if (!added.isEmpty()) {
        alerts.add(AlertDraft.of(specs.scopeOverreach(), event)
            .title("Session escalated its scopes: +" + String.join(" ", added))
            .description("The session started with " + String.join(" ", chain.granted()) + " and was later granted "
                + String.join(" ", added) + " as well. Escalation mid-session deserves a look at what asked for it.")
            .excerpt("before: " + String.join(" ", chain.granted()) + "; added: " + String.join(" ", added))
            .dedupOn("escalation|" + String.join(" ", added))
            .evidence(List.of(chain.grantEventId()))
            .attribute("added_scopes", String.join(" ", added))
            .build());
      }
    }
    LinkedHashSet<String> granted = new LinkedHashSet<>(chain.granted());
    granted.addAll(scope.getGranted());
    return new Chain(chain.step(), chain.hints(), chain.calls(), chain.approvals(), chain.signals(),
        new ArrayList<>(granted), chain.grantEventId() == null ? event.getEventId() : chain.grantEventId(),
        chain.lastSeenMillis());
  }

  private static boolean isStep(Object payload) {
    return payload instanceof ToolCallRequested || payload instanceof ToolsListed
        || payload instanceof io.mcpaudit.event.ResourceRead || payload instanceof io.mcpaudit.event.PromptGet
        || payload instanceof io.mcpaudit.event.SamplingRequested
        || payload instanceof io.mcpaudit.event.ElicitationRequested;
  }

  private static Call judged(Call call) {
    return new Call(call.tool(), call.argumentsSha256(), call.atMillis(), call.step(), call.riskReason(),
        call.subject(), true);
  }

  private static <V> void trim(LinkedHashMap<String, V> map) {
    while (map.size() > REMEMBERED) {
      map.remove(map.keySet().iterator().next());
    }
  }

  private static String shortHash(String hash) {
    return hash == null ? "none" : hash.length() > 8 ? hash.substring(0, 8) : hash;
  }
}
