package io.mcpaudit.schema.ecs;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A nested, JSON-shaped document built from dotted field names, e.g. {@code put("mcp.session.id", s)}
 * yields {@code {"mcp":{"session":{"id":s}}}}. Null values and empty collections are left out, so
 * documents carry only what was seen.
 */
public final class EcsDocument {
  private final Map<String, Object> root = new LinkedHashMap<>();

  public EcsDocument put(String dottedName, Object value) {
    if (value == null || (value instanceof Collection<?> c && c.isEmpty())
        || (value instanceof Map<?, ?> m && m.isEmpty())) {
      return this;
    }
    String[] parts = dottedName.split("\\.");
    Map<String, Object> node = root;
    for (int i = 0; i < parts.length - 1; i++) {
      Object child = node.computeIfAbsent(parts[i], k -> new LinkedHashMap<String, Object>());
      if (!(child instanceof Map)) {
        throw new IllegalStateException("field '" + dottedName + "' would nest under the value of '"
            + String.join(".", List.of(parts).subList(0, i + 1)) + "'");
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> next = (Map<String, Object>) child;
      node = next;
    }
    node.put(parts[parts.length - 1], value instanceof CharSequence cs ? cs.toString() : value);
    return this;
  }

  /** The document as nested maps, lists and scalars: what Jackson writes and rules match on. */
  public Map<String, Object> asMap() {
    return root;
  }
}
