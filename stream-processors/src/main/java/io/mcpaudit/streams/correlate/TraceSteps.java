package io.mcpaudit.streams.correlate;

import io.mcpaudit.event.ApprovalDecided;
import io.mcpaudit.event.ApprovalLink;
import io.mcpaudit.event.AuditEvent;
import io.mcpaudit.event.AuditGapReported;
import io.mcpaudit.event.ElicitationRequested;
import io.mcpaudit.event.McpMessage;
import io.mcpaudit.event.MessageKind;
import io.mcpaudit.event.PromptGet;
import io.mcpaudit.event.RedactedText;
import io.mcpaudit.event.ResourceRead;
import io.mcpaudit.event.SamplingRequested;
import io.mcpaudit.event.ScopeChanged;
import io.mcpaudit.event.ServerLaunched;
import io.mcpaudit.event.SessionEnded;
import io.mcpaudit.event.SessionStarted;
import io.mcpaudit.event.StepKind;
import io.mcpaudit.event.TokenPresented;
import io.mcpaudit.event.ToolCallRequested;
import io.mcpaudit.event.ToolDefinition;
import io.mcpaudit.event.ToolsListed;
import io.mcpaudit.event.TraceStep;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** Turns one event into the step a responder reads in a session's action chain, or none when it adds nothing. */
final class TraceSteps {
  static final int EXCERPT = 300;

  /** Methods whose traffic is already told by a dedicated event (tools/call → TOOL_CALL, …). */
  private static final Set<String> TOLD_ELSEWHERE = Set.of("initialize", "notifications/initialized", "tools/call",
      "tools/list", "resources/read", "prompts/get", "sampling/createMessage", "elicitation/create");

  private TraceSteps() {}

