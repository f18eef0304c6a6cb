package io.mcpaudit.streams.correlate;

import io.mcpaudit.event.Alert;
import io.mcpaudit.event.ApprovalDecided;
import io.mcpaudit.event.ApprovalLink;
import io.mcpaudit.event.AuditEvent;
import io.mcpaudit.event.SessionEnded;
import io.mcpaudit.event.SessionStarted;
import io.mcpaudit.event.SessionTrace;
import io.mcpaudit.event.ScopeChanged;
import io.mcpaudit.event.StepKind;
import io.mcpaudit.event.TokenPresented;
import io.mcpaudit.event.ToolCallCompleted;
import io.mcpaudit.event.ToolCallRequested;
import io.mcpaudit.event.TraceStep;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Rebuilds each session's action chain: ordered steps (requests with their results, approvals
 * linked by request id and argument hash, tokens and scopes in effect) and the alerts raised at
 * each step. Traces are emitted when a session ends and otherwise at most once per flush interval
 * of stream time, so a busy session does not rewrite its whole trace on every event.
 */
public final class SessionTraceProcessor implements Processor<String, TraceInput, String, SessionTrace> {
  public static final String STORE = "session-trace";
  /** Sessions changed since their trace was last emitted (persisted, so a restart emits them too). */
  public static final String DIRTY_STORE = "session-trace-dirty";

  private final int maxSteps;
  private final Duration flushEvery;
  private ProcessorContext<String, SessionTrace> context;
  private KeyValueStore<String, SessionTrace> traces;
  private KeyValueStore<String, Long> dirty;

  public SessionTraceProcessor(int maxSteps, Duration flushEvery) {
    this.maxSteps = maxSteps;
    this.flushEvery = flushEvery;
  }

  @Override
  public void init(ProcessorContext<String, SessionTrace> context) {
    this.context = context;
    this.traces = context.getStateStore(STORE);
    this.dirty = context.getStateStore(DIRTY_STORE);
    context.schedule(flushEvery, PunctuationType.STREAM_TIME, this::flush);
    // Emitting a changed trace is output pacing, not a detection decision: on a quiet pipeline,
    // stream time may not move for a long while, so wall-clock time flushes too.
    context.schedule(flushEvery, PunctuationType.WALL_CLOCK_TIME, this::flush);
  }

  @Override
  public void process(Record<String, TraceInput> record) {
    TraceInput input = record.value();
    String session = record.key();
    if (input == null || session == null || (input.event() == null && input.alert() == null)) {
      return; // A tombstone only moves stream time forward.
    }
    SessionTrace trace = traces.get(session);
    if (input.event() != null) {
      trace = apply(trace, input.event());
    } else if (trace != null) {
      trace = attach(trace, input.alert());
    } else {
      return; // An alert about a session whose events were never seen here (e.g. aged out): nothing to attach to.
    }
    traces.put(session, trace);
    if (trace.getEnded()) {
      emit(session, trace);
    } else {
      dirty.put(session, trace.getLastEventAt().toEpochMilli());
    }
  }

  private void flush(long streamTimeMillis) {
    List<String> sessions = new ArrayList<>();
    try (KeyValueIterator<String, Long> all = dirty.all()) {
      all.forEachRemaining(entry -> sessions.add(entry.key));
    }
    for (String session : sessions) {
      SessionTrace trace = traces.get(session);
      if (trace != null) {
        emit(session, trace);
      } else {
        dirty.delete(session);
      }
    }
  }

  private void emit(String session, SessionTrace trace) {
    dirty.delete(session);
    context.forward(new Record<>(session, trace, trace.getLastEventAt().toEpochMilli()));
  }

  /**
   * The trace with the event applied. {@code trace} is changed in place (Avro's generic
   * {@code put}; the generated classes have no setters): it comes from the store (decoded, or the
   * object put there since the last commit), and no one else holds it — a forwarded trace is
   * serialized by the sink before {@code forward} returns. Copying it (an Avro builder copies
   * every step deeply) cost more than everything else this stage does.
   */
  SessionTrace apply(SessionTrace trace, AuditEvent event) {
    if (trace == null) {
      trace = SessionTrace.newBuilder()
          .setSessionId(event.getSessionId())
          .setStartedAt(event.getEventTime())
          .setLastEventAt(event.getEventTime())
          .setTransport(event.getTransport())
          .setServer(event.getServer())
          .setClient(event.getClient())
          .setSteps(new ArrayList<>())
          .build();
    }
    if (event.getEventTime().isAfter(trace.getLastEventAt())) {
      trace.put("lastEventAt", event.getEventTime());
    }
    if (event.getEventTime().isBefore(trace.getStartedAt())) {
      trace.put("startedAt", event.getEventTime());
    }
    List<TraceStep> steps = new ArrayList<>(trace.getSteps());
    Object payload = event.getPayload();
    if (payload instanceof SessionStarted started && started.getProtocolVersion() != null) {
      trace.put("protocolVersion", started.getProtocolVersion());
    }
    if (payload instanceof SessionEnded) {
      trace.put("ended", true);
    }
    if (payload instanceof TokenPresented token) {
      trace.put("tokenFingerprints", addDistinct(trace.getTokenFingerprints(), token.getFingerprint()));
      if (token.getClaims() != null && token.getClaims().getSub() != null) {
        trace.put("tokenSubjects", addDistinct(trace.getTokenSubjects(), token.getClaims().getSub()));
      }
    }
    if (payload instanceof ScopeChanged scope) {
      List<String> scopes = new ArrayList<>(trace.getScopes());
      scope.getGranted().forEach(s -> {
        if (!scopes.contains(s)) {
          scopes.add(s);
        }
      });
      trace.put("scopes", scopes);
    }
    if (payload instanceof ToolCallCompleted completed && mergeResult(steps, completed)) {
      trace.put("steps", steps);
      return trace;
    }
    TraceStep.Builder step = TraceSteps.stepFor(event);
    if (step != null) {
      if (payload instanceof ApprovalDecided approval) {
        linkApproval(steps, approval, event);
      }
      if (payload instanceof ToolCallRequested call) {
        step.setApproval(approvalFor(steps, call));
      }
      insertInTimeOrder(steps, step);
    }
    long dropped = trace.getDroppedSteps();
    while (steps.size() > maxSteps) {
      steps.remove(0);
      dropped++;
    }
    renumber(steps);
    trace.put("steps", steps);
    trace.put("droppedSteps", dropped);
    return trace;
  }

