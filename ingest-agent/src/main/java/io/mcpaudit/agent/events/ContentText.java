package io.mcpaudit.agent.events;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;

/**
 * Renders MCP content (tool results, resource contents, prompt and sampling messages)
 * as the text a model would read: text blocks verbatim, binary blocks as a short
 * marker with their type and size, structured content as JSON. Detections scan this
 * text, and its hash identifies the full original.
 */
final class ContentText {
  private ContentText() {}

  /** content blocks and structuredContent of a tools/call result. */
  static String toolResult(JsonNode result) {
    StringBuilder out = new StringBuilder();
    blocks(result.path("content"), out);
    JsonNode structured = result.get("structuredContent");
    if (structured != null && !structured.isNull()) {
      separate(out).append(structured.toString());
    }
    return out.toString();
  }

  /** The contents array of a resources/read result. */
  static String resourceContents(JsonNode contents) {
    StringBuilder out = new StringBuilder();
    for (JsonNode item : iterable(contents)) {
      resource(item, out);
    }
    return out.toString();
  }

  /** messages of prompts/get or sampling/createMessage: "role: content" per message. */
  static String messages(JsonNode messages) {
    StringBuilder out = new StringBuilder();
    for (JsonNode message : iterable(messages)) {
      separate(out).append(message.path("role").asText("?")).append(": ");
      JsonNode content = message.path("content");
      if (content.isArray()) {
        StringBuilder inner = new StringBuilder();
        blocks(content, inner);
        out.append(inner);
      } else {
        block(content, out);
      }
    }
    return out.toString();
  }

  private static void blocks(JsonNode content, StringBuilder out) {
    for (JsonNode block : iterable(content)) {
      separate(out);
      block(block, out);
    }
  }

  private static void block(JsonNode block, StringBuilder out) {
    String type = block.path("type").asText("");
    switch (type) {
      case "text" -> out.append(block.path("text").asText(""));
      case "image", "audio" -> out.append('[').append(type).append(' ').append(block.path("mimeType").asText("?"))
          .append(", ").append(block.path("data").asText("").length()).append(" base64 chars]");
      case "resource" -> resource(block.path("resource"), out);
      case "resource_link" -> out.append("[resource_link ").append(block.path("uri").asText(""))
          .append(block.has("name") ? " " + block.path("name").asText() : "").append(']');
      default -> out.append(block.toString());
    }
  }

  private static void resource(JsonNode resource, StringBuilder out) {
    if (resource.hasNonNull("text")) {
      separate(out).append(resource.path("text").asText(""));
    } else if (resource.hasNonNull("blob")) {
      separate(out).append("[blob ").append(resource.path("uri").asText("")).append(' ')
          .append(resource.path("mimeType").asText("?")).append(", ")
          .append(resource.path("blob").asText("").length()).append(" base64 chars]");
    }
  }

  private static StringBuilder separate(StringBuilder out) {
    if (out.length() > 0) {
      out.append('\n');
    }
    return out;
  }

  private static Iterable<JsonNode> iterable(JsonNode node) {
    if (node == null || !node.isArray()) {
      return java.util.List.of();
    }
    return () -> {
      Iterator<JsonNode> elements = node.elements();
      return elements;
    };
  }
}
