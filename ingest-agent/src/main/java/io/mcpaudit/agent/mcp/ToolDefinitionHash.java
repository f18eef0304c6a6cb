package io.mcpaudit.agent.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The identity of a tool definition: SHA-256 of the canonical JSON (RFC 8785) of its
 * name, description, inputSchema and annotations. A change in any of them (a rug pull,
 * a poisoned description) changes the hash; key order and whitespace do not.
 */
public final class ToolDefinitionHash {
  private ToolDefinitionHash() {}

  public static String of(JsonNode tool) {
    ObjectNode identity = JsonNodeFactory.instance.objectNode();
    for (String field : new String[] {"name", "description", "inputSchema", "annotations"}) {
      JsonNode value = tool.get(field);
      if (value != null && !value.isNull()) {
        identity.set(field, value);
      }
    }
    return CanonicalJson.sha256(identity);
  }
}
