package io.mcpaudit.agent.mcp;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcpaudit.event.MessageKind;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns the bytes of one wire unit into an {@link McpFrame}. Never throws for bad
 * input: malformed JSON, invalid UTF-8, trailing garbage, duplicate keys (which a
 * server might resolve differently from the agent) and objects that are not JSON-RPC
 * 2.0 all become UNPARSEABLE frames with the reason.
 */
public final class JsonRpcParser {
  /** Unparseable bytes kept for the capture (redacted there); larger ones keep only size and hash. */
  private static final int MAX_RAW_KEPT = 64 * 1024;

  private final ObjectMapper json;

  public JsonRpcParser() {
    this(256 * 1024 * 1024);
  }

  /** @param maxStringChars the longest JSON string accepted (results can carry large texts) */
  public JsonRpcParser(int maxStringChars) {
    JsonMapper mapper = JsonMapper.builder()
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
        .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
        .build();
    mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
        .maxStringLength(maxStringChars)
        .maxNestingDepth(1000)
        .build());
    this.json = mapper;
  }

  /** The mapper the agent shares for everything JSON (same constraints as parsing). */
  public ObjectMapper mapper() {
    return json;
  }

  public McpFrame parse(byte[] bytes) {
    return parse(bytes, 0, bytes.length);
  }

  public McpFrame parse(byte[] bytes, int offset, int length) {
    String sha256 = Hashes.sha256Hex(bytes, offset, length);
    String utf8Problem = utf8Problem(bytes, offset, length);
    if (utf8Problem != null) {
      return McpFrame.unparseable(length, sha256, utf8Problem, keep(bytes, offset, length));
    }
    JsonNode root;
    try {
      root = json.readTree(bytes, offset, length);
    } catch (JsonProcessingException e) {
      return McpFrame.unparseable(length, sha256, "malformed JSON: " + e.getOriginalMessage(), keep(bytes, offset, length));
    } catch (IOException e) {
      return McpFrame.unparseable(length, sha256, "unreadable: " + e.getMessage(), keep(bytes, offset, length));
    }
    if (root == null || root.isMissingNode()) {
      return McpFrame.unparseable(length, sha256, "empty message", keep(bytes, offset, length));
    }
    return classify(root, length, sha256, bytes, offset);
  }

  /** Classifies an already parsed JSON value (capture replay, HTTP bodies parsed elsewhere). */
  public McpFrame classify(JsonNode root, long sizeBytes, String sha256) {
    return classify(root, sizeBytes, sha256, null, 0);
  }

  private McpFrame classify(JsonNode root, long sizeBytes, String sha256, byte[] bytes, int offset) {
    if (root.isArray()) {
      if (root.isEmpty()) {
        return McpFrame.unparseable(sizeBytes, sha256, "not JSON-RPC: empty batch", keep(bytes, offset, (int) sizeBytes));
      }
      List<JsonRpcMessage> messages = new ArrayList<>(root.size());
      for (int i = 0; i < root.size(); i++) {
        Object element = message(root.get(i));
        if (element instanceof String problem) {
          return McpFrame.unparseable(sizeBytes, sha256, "not JSON-RPC: batch element " + (i + 1) + ": " + problem,
              keep(bytes, offset, (int) sizeBytes));
        }
        messages.add((JsonRpcMessage) element);
      }
      return new McpFrame(sizeBytes, sha256, MessageKind.BATCH, List.copyOf(messages), root, null, null);
    }
    Object single = message(root);
    if (single instanceof String problem) {
      return McpFrame.unparseable(sizeBytes, sha256, "not JSON-RPC: " + problem, keep(bytes, offset, (int) sizeBytes));
    }
    JsonRpcMessage message = (JsonRpcMessage) single;
    return new McpFrame(sizeBytes, sha256, message.kind(), List.of(message), root, null, null);
  }

  /** A JsonRpcMessage, or a String saying why the value is not one. */
  private static Object message(JsonNode node) {
    if (!node.isObject()) {
      return "expected an object, found " + node.getNodeType().name().toLowerCase();
    }
    ObjectNode object = (ObjectNode) node;
    JsonNode version = object.get("jsonrpc");
    if (version == null || !"2.0".equals(version.textValue())) {
      return version == null ? "no \"jsonrpc\" member" : "\"jsonrpc\" is " + version + ", not \"2.0\"";
    }
    JsonNode id = object.get("id");
    if (id != null && !(id.isTextual() || id.isIntegralNumber() || id.isNull())) {
      return "\"id\" must be a string or an integer, found " + id.getNodeType().name().toLowerCase();
    }
    JsonNode method = object.get("method");
    JsonNode result = object.get("result");
    JsonNode error = object.get("error");
    if (method != null) {
      if (!method.isTextual()) {
        return "\"method\" must be a string";
      }
      if (result != null || error != null) {
        return "a request cannot carry \"result\" or \"error\"";
      }
      JsonNode params = object.get("params");
      if (params != null && !(params.isObject() || params.isArray())) {
        return "\"params\" must be an object or an array";
      }
      MessageKind kind = id == null ? MessageKind.NOTIFICATION : MessageKind.REQUEST;
      return new JsonRpcMessage(kind, object, id, method.textValue(), params, null, null, null);
    }
    if (result != null && error != null) {
      return "a response cannot carry both \"result\" and \"error\"";
    }
    if (id == null && (result != null || error != null)) {
      return "a response must carry an \"id\"";
    }
    if (result != null) {
      return new JsonRpcMessage(MessageKind.RESULT, object, id, null, null, result, null, null);
    }
    if (error != null) {
      if (!error.isObject() || !error.path("code").isIntegralNumber()) {
        return "\"error\" must be an object with an integer \"code\"";
      }
      JsonNode message = error.get("message");
      return new JsonRpcMessage(MessageKind.ERROR, object, id, null, null, null, error.get("code").intValue(),
          message != null && message.isTextual() ? message.textValue() : null);
    }
    return "neither \"method\", \"result\" nor \"error\"";
  }

  /** Null when the bytes are valid UTF-8, else where they are not. */
  private static String utf8Problem(byte[] bytes, int offset, int length) {
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes, offset, length);
    try {
      decoder.decode(in);
      return null;
    } catch (MalformedInputException e) {
      return "invalid UTF-8 at byte " + (in.position() - offset);
    } catch (CharacterCodingException e) {
      return "invalid UTF-8: " + e.getMessage();
    }
  }

  private static byte[] keep(byte[] bytes, int offset, int length) {
    if (bytes == null || length > MAX_RAW_KEPT) {
      return null;
    }
    byte[] copy = new byte[length];
    System.arraycopy(bytes, offset, copy, 0, length);
    return copy;
  }
}