  /** The trace with the alert attached at the step that raised it (changed in place, as in {@link #apply}). */
  private static SessionTrace attach(SessionTrace trace, Alert alert) {
    List<TraceStep> steps = new ArrayList<>(trace.getSteps());
    // The alert belongs at the latest step among its evidence: the step that raised it.
    int at = -1;
    for (int i = 0; i < steps.size(); i++) {
      if (alert.getEvidenceEventIds().contains(steps.get(i).getEventId())) {
        at = i;
      }
    }
    if (at >= 0 && !steps.get(at).getAlertIds().contains(alert.getAlertId())) {
      TraceStep step = steps.get(at);
      step.put("alertIds", addDistinct(step.getAlertIds(), alert.getAlertId()));
    }
    trace.put("steps", steps);
    trace.put("alertIds", addDistinct(trace.getAlertIds(), alert.getAlertId()));
    return trace;
  }

  private static boolean mergeResult(List<TraceStep> steps, ToolCallCompleted completed) {
    for (int i = steps.size() - 1; i >= 0; i--) {
      TraceStep step = steps.get(i);
      if (step.getKind() == StepKind.TOOL_CALL && completed.getJsonRpcId().equals(step.getJsonRpcId())) {
        TraceStep.Builder merged = TraceStep.newBuilder(step)
            .setResultExcerpt(TraceSteps.excerpt(completed.getContent()))
            .setDurationMs(completed.getDurationMs());
        if (completed.getIsError() || completed.getErrorCode() != null) {
          merged.setError(completed.getErrorCode() != null
              ? completed.getErrorCode() + " " + completed.getErrorMessage()
              : "tool reported an error");
        }
        steps.set(i, merged.build());
        return true;
      }
    }
    return false;
  }

  private static void linkApproval(List<TraceStep> steps, ApprovalDecided approval, AuditEvent event) {
    for (int i = steps.size() - 1; i >= 0; i--) {
      TraceStep step = steps.get(i);
      if (step.getKind() == StepKind.TOOL_CALL && approval.getRequestId().equals(step.getJsonRpcId())) {
        steps.set(i, TraceStep.newBuilder(step).setApproval(ApprovalLink.newBuilder()
            .setApprover(approval.getApprover())
            .setDecision(approval.getDecision())
            .setDecidedInMs(approval.getDecidedInMs())
            .setArgumentsMatch(approval.getArgumentsSha256().equalsIgnoreCase(String.valueOf(step.getArgumentsSha256()))
                && approval.getTool().equals(step.getTool()))
            .setBeforeCall(!event.getEventTime().isAfter(step.getTime()))
            .setApprovalEventId(event.getEventId())
            .build()).build());
        return;
      }
    }
  }

  /** The approval recorded before this call, linked by request id; argumentsMatch compares tool and hashes. */
  private static ApprovalLink approvalFor(List<TraceStep> steps, ToolCallRequested call) {
    for (int i = steps.size() - 1; i >= 0; i--) {
      TraceStep step = steps.get(i);
      if (step.getKind() == StepKind.APPROVAL && step.getApproval() != null
          && call.getJsonRpcId().equals(step.getJsonRpcId())) {
        return ApprovalLink.newBuilder(step.getApproval())
            .setArgumentsMatch(call.getToolName().equals(step.getTool())
                && call.getArgumentsSha256().equalsIgnoreCase(String.valueOf(step.getArgumentsSha256())))
            .setBeforeCall(true)
            .build();
      }
    }
    return null;
  }

  private static void insertInTimeOrder(List<TraceStep> steps, TraceStep.Builder step) {
    TraceStep built = step.build();
    int at = steps.size();
    while (at > 0 && steps.get(at - 1).getTime().isAfter(built.getTime())) {
      at--;
    }
    steps.add(at, built);
  }

  private static void renumber(List<TraceStep> steps) {
    for (int i = 0; i < steps.size(); i++) {
      if (steps.get(i).getIndex() != i + 1) {
        steps.set(i, TraceStep.newBuilder(steps.get(i)).setIndex(i + 1).build());
      }
    }
  }

  private static List<String> addDistinct(List<String> list, String value) {
    LinkedHashSet<String> set = new LinkedHashSet<>(list);
    set.add(value);
    return new ArrayList<>(set);
  }
}
