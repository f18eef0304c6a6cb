package io.mcpaudit.agent.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcpaudit.event.MessageKind;

/**
 * One JSON-RPC 2.0 message (request, notification, result or error) as it was sent,
 * with the parts the agent reads picked out.
 *
 * @param id the JSON-RPC id node, null for notifications
 * @param params request params (null when absent)
 * @param result result object of a response (null otherwise)
 */
public record JsonRpcMessage(
    MessageKind kind,
    ObjectNode node,
    JsonNode id,
    String method,
    JsonNode params,
    JsonNode result,
    Integer errorCode,
    String errorMessage) {

  /** Prefix of the per-request _meta keys of protocol revision 2026-07-28. */
  public static final String META_PREFIX = "io.modelcontextprotocol/";

  /** The id as its JSON text, so that 1 and "1" stay distinguishable; null for notifications. */
  public String idText() {
    return id == null ? null : id.toString();
  }

  public boolean isRequest() {
    return kind == MessageKind.REQUEST;
  }

  public boolean isResponse() {
    return kind == MessageKind.RESULT || kind == MessageKind.ERROR;
  }

  /** params._meta["io.modelcontextprotocol/NAME"] of a request, or a missing node. */
  public JsonNode meta(String name) {
    JsonNode holder = params != null ? params : result;
    if (holder == null) {
      return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }
    return holder.path("_meta").path(META_PREFIX + name);
  }

  /** The protocol revision a 2026-07-28 request names in its _meta, if any. */
  public String metaProtocolVersion() {
    JsonNode version = meta("protocolVersion");
    return version.isTextual() ? version.textValue() : null;
  }

  /** The 2026-07-28 {@code resultType} of a result ({@code complete}, {@code input_required}), if present. */
  public String resultType() {
    if (result == null) {
      return null;
    }
    JsonNode type = result.path("resultType");
    return type.isTextual() ? type.textValue() : null;
  }

  /** A string field of params, or null. */
  public String paramText(String field) {
    if (params == null) {
      return null;
    }
    JsonNode value = params.path(field);
    return value.isTextual() ? value.textValue() : null;
  }
}
