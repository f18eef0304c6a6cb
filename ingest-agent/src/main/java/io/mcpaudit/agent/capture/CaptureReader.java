package io.mcpaudit.agent.capture;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcpaudit.agent.secrets.TokenFingerprinter;
import io.mcpaudit.agent.secrets.TokenObservation;
import io.mcpaudit.event.Direction;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a capture (mcp-capture/1) line by line. A line that is not valid UTF-8 or JSON,
 * or lacks a required field, is reported with its number and skipped; the rest of the
 * file is still read. Unknown fields are kept and ignored.
 *
 * <p>A capture written by hand or by another tool may carry a raw bearer token in
 * {@code http.headers.authorization}: it is fingerprinted here, removed from the line
 * and replaced by {@code token}, so nothing downstream ever holds it.
 */
public final class CaptureReader implements Closeable {
  private static final Set<String> KINDS = Set.of(CaptureFormat.KIND_MESSAGE, CaptureFormat.KIND_LAUNCH,
      CaptureFormat.KIND_APPROVAL, CaptureFormat.KIND_SCOPE, CaptureFormat.KIND_SESSION_END);
  /** One line larger than this is reported and skipped rather than held in memory. */
  private static final int MAX_LINE_BYTES = 256 * 1024 * 1024;

  private final InputStream in;
  private final ObjectMapper json;
  private final TokenFingerprinter fingerprinter;
  private final List<CaptureProblem> problems = new ArrayList<>();
  private long lineNumber;
  private boolean eof;

  public CaptureReader(InputStream in, ObjectMapper json, TokenFingerprinter fingerprinter) {
    this.in = in instanceof BufferedInputStream ? in : new BufferedInputStream(in, 64 * 1024);
    this.json = json;
    this.fingerprinter = fingerprinter;
  }

  public static CaptureReader open(Path file, ObjectMapper json, TokenFingerprinter fingerprinter) throws IOException {
    return new CaptureReader(Files.newInputStream(file), json, fingerprinter);
  }

  /** The next valid line, skipping (and recording) bad ones; empty at the end of the file. */
  public Optional<CaptureLine> next() throws IOException {
    while (!eof) {
      byte[] bytes = readLine();
      if (bytes == null) {
        break;
      }
      long number = ++lineNumber;
      if (isBlank(bytes)) {
        continue;
      }
      Object parsed = parse(number, bytes);
      if (parsed instanceof CaptureLine line) {
        return Optional.of(line);
      }
      if (parsed instanceof String reason) {
        problems.add(new CaptureProblem(number, reason));
      }
    }
    return Optional.empty();
  }

  /** Every valid line; problems are available from {@link #problems()} afterwards. */
  public List<CaptureLine> readAll() throws IOException {
    List<CaptureLine> lines = new ArrayList<>();
    for (Optional<CaptureLine> line = next(); line.isPresent(); line = next()) {
      lines.add(line.get());
    }
    return lines;
  }

  /** Lines skipped so far, in file order. */
  public List<CaptureProblem> problems() {
    return List.copyOf(problems);
  }

  @Override
  public void close() throws IOException {
    in.close();
  }