  static TraceStep.Builder stepFor(AuditEvent event) {
    Object payload = event.getPayload();
    TraceStep.Builder step = TraceStep.newBuilder()
        .setIndex(0)
        .setEventId(event.getEventId())
        .setTime(event.getEventTime());
    if (payload instanceof ToolCallRequested call) {
      return step.setKind(StepKind.TOOL_CALL).setMethod("tools/call").setTool(call.getToolName())
          .setJsonRpcId(call.getJsonRpcId()).setArgumentsExcerpt(excerpt(call.getArguments()))
          .setArgumentsSha256(call.getArgumentsSha256());
    }
    if (payload instanceof SessionStarted started) {
      return step.setKind(StepKind.SESSION_START).setMethod("initialize")
          .setResultExcerpt(started.getProtocolVersion() == null ? null : "protocol " + started.getProtocolVersion());
    }
    if (payload instanceof SessionEnded ended) {
      return step.setKind(StepKind.SESSION_END).setResultExcerpt(ended.getReason());
    }
    if (payload instanceof ToolsListed listed) {
      return step.setKind(StepKind.TOOLS_LISTED).setMethod("tools/list").setJsonRpcId(listed.getJsonRpcId())
          .setResultExcerpt(cut(listed.getTools().size() + " tools: "
              + listed.getTools().stream().map(ToolDefinition::getName).collect(Collectors.joining(", "))));
    }
    if (payload instanceof ResourceRead read) {
      return step.setKind(StepKind.RESOURCE_READ).setMethod("resources/read").setJsonRpcId(read.getJsonRpcId())
          .setArgumentsExcerpt(read.getUri()).setResultExcerpt(excerpt(read.getContents()))
          .setDurationMs(read.getDurationMs());
    }
    if (payload instanceof PromptGet prompt) {
      return step.setKind(StepKind.PROMPT_GET).setMethod("prompts/get").setJsonRpcId(prompt.getJsonRpcId())
          .setTool(prompt.getName()).setArgumentsExcerpt(excerpt(prompt.getArguments()))
          .setResultExcerpt(excerpt(prompt.getMessages()));
    }
    if (payload instanceof SamplingRequested sampling) {
      return step.setKind(StepKind.SAMPLING).setMethod("sampling/createMessage").setJsonRpcId(sampling.getJsonRpcId())
          .setArgumentsExcerpt(excerpt(sampling.getMessages()));
    }
    if (payload instanceof ElicitationRequested elicitation) {
      return step.setKind(StepKind.ELICITATION).setMethod("elicitation/create")
          .setJsonRpcId(elicitation.getJsonRpcId()).setArgumentsExcerpt(excerpt(elicitation.getMessage()))
          .setResultExcerpt(elicitation.getAction());
    }
    if (payload instanceof TokenPresented token) {
      return step.setKind(StepKind.TOKEN).setTokenFingerprint(token.getFingerprint())
          .setArgumentsExcerpt(cut("presented to " + token.getResource()
              + (token.getClaims() == null ? "" : " (sub " + token.getClaims().getSub() + ", aud "
              + String.join(" ", token.getClaims().getAud()) + ")")));
    }
    if (payload instanceof ScopeChanged scope) {
      return step.setKind(StepKind.SCOPE).setArgumentsExcerpt(cut(
          (scope.getGranted().isEmpty() ? "" : "granted " + String.join(" ", scope.getGranted()))
              + (scope.getRequested().isEmpty() ? "" : " requested " + String.join(" ", scope.getRequested()))
              + (scope.getChallenge() == null ? "" : " challenge " + scope.getChallenge())).trim());
    }
    if (payload instanceof ApprovalDecided approval) {
      return step.setKind(StepKind.APPROVAL).setTool(approval.getTool()).setJsonRpcId(approval.getRequestId())
          .setArgumentsSha256(approval.getArgumentsSha256())
          .setApproval(ApprovalLink.newBuilder()
              .setApprover(approval.getApprover())
              .setDecision(approval.getDecision())
              .setDecidedInMs(approval.getDecidedInMs())
              .setArgumentsMatch(true)
              .setBeforeCall(true)
              .setApprovalEventId(event.getEventId())
              .build())
          .setResultExcerpt(approval.getDecision().name().toLowerCase() + " by " + approval.getApprover()
              + (approval.getDecidedInMs() == null ? "" : " in " + approval.getDecidedInMs() + " ms"));
    }
    if (payload instanceof ServerLaunched launch) {
      return step.setKind(StepKind.LAUNCH).setArgumentsExcerpt(cut(String.join(" ", launch.getCommand())));
    }
    if (payload instanceof AuditGapReported gap) {
      return step.setKind(StepKind.AUDIT_GAP).setError(gap.getLostEvents() + " events lost: " + gap.getReason());
    }
    if (payload instanceof McpMessage message) {
      return messageStep(step, message);
    }
    return null;
  }

  private static TraceStep.Builder messageStep(TraceStep.Builder step, McpMessage message) {
    boolean told = message.getMethod() != null && TOLD_ELSEWHERE.contains(message.getMethod());
    if (message.getKind() == MessageKind.UNPARSEABLE) {
      return step.setKind(StepKind.MESSAGE).setError("unparseable message: " + message.getParseError());
    }
    if (message.getKind() == MessageKind.ERROR && !told) {
      return step.setKind(StepKind.MESSAGE).setMethod(message.getMethod()).setJsonRpcId(message.getJsonRpcId())
          .setError(message.getErrorCode() + " " + message.getErrorMessage());
    }
    if ((message.getKind() == MessageKind.REQUEST || message.getKind() == MessageKind.NOTIFICATION) && !told
        && !List.of("ping", "notifications/progress").contains(String.valueOf(message.getMethod()))) {
      return step.setKind(StepKind.MESSAGE).setMethod(message.getMethod()).setJsonRpcId(message.getJsonRpcId());
    }
    return null;
  }

  static String excerpt(RedactedText text) {
    return text == null ? null : cut(text.getText());
  }

  static String cut(String text) {
    return text == null || text.length() <= EXCERPT ? text : text.substring(0, EXCERPT) + "…";
  }
}
