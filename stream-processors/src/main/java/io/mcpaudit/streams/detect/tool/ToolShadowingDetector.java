package io.mcpaudit.streams.detect.tool;

import com.google.re2j.Pattern;
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
import java.util.Map;

/**
 * {@code tool-shadowing}: two servers used by the same client (user + MCP client) within the window
 * expose the same or look-alike tool names, or one server's tool description names another
 * server's tool. Keyed by client identity.
 */
public final class ToolShadowingDetector implements Detector<ToolShadowingDetector.ClientTools> {
  /** Tools each server offered this client: server → (tool → description), with when each server was last seen. */
  public record ClientTools(LinkedHashMap<String, ServerTools> servers, long lastSeenMillis) {}

  public record ServerTools(LinkedHashMap<String, String> tools, long seenMillis, String eventId) {}

  private final DetectorSpec spec;
  private final Duration window;

  public ToolShadowingDetector(DetectorSpec spec) {
    this.spec = spec;
    this.window = spec.duration("window", Duration.ofHours(24));
  }

  @Override
  public String name() {
    return "tool-shadowing";
  }

  @Override
  public Class<ClientTools> stateType() {
    return ClientTools.class;
  }

  @Override
  public String keyOf(Detected input) {
    AuditEvent event = input.event();
    if (!(event.getPayload() instanceof ToolsListed)) {
      return null;
    }
    String user = event.getClient().getUser();
    String agent = event.getClient().getAgent();
    return (user == null ? "?" : user) + "|" + (agent == null ? "?" : agent);
  }

  @Override
  public Duration retention() {
    return window;
  }

  @Override
  public Outcome<ClientTools> onEvent(ClientTools state, Detected input, DetectionContext context) {
    AuditEvent event = input.event();
    String server = event.getServer().getName();
    long now = event.getEventTime().toEpochMilli();
    LinkedHashMap<String, ServerTools> servers = state == null ? new LinkedHashMap<>() : state.servers();
    servers.values().removeIf(s -> s.seenMillis() < now - window.toMillis());

    LinkedHashMap<String, String> offered = new LinkedHashMap<>();
    for (ToolDefinition tool : ((ToolsListed) event.getPayload()).getTools()) {
      offered.put(tool.getName(), tool.getDescription() == null ? "" : tool.getDescription());
    }
    List<io.mcpaudit.event.Alert> alerts = new ArrayList<>();
    for (Map.Entry<String, ServerTools> other : servers.entrySet()) {
      if (other.getKey().equals(server)) {
        continue;
      }
      for (String mine : offered.keySet()) {
        for (String theirs : other.getValue().tools().keySet()) {
          if (ToolNames.lookAlike(mine, theirs)) {
            alerts.add(draft(event, other.getKey(), other.getValue(), mine)
                .title("Tool '" + mine + "' of " + server + " shadows '" + theirs + "' of " + other.getKey())
                .description("Two servers used by the same client offer tools named '" + mine + "' and '" + theirs
                    + "'. The model may call the wrong one; a malicious server can capture calls meant for a trusted one.")
                .excerpt(server + "." + mine + " ~ " + other.getKey() + "." + theirs)
                .attribute("other_tool", theirs)
                .build());
          }
        }
      }
      for (Map.Entry<String, String> mine : offered.entrySet()) {
        for (String theirs : other.getValue().tools().keySet()) {
          if (theirs.length() >= 4 && mentions(mine.getValue(), theirs)) {
            alerts.add(draft(event, other.getKey(), other.getValue(), mine.getKey() + "->" + theirs)
                .title("Tool description of " + server + "." + mine.getKey() + " refers to " + other.getKey() + "."
                    + theirs)
                .description("A tool description steers how the model uses another server's tool '" + theirs
                    + "'. Descriptions are read by the model as instructions: this is how one server manipulates calls"
                    + " to another.")
                .excerpt(mine.getValue())
                .attribute("other_tool", theirs)
                .build());
          }
        }
      }
    }
    servers.put(server, new ServerTools(offered, now, event.getEventId()));
    return Outcome.of(new ClientTools(servers, now), alerts);
  }

  @Override
  public Instant lastActivity(ClientTools state) {
    return Instant.ofEpochMilli(state.lastSeenMillis());
  }

  private AlertDraft draft(AuditEvent event, String otherServer, ServerTools other, String subject) {
    return AlertDraft.of(spec, event)
        .dedupAcrossSessions(keyOf(Detected.of(event)) + "|" + event.getServer().getName() + "|" + otherServer
            + "|" + subject)
        .evidence(List.of(other.eventId()))
        .attribute("other_server", otherServer);
  }

  private static boolean mentions(String description, String toolName) {
    if (description == null || description.isEmpty()) {
      return false;
    }
    // Whole-word, case-insensitive; RE2 keeps this linear on untrusted description text.
    return Pattern.compile("(?i)(^|[^A-Za-z0-9_])" + Pattern.quote(toolName) + "($|[^A-Za-z0-9_])")
        .matcher(description).find();
  }
}
