package io.mcpaudit.streams.detect.tool;

import io.mcpaudit.event.AuditEvent;
import io.mcpaudit.event.ToolDefinition;
import io.mcpaudit.event.ToolsListed;
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
 * {@code tool-rug-pull}: a server's tool definition (canonical hash of name, description,
 * inputSchema and annotations) changes after it was first seen. Keyed by server name, so the
 * history spans every session and user of that server.
 */
public final class ToolRugPullDetector implements Detector<ToolRugPullDetector.ToolHistory> {
  /** Per tool name: the definition hash first seen, the current one, and how often it changed. */
  public record ToolHistory(LinkedHashMap<String, Definition> tools, long lastSeenMillis) {}

  public record Definition(String firstHash, String currentHash, String firstEventId, String description,
                           int changes) {}

  private final DetectorSpec spec;

  public ToolRugPullDetector(DetectorSpec spec) {
    this.spec = spec;
  }

  @Override
  public String name() {
    return "tool-rug-pull";
  }

  @Override
  public Class<ToolHistory> stateType() {
    return ToolHistory.class;
  }

  @Override
  public String keyOf(Detected input) {
    return input.event().getPayload() instanceof ToolsListed ? input.event().getServer().getName() : null;
  }

  @Override
  public Duration retention() {
    return spec.duration("history", Duration.ofDays(90));
  }

  @Override
  public Outcome<ToolHistory> onEvent(ToolHistory history, Detected input, DetectionContext context) {
    AuditEvent event = input.event();
    ToolsListed listed = (ToolsListed) event.getPayload();
    LinkedHashMap<String, Definition> tools = history == null ? new LinkedHashMap<>() : history.tools();
    List<io.mcpaudit.event.Alert> alerts = new ArrayList<>();
    for (ToolDefinition tool : listed.getTools()) {
      Definition known = tools.get(tool.getName());
      if (known == null) {
        tools.put(tool.getName(), new Definition(tool.getDefinitionHash(), tool.getDefinitionHash(),
            event.getEventId(), tool.getDescription(), 0));
        continue;
      }
      if (known.currentHash().equals(tool.getDefinitionHash())) {
        continue;
      }
      Definition changed = new Definition(known.firstHash(), tool.getDefinitionHash(), known.firstEventId(),
          tool.getDescription(), known.changes() + 1);
      tools.put(tool.getName(), changed);
      alerts.add(AlertDraft.of(spec, event)
          .title("Tool '" + tool.getName() + "' of server " + event.getServer().getName() + " changed its definition")
          .description("The definition of '" + tool.getName() + "' (description, input schema or annotations)"
              + " differs from the one first seen" + (changed.changes() > 1 ? " (change #" + changed.changes() + ")" : "")
              + ". Users approved the tool as it was; a server that silently redefines a tool can turn a trusted"
              + " tool into a malicious one.")
          .excerpt(diffExcerpt(known.description(), tool.getDescription()))
          .dedupAcrossSessions(event.getServer().getName() + "|" + tool.getName() + "|" + tool.getDefinitionHash())
          .evidence(List.of(known.firstEventId()))
          .attribute("tool", tool.getName())
          .attribute("first_hash", known.firstHash())
          .attribute("previous_hash", known.currentHash())
          .attribute("new_hash", tool.getDefinitionHash())
          .build());
    }
    return Outcome.of(new ToolHistory(tools, event.getEventTime().toEpochMilli()), alerts);
  }

  @Override
  public Instant lastActivity(ToolHistory history) {
    return Instant.ofEpochMilli(history.lastSeenMillis());
  }

  private static String diffExcerpt(String before, String after) {
    if (before == null || after == null || before.equals(after)) {
      return "description unchanged; input schema or annotations differ";
    }
    int start = 0;
    while (start < before.length() && start < after.length() && before.charAt(start) == after.charAt(start)) {
      start++;
    }
    int from = Math.max(0, start - 20);
    return "now: …" + after.substring(from, Math.min(after.length(), start + 200));
  }
}