  /** A CaptureLine, or a String with the reason the line is skipped. */
  private Object parse(long number, byte[] bytes) {
    if (bytes == OVERSIZED) {
      return "longer than " + MAX_LINE_BYTES + " bytes";
    }
    try {
      StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
    } catch (CharacterCodingException e) {
      return "not valid UTF-8";
    }
    JsonNode node;
    try {
      node = json.readTree(bytes);
    } catch (JsonProcessingException e) {
      return "not valid JSON (" + e.getOriginalMessage() + ")";
    } catch (IOException e) {
      return "unreadable (" + e.getMessage() + ")";
    }
    if (node == null || !node.isObject()) {
      return "not a JSON object";
    }
    ObjectNode line = (ObjectNode) node;
    String ts = text(line, "ts");
    String kind = text(line, "kind");
    String session = text(line, "session");
    if (ts == null) {
      return "lacks the required field 'ts'";
    }
    if (kind == null) {
      return "lacks the required field 'kind'";
    }
    if (session == null) {
      return "lacks the required field 'session'";
    }
    Instant time;
    try {
      time = OffsetDateTime.parse(ts).toInstant();
    } catch (DateTimeParseException e) {
      return "'ts' is not an RFC 3339 timestamp: '" + ts + "'";
    }
    try {
      time.toEpochMilli();
    } catch (ArithmeticException e) {
      return "'ts' is out of range (events carry milliseconds since 1970 in 64 bits): '" + ts + "'";
    }
    if (!KINDS.contains(kind)) {
      return "unknown kind '" + kind + "' (expected one of message, launch, approval, scope, session_end)";
    }
    fingerprintRawAuthorization(line);
    Direction direction = null;
    JsonNode message = null;
    if (CaptureFormat.KIND_MESSAGE.equals(kind)) {
      String dir = text(line, "direction");
      if (dir == null) {
        return "lacks the required field 'direction'";
      }
      if (dir.equals(CaptureFormat.CLIENT_TO_SERVER)) {
        direction = Direction.CLIENT_TO_SERVER;
      } else if (dir.equals(CaptureFormat.SERVER_TO_CLIENT)) {
        direction = Direction.SERVER_TO_CLIENT;
      } else {
        return "'direction' must be client_to_server or server_to_client, got '" + dir + "'";
      }
      message = line.get("message");
      boolean hasMessage = message != null && (message.isObject() || message.isArray());
      if (!hasMessage && !line.path(CaptureFormat.UNPARSEABLE).isObject()) {
        return "lacks the required field 'message' (a JSON-RPC object or batch array)";
      }
      if (!hasMessage) {
        message = null;
      }
    }
    return new CaptureLine(number, time, kind, session, direction, message, line);
  }

  /** Replaces http.headers.authorization (any case) by token {fingerprint, claims}. */
  private void fingerprintRawAuthorization(ObjectNode line) {
    JsonNode headers = line.path("http").path("headers");
    if (!headers.isObject()) {
      return;
    }
    Iterator<Map.Entry<String, JsonNode>> fields = ((ObjectNode) headers).fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> header = fields.next();
      if (header.getKey().equalsIgnoreCase("authorization") || header.getKey().equalsIgnoreCase("proxy-authorization")) {
        String value = header.getValue().asText("");
        fields.remove();
        if (header.getKey().equalsIgnoreCase("authorization") && !value.isBlank() && !line.has("token")) {
          TokenObservation token = fingerprinter.observeAuthorization(value);
          line.set("token", CaptureWriter.token(token));
        }
      }
    }
  }

  private static String text(ObjectNode line, String field) {
    JsonNode value = line.get(field);
    return value != null && value.isTextual() ? value.textValue() : null;
  }

  private static final byte[] OVERSIZED = new byte[0];

  /** The next line without its terminator (\n or \r\n); null at the end. */
  private byte[] readLine() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream(512);
    boolean any = false;
    boolean oversized = false;
    int b;
    while ((b = in.read()) != -1) {
      any = true;
      if (b == '\n') {
        break;
      }
      if (line.size() < MAX_LINE_BYTES) {
        line.write(b);
      } else {
        oversized = true;
      }
    }
    if (b == -1) {
      eof = true;
      if (!any) {
        return null;
      }
    }
    if (oversized) {
      return OVERSIZED;
    }
    byte[] bytes = line.toByteArray();
    if (bytes.length > 0 && bytes[bytes.length - 1] == '\r') {
      return java.util.Arrays.copyOf(bytes, bytes.length - 1);
    }
    return bytes;
  }

  private static boolean isBlank(byte[] bytes) {
    if (bytes == OVERSIZED) {
      return false;
    }
    for (byte b : bytes) {
      if (b != ' ' && b != '\t' && b != '\r') {
        return false;
      }
    }
    return true;
  }
}
