package io.mcpaudit.agent.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import io.mcpaudit.event.MessageKind;
import java.util.List;

/**
 * What one unit on the wire (a stdio line, an HTTP body, an SSE event's data) turned
 * out to be: a single JSON-RPC message, a batch, or bytes that are not JSON-RPC.
 * The size and hash always describe the exact bytes that were relayed.
 *
 * @param root the parsed JSON (null when unparseable)
 * @param raw the bytes as seen, kept only for unparseable frames (null when they were too large to keep)
 */
public record McpFrame(
    long sizeBytes,
    String sha256,
    MessageKind kind,
    List<JsonRpcMessage> messages,
    JsonNode root,
    String parseError,
    byte[] raw) {

  public static McpFrame unparseable(long sizeBytes, String sha256, String reason, byte[] raw) {
    return new McpFrame(sizeBytes, sha256, MessageKind.UNPARSEABLE, List.of(), null, reason, raw);
  }

  public boolean isParsed() {
    return kind != MessageKind.UNPARSEABLE;
  }

  public boolean isBatch() {
    return kind == MessageKind.BATCH;
  }
}
