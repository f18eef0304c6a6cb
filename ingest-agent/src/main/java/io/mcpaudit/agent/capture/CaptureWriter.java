package io.mcpaudit.agent.capture;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.mcpaudit.agent.events.AuditEventFactory;
import io.mcpaudit.agent.events.LaunchInfo;
import io.mcpaudit.agent.events.Observation;
import io.mcpaudit.agent.events.SessionContext;
import io.mcpaudit.agent.mcp.McpFrame;
import io.mcpaudit.agent.mcp.McpSession;
import io.mcpaudit.agent.secrets.TextRedaction;
import io.mcpaudit.agent.secrets.TokenClaimsView;
import io.mcpaudit.agent.secrets.TokenObservation;
import io.mcpaudit.event.Direction;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;

/**
 * Writes what the agent saw as a capture (mcp-capture/1, one JSON object per line).
 *
 * <p>Nothing secret is written: bearer tokens appear only as {@code token.fingerprint}
 * and {@code token.claims}, string values inside messages pass through the credential
 * redactor, and launches list environment variable names, never values. Used by one
 * thread (the agent's event thread).
 */
public final class CaptureWriter implements Closeable {
  private final ObjectMapper json;
  private final TextRedaction redaction;
  private final OutputStream out;
  private long lines;

  public CaptureWriter(OutputStream out, ObjectMapper json, TextRedaction redaction) {
    this.out = out;
    this.json = json.copy().disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    this.redaction = redaction;
  }

