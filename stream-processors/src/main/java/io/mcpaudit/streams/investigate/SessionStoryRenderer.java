package io.mcpaudit.streams.investigate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Tells a session's story as text (terminal), JSON (tools) or a self-contained HTML page (incident reports). */
public final class SessionStoryRenderer {
  private static final ObjectMapper JSON = new ObjectMapper();

  private SessionStoryRenderer() {}

  public static String text(SessionStory story) {
    StringBuilder out = new StringBuilder();
    JsonNode trace = story.trace();
    out.append("Session ").append(story.sessionId());
    if (trace != null) {
      out.append("  (").append(trace.path("mcp").path("transport").asText("?"));
      String protocol = trace.path("mcp").path("protocol").path("version").asText("");
      if (!protocol.isEmpty()) {
        out.append(", protocol ").append(protocol);
      }
      out.append(")\n");
      out.append("When:    ").append(trace.path("event").path("start").asText()).append(" → ")
          .append(trace.path("event").path("end").asText())
          .append(trace.path("mcp").path("session").path("ended").asBoolean(false) ? " (ended)" : " (open)").append('\n');
      out.append("Who:     ").append(who(trace)).append('\n');
      out.append("Server:  ").append(trace.path("server").path("name").asText("?"));
      if (!trace.path("url").path("full").isMissingNode()) {
        out.append(" at ").append(trace.path("url").path("full").asText());
      }
      out.append('\n');
      JsonNode scopes = trace.path("mcp").path("scope").path("granted");
      if (scopes.isArray() && !scopes.isEmpty()) {
        out.append("Scopes:  ").append(join(scopes)).append('\n');
      }
    } else {
      out.append('\n');
    }
    out.append("Alerts:  ").append(story.alerts().size()).append(severityCounts(story.alerts()))
        .append(" · events indexed: ").append(story.eventCount()).append("\n\n");
    if (trace == null) {
      out.append("No trace indexed for this session yet");
      out.append(story.eventCount() > 0 ? " (its events are indexed; the trace follows within seconds).\n" : ".\n");
    } else {
      long dropped = trace.path("mcp").path("trace").path("dropped_steps").asLong(0);
      if (dropped > 0) {
        out.append("(").append(dropped).append(" earlier steps not kept in the trace)\n");
      }
      out.append(String.format("%4s  %-12s  %-16s  %s%n", "#", "time", "step", "details"));
      for (JsonNode step : trace.path("mcp").path("trace").path("steps")) {
        out.append(String.format("%4d  %-12s  %-16s  %s%n", step.path("index").asInt(), clock(step.path("time").asText()),
            label(step), details(step)));
        JsonNode approval = step.path("approval");
        if (approval.isObject() && !step.path("kind").asText().equals("approval")) {
          out.append(String.format("%4s  %-12s  %-16s  %s%n", "", "", "", "approval: "
              + approval.path("decision").asText() + " by " + approval.path("approver").asText()
              + (approval.has("decided_in_ms") ? " in " + approval.path("decided_in_ms").asLong() + " ms" : "")
              + (approval.path("arguments_match").asBoolean(true) ? "" : " — APPROVED OTHER ARGUMENTS")
              + (approval.path("before_call").asBoolean(true) ? "" : " — AFTER THE CALL")));
        }
        for (JsonNode alertId : step.path("alert_ids")) {
          JsonNode alert = story.alertsById().get(alertId.asText());
          if (alert != null) {
            out.append(String.format("%4s  %-12s  %-16s  %s%n", "", "", "", "!! " + alertLine(alert)));
          }
        }
      }
    }
    List<JsonNode> unplaced = new ArrayList<>();
    for (JsonNode alert : story.alerts()) {
      if (trace == null || !placed(trace, alert.path("mcp").path("alert").path("id").asText())) {
        unplaced.add(alert);
      }
    }
    if (!unplaced.isEmpty()) {
      out.append("\nAlerts about the session as a whole:\n");
      for (JsonNode alert : unplaced) {
        out.append("  !! ").append(alertLine(alert)).append('\n');
      }
    }
    return TerminalText.printable(out.toString());
  }

  public static String json(SessionStory story) {
    ObjectNode node = JSON.createObjectNode();
    node.put("session", story.sessionId());
    node.set("trace", story.trace());
    ArrayNode alerts = node.putArray("alerts");
    story.alerts().forEach(alerts::add);
    node.put("events_indexed", story.eventCount());
    return node.toString();
  }

