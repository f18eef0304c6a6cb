package io.mcpaudit.agent.capture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mcpaudit.agent.events.AuditEventFactory;
import io.mcpaudit.agent.events.LaunchInfo;
import io.mcpaudit.agent.events.Observation;
import io.mcpaudit.agent.events.SessionContext;
import io.mcpaudit.agent.mcp.JsonRpcParser;
import io.mcpaudit.agent.secrets.TextRedaction;
import io.mcpaudit.agent.secrets.TokenClaimsView;
import io.mcpaudit.agent.secrets.TokenFingerprinter;
import io.mcpaudit.agent.secrets.TokenObservation;
import io.mcpaudit.agent.emit.EventSink;
import io.mcpaudit.agent.trail.AuditTrail;
import io.mcpaudit.event.AuditEvent;
import io.mcpaudit.event.Direction;
import io.mcpaudit.event.Transport;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns a capture (mcp-capture/1) into the audit events the agent would have emitted had it seen
 * the same traffic: each line becomes the same observation the live relays make, and goes through
 * the agent's own event path (parsing, redaction, hashing, chaining). {@code mcp-audit detect}
 * and {@code mcp-audit ingest} replay captures through this.
 */
public final class CaptureReplay {
  private final ObjectMapper json = new ObjectMapper();
  private final String agentId;
  private final TokenFingerprinter fingerprinter;
  private final TextRedaction redaction;

  public CaptureReplay(String agentId, TokenFingerprinter fingerprinter, TextRedaction redaction) {
    this.agentId = agentId;
    this.fingerprinter = fingerprinter;
    this.redaction = redaction;
  }

  /** The events, in capture order; every line that could not be used (with its number); the lines used. */
  public record Result(List<AuditEvent> events, List<CaptureProblem> problems, long lines) {}

  public Result replay(InputStream capture) throws IOException {
    List<AuditEvent> events = new ArrayList<>();
    List<CaptureLine> lines;
    List<CaptureProblem> problems;
    try (CaptureReader reader = new CaptureReader(capture, json, fingerprinter)) {
      lines = reader.readAll();
      problems = new ArrayList<>(reader.problems());
    }
    EventSink collect = events::add;
    // Every observation must be kept: size the queue for the whole capture (a replay, unlike the
    // live agent, may wait for its event thread).
    AuditTrail trail = new AuditTrail(new JsonRpcParser(), new AuditEventFactory(agentId, redaction), null, collect,
        lines.size() + 16, Long.MAX_VALUE, status -> { }, Clock.systemUTC()).start();
    try {
      for (CaptureLine line : lines) {
        Observation observation = observationOf(line);
        if (observation == null) {
          problems.add(new CaptureProblem(line.lineNumber(), "line kind '" + line.kind() + "' lacks what it records"));
          continue;
        }
        if (!trail.observe(observation)) {
          throw new IllegalStateException("replay queue refused line " + line.lineNumber());
        }
      }
    } finally {
      try {
        trail.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while replaying the capture", e);
      }
    }
    return new Result(events, problems, lines.size());
  }

  private Observation observationOf(CaptureLine line) {
    SessionContext session = sessionOf(line);
    Instant time = line.ts();
    switch (line.kind()) {
      case CaptureFormat.KIND_MESSAGE -> {
        byte[] bytes = line.message() != null
            ? line.message().toString().getBytes(StandardCharsets.UTF_8)
            : line.get(CaptureFormat.UNPARSEABLE).asText("").getBytes(StandardCharsets.UTF_8);
        Direction direction = line.direction() == null ? Direction.CLIENT_TO_SERVER : line.direction();
        return new Observation.Message(session, time, direction, bytes, bytes.length, null, tokenOf(line),
            httpOf(line));
      }
      case CaptureFormat.KIND_LAUNCH -> {
        JsonNode launch = line.get("launch");
        List<String> command = strings(launch.path("command"));
        if (command.isEmpty()) {
          command = strings(line.get("server").path("command"));
        }
        if (command.isEmpty()) {
          return null;
        }
        return new Observation.Launch(session, time, new LaunchInfo(command, text(launch, "cwd"),
            text(launch, "executable_path"), text(launch, "executable_sha256"), strings(launch.path("env_names")),
            launch.path("pid").canConvertToLong() ? launch.path("pid").asLong() : null));
      }
      case CaptureFormat.KIND_APPROVAL -> {
        JsonNode approval = line.get("approval");
        JsonNode requestId = approval.path("request_id");
        if (requestId.isMissingNode() || !approval.hasNonNull("tool")) {
          return null;
        }
        return new Observation.Approval(session, time, requestId.toString(), approval.path("tool").asText(),
            "approved".equals(approval.path("decision").asText()), approval.path("approver").asText("unknown"),
            approval.path("arguments_sha256").asText(""),
            approval.path("decided_in_ms").canConvertToLong() ? approval.path("decided_in_ms").asLong() : null);
      }
      case CaptureFormat.KIND_SCOPE -> {
        JsonNode scope = line.get("scope");
        return new Observation.Scope(session, time, strings(scope.path("granted")), strings(scope.path("requested")),
            text(scope, "resource"), text(scope, "challenge"), text(scope, "metadata_url"),
            scope.path("http_status").canConvertToInt() ? scope.path("http_status").asInt() : null);
      }
      case CaptureFormat.KIND_SESSION_END -> {
        JsonNode reason = line.get("reason");
        return new Observation.SessionEnd(session, time, reason.isMissingNode() ? "session ended" : reason.asText(),
            line.get("exit_code").canConvertToInt() ? line.get("exit_code").asInt() : null);
      }
      default -> {
        return null;
      }
    }
  }