  /** Appends to the file (created when missing), so that several runs can share one capture. */
  public static CaptureWriter open(Path file, ObjectMapper json, TextRedaction redaction) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    OutputStream stream = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
        StandardOpenOption.WRITE);
    return new CaptureWriter(new BufferedOutputStream(stream, 64 * 1024), json, redaction);
  }

  /** A {@code message} line; {@code frame} is what the bytes parsed to. */
  public void message(Observation.Message seen, McpFrame frame, McpSession session) throws IOException {
    ObjectNode line = common(seen.session(), seen.time(), CaptureFormat.KIND_MESSAGE, session);
    line.put("direction", seen.direction() == Direction.CLIENT_TO_SERVER
        ? CaptureFormat.CLIENT_TO_SERVER : CaptureFormat.SERVER_TO_CLIENT);
    if (frame.isParsed()) {
      line.set("message", redactStrings(frame.root().deepCopy()));
    } else {
      ObjectNode unparseable = line.putObject(CaptureFormat.UNPARSEABLE);
      unparseable.put("reason", redaction.redactOnly(frame.parseError()));
      unparseable.put("size", frame.sizeBytes());
      unparseable.put("sha256", frame.sha256());
      if (frame.raw() != null) {
        unparseable.put("text", redaction.apply(new String(frame.raw(), StandardCharsets.UTF_8)).getText());
      }
    }
    if (seen.http() != null) {
      ObjectNode http = line.putObject("http");
      putIfNotNull(http, "method", seen.http().method());
      putIfNotNull(http, "path", seen.http().path());
      if (seen.http().status() != null) {
        http.put("status", seen.http().status());
      }
      if (seen.http().headers() != null && !seen.http().headers().isEmpty()) {
        ObjectNode headers = http.putObject("headers");
        for (Map.Entry<String, String> header : seen.http().headers().entrySet()) {
          String name = header.getKey().toLowerCase(java.util.Locale.ROOT);
          if (!name.equals("authorization") && !name.equals("cookie") && !name.equals("proxy-authorization")) {
            headers.put(name, redaction.redactOnly(header.getValue()));
          }
        }
      }
    }
    seen.token().ifPresent(token -> line.set("token", token(token)));
    write(line);
  }

  public void launch(Observation.Launch seen) throws IOException {
    ObjectNode line = common(seen.session(), seen.time(), CaptureFormat.KIND_LAUNCH, null);
    LaunchInfo info = seen.launch();
    ObjectNode launch = line.putObject("launch");
    ArrayNode command = launch.putArray("command");
    info.command().forEach(arg -> command.add(redaction.redactOnly(arg)));
    putIfNotNull(launch, "cwd", info.cwd());
    putIfNotNull(launch, "executable_path", info.executablePath());
    putIfNotNull(launch, "executable_sha256", info.executableSha256());
    ArrayNode env = launch.putArray("env_names");
    info.envNames().forEach(env::add);
    if (info.pid() != null) {
      launch.put("pid", info.pid());
    }
    write(line);
  }

  public void sessionEnd(Observation.SessionEnd seen, McpSession session) throws IOException {
    ObjectNode line = common(seen.session(), seen.time(), CaptureFormat.KIND_SESSION_END, session);
    line.put("reason", seen.reason());
    if (seen.exitCode() != null) {
      line.put("exit_code", seen.exitCode());
    }
    write(line);
  }

  public void scope(Observation.Scope seen, McpSession session) throws IOException {
    ObjectNode line = common(seen.session(), seen.time(), CaptureFormat.KIND_SCOPE, session);
    ObjectNode scope = line.putObject("scope");
    ArrayNode granted = scope.putArray("granted");
    if (seen.granted() != null) {
      seen.granted().forEach(granted::add);
    }
    ArrayNode requested = scope.putArray("requested");
    if (seen.requested() != null) {
      seen.requested().forEach(requested::add);
    }
    putIfNotNull(scope, "resource", seen.resource());
    putIfNotNull(scope, "challenge", seen.challenge());
    putIfNotNull(scope, "metadata_url", seen.metadataUrl());
    if (seen.httpStatus() != null) {
      scope.put("http_status", seen.httpStatus());
    }
    write(line);
  }

  /** An {@code approval} line; {@code request_id} is the JSON-RPC id itself (number or string), as in the message. */
  public void approval(Observation.Approval seen, McpSession session) throws IOException {
    ObjectNode line = common(seen.session(), seen.time(), CaptureFormat.KIND_APPROVAL, session);
    ObjectNode approval = line.putObject("approval");
    approval.set("request_id", json.readTree(seen.requestIdJson()));
    approval.put("tool", seen.tool());
    approval.put("decision", seen.approved() ? "approved" : "denied");
    approval.put("approver", redaction.redactOnly(seen.approver()));
    approval.put("arguments_sha256", seen.argumentsSha256());
    if (seen.decidedInMs() != null) {
      approval.put("decided_in_ms", seen.decidedInMs());
    }
    write(line);
  }

  /** Pushes buffered lines to the file (the event thread calls it whenever its queue runs empty). */
  public void flush() throws IOException {
    out.flush();
  }

  public long lines() {
    return lines;
  }

  @Override
  public void close() throws IOException {
    out.flush();
    out.close();
  }

  private ObjectNode common(SessionContext ctx, Instant time, String kind, McpSession session) {
    ObjectNode line = json.createObjectNode();
    line.put("ts", CaptureFormat.timestamp(time));
    line.put("kind", kind);
    line.put("session", ctx.sessionId());
    putIfNotNull(line, "transport", ctx.transportName());
    ObjectNode server = line.putObject("server");
    server.put("name", AuditEventFactory.serverName(ctx, session));
    putIfNotNull(server, "url", ctx.serverUrl());
    if (ctx.serverCommand() != null) {
      ArrayNode command = server.putArray("command");
      ctx.serverCommand().forEach(arg -> command.add(redaction.redactOnly(arg)));
    }
    ObjectNode client = json.createObjectNode();
    putIfNotNull(client, "address", ctx.clientAddress());
    putIfNotNull(client, "user", ctx.clientUser());
    putIfNotNull(client, "agent", session == null ? null : session.clientName());
    if (!client.isEmpty()) {
      line.set("client", client);
    }
    return line;
  }

  /** The capture's {@code token} object: fingerprint and claims, never the token. */
  public static ObjectNode token(TokenObservation token) {
    ObjectNode node = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    node.put("fingerprint", token.fingerprint());
    token.claims().ifPresent(claims -> node.set("claims", claims(claims)));
    return node;
  }

  private static ObjectNode claims(TokenClaimsView claims) {
    ObjectNode node = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    putIfNotNull(node, "iss", claims.iss());
    putIfNotNull(node, "sub", claims.sub());
    if (!claims.aud().isEmpty()) {
      ArrayNode aud = node.putArray("aud");
      claims.aud().forEach(aud::add);
    }
    putIfNotNull(node, "azp", claims.azp());
    putIfNotNull(node, "client_id", claims.clientId());
    if (!claims.scope().isEmpty()) {
      node.put("scope", String.join(" ", claims.scope()));
    }
    if (claims.iat() != null) {
      node.put("iat", claims.iat().getEpochSecond());
    }
    if (claims.exp() != null) {
      node.put("exp", claims.exp().getEpochSecond());
    }
    if (claims.nbf() != null) {
      node.put("nbf", claims.nbf().getEpochSecond());
    }
    putIfNotNull(node, "jti", claims.jti());
    return node;
  }

  /** Redacts every string value in place (object member names are left as they are). */
  private JsonNode redactStrings(JsonNode node) {
    if (node.isObject()) {
      ObjectNode object = (ObjectNode) node;
      Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        if (field.getValue().isTextual()) {
          String redacted = redaction.redactOnly(field.getValue().textValue());
          if (!redacted.equals(field.getValue().textValue())) {
            field.setValue(TextNode.valueOf(redacted));
          }
        } else {
          redactStrings(field.getValue());
        }
      }
    } else if (node.isArray()) {
      ArrayNode array = (ArrayNode) node;
      for (int i = 0; i < array.size(); i++) {
        JsonNode element = array.get(i);
        if (element.isTextual()) {
          array.set(i, TextNode.valueOf(redaction.redactOnly(element.textValue())));
        } else {
          redactStrings(element);
        }
      }
    }
    return node;
  }

  private void write(ObjectNode line) throws IOException {
    json.writeValue(out, line);
    out.write('\n');
    lines++;
  }

  private static void putIfNotNull(ObjectNode node, String field, String value) {
    if (value != null) {
      node.put(field, value);
    }
  }
}