  public static String html(SessionStory story) {
    return "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Session "
        + escape(story.sessionId()) + "</title>\n<style>body{font-family:system-ui,sans-serif;margin:2em}"
        + "pre{background:#f6f8fa;padding:1em;overflow-x:auto;font-size:13px;line-height:1.4}"
        + ".alert{color:#b00020;font-weight:600}</style></head><body>\n<h1>Session "
        + escape(story.sessionId()) + "</h1>\n<pre>" + highlightAlerts(escape(text(story)))
        + "</pre>\n<p>Generated by mcp-audit trace.</p></body></html>\n";
  }

  private static String highlightAlerts(String escapedText) {
    StringBuilder out = new StringBuilder();
    for (String line : escapedText.split("\n", -1)) {
      out.append(line.contains("!! ") ? "<span class=\"alert\">" + line + "</span>" : line).append('\n');
    }
    return out.toString();
  }

  private static boolean placed(JsonNode trace, String alertId) {
    for (JsonNode step : trace.path("mcp").path("trace").path("steps")) {
      for (JsonNode id : step.path("alert_ids")) {
        if (id.asText().equals(alertId)) {
          return true;
        }
      }
    }
    return false;
  }

  private static String who(JsonNode trace) {
    List<String> parts = new ArrayList<>();
    add(parts, "user ", trace.path("user").path("name"));
    add(parts, "client ", trace.path("user_agent").path("name"));
    add(parts, "address ", trace.path("client").path("address"));
    JsonNode subjects = trace.path("token").path("claims").path("sub");
    if (subjects.isArray() && !subjects.isEmpty()) {
      parts.add("token subject " + join(subjects));
    }
    JsonNode fingerprints = trace.path("token").path("fingerprint");
    if (fingerprints.isArray() && !fingerprints.isEmpty()) {
      parts.add(fingerprints.size() + " token(s)");
    }
    return parts.isEmpty() ? "unknown" : String.join(" · ", parts);
  }

  private static void add(List<String> parts, String label, JsonNode value) {
    if (value.isValueNode() && !value.asText().isEmpty()) {
      parts.add(label + value.asText());
    }
  }

  private static String label(JsonNode step) {
    String kind = step.path("kind").asText();
    return switch (kind) {
      case "tool_call" -> "tools/call";
      case "session_start" -> "start";
      case "session_end" -> "end";
      case "tools_listed" -> "tools/list";
      case "resource_read" -> "resources/read";
      case "prompt_get" -> "prompts/get";
      case "message" -> step.path("method").asText("message");
      default -> kind.replace('_', ' ');
    };
  }

  private static String details(JsonNode step) {
    StringBuilder d = new StringBuilder();
    if (step.has("tool")) {
      d.append(step.path("tool").asText()).append(' ');
    }
    if (step.has("arguments")) {
      d.append(step.path("arguments").asText()).append(' ');
    }
    if (step.has("result")) {
      d.append("→ ").append(oneLine(step.path("result").asText())).append(' ');
    }
    if (step.has("duration_ms")) {
      d.append('(').append(step.path("duration_ms").asLong()).append(" ms) ");
    }
    if (step.has("error")) {
      d.append("ERROR ").append(step.path("error").asText());
    }
    return oneLine(d.toString().trim());
  }

  private static String alertLine(JsonNode alert) {
    JsonNode a = alert.path("mcp").path("alert");
    return a.path("category").asText() + " (" + a.path("severity").asText() + "): " + a.path("title").asText()
        + (a.path("count").asLong(1) > 1 ? " ×" + a.path("count").asLong() : "")
        + " [" + a.path("id").asText() + "]";
  }

  private static String severityCounts(List<JsonNode> alerts) {
    if (alerts.isEmpty()) {
      return "";
    }
    int[] counts = new int[4];
    String[] names = {"critical", "high", "medium", "low"};
    for (JsonNode alert : alerts) {
      String severity = alert.path("mcp").path("alert").path("severity").asText().toLowerCase(Locale.ROOT);
      for (int i = 0; i < names.length; i++) {
        if (names[i].equals(severity)) {
          counts[i]++;
        }
      }
    }
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < names.length; i++) {
      if (counts[i] > 0) {
        parts.add(counts[i] + " " + names[i]);
      }
    }
    return " (" + String.join(", ", parts) + ")";
  }

  private static String clock(String isoTime) {
    int t = isoTime.indexOf('T');
    return t < 0 ? isoTime : isoTime.substring(t + 1, Math.min(isoTime.length(), t + 13));
  }

  private static String oneLine(String s) {
    String flat = s.replace('\n', ' ').replace('\r', ' ');
    return flat.length() > 160 ? flat.substring(0, 160) + "…" : flat;
  }

  private static String join(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(v -> values.add(v.asText()));
    return String.join(" ", values);
  }

  static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