  private static SessionContext sessionOf(CaptureLine line) {
    JsonNode server = line.get("server");
    JsonNode client = line.get("client");
    List<String> command = strings(server.path("command"));
    return new SessionContext(line.session(), transportOf(line.transport()), text(server, "name"),
        text(server, "url"), command.isEmpty() ? null : command, text(client, "address"), text(client, "user"));
  }

  private static Transport transportOf(String transport) {
    if (transport == null) {
      return Transport.UNKNOWN;
    }
    return switch (transport) {
      case "stdio" -> Transport.STDIO;
      case "streamable-http" -> Transport.STREAMABLE_HTTP;
      case "sse" -> Transport.SSE;
      default -> Transport.UNKNOWN;
    };
  }

  /** The line's token (already fingerprinted by the reader, or recorded so by the agent). */
  private static Optional<TokenObservation> tokenOf(CaptureLine line) {
    JsonNode token = line.get("token");
    if (!token.hasNonNull("fingerprint")) {
      return Optional.empty();
    }
    JsonNode claims = token.path("claims");
    if (!claims.isObject()) {
      return Optional.of(new TokenObservation(token.get("fingerprint").asText(), Optional.empty()));
    }
    return Optional.of(new TokenObservation(token.get("fingerprint").asText(), Optional.of(new TokenClaimsView(
        text(claims, "iss"), text(claims, "sub"), stringsOrSplit(claims.path("aud")), text(claims, "azp"),
        text(claims, "client_id"), stringsOrSplit(claims.path("scope")), epoch(claims.path("iat")),
        epoch(claims.path("exp")), epoch(claims.path("nbf")), text(claims, "jti")))));
  }

  private static Observation.HttpExchange httpOf(CaptureLine line) {
    JsonNode http = line.get("http");
    if (!http.isObject()) {
      return null;
    }
    Map<String, String> headers = new java.util.LinkedHashMap<>();
    http.path("headers").fields().forEachRemaining(h -> {
      String name = h.getKey().toLowerCase(java.util.Locale.ROOT);
      if (!name.equals("authorization") && !name.equals("cookie")) {
        headers.put(name, h.getValue().asText());
      }
    });
    return new Observation.HttpExchange(text(http, "method"), text(http, "path"),
        http.path("status").canConvertToInt() ? http.path("status").asInt() : null, headers);
  }

  /** A claim's time, or null when it is not one that events can carry (milliseconds since the epoch, as a long). */
  private static Instant epoch(JsonNode node) {
    try {
      Instant instant = node.canConvertToLong() ? Instant.ofEpochSecond(node.asLong())
          : node.isTextual() ? Instant.parse(node.asText()) : null;
      if (instant != null) {
        instant.toEpochMilli();
      }
      return instant;
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.path(field);
    return value.isValueNode() && !value.isNull() ? value.asText() : null;
  }

  private static List<String> strings(JsonNode array) {
    List<String> values = new ArrayList<>();
    if (array.isArray()) {
      array.forEach(v -> values.add(v.asText()));
    }
    return values;
  }

  /** JWT aud may be a string or a list; OAuth scope is one space-separated string. */
  private static List<String> stringsOrSplit(JsonNode node) {
    if (node.isArray()) {
      return strings(node);
    }
    if (node.isTextual() && !node.asText().isBlank()) {
      return List.of(node.asText().trim().split("\\s+"));
    }
    return List.of();
  }
}
