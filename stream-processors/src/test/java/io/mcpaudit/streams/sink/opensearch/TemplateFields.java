package io.mcpaudit.streams.sink.opensearch;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The fields an index template maps, by dotted name (object properties and multi-fields such as
 * {@code rule.name.raw}), plus the fields its {@code path_match} dynamic templates cover. A string
 * that only the generic {@code match_mapping_type: string} template would map does not count: those
 * become plain keywords, so a {@code .keyword} sub-field never exists unless a template maps it.
 */
final class TemplateFields {

  /** A mapped field; {@code underNested} when it lives inside a nested object (no plain aggregations there). */
  record Field(String name, String type, boolean underNested) {}

  private final List<String> indexPatterns;
  private final Map<String, Field> fields = new LinkedHashMap<>();
  private final Map<Pattern, String> dynamicPaths = new LinkedHashMap<>();

  private TemplateFields(JsonNode template) {
    List<String> patterns = new ArrayList<>();
    template.path("index_patterns").forEach(p -> patterns.add(p.asText()));
    this.indexPatterns = List.copyOf(patterns);
    JsonNode mappings = template.path("template").path("mappings");
    walk(mappings.path("properties"), "", false);
    for (JsonNode entry : mappings.path("dynamic_templates")) {
      for (Map.Entry<String, JsonNode> named : entry.properties()) {
        JsonNode rule = named.getValue();
        if (rule.hasNonNull("path_match")) {
          dynamicPaths.put(glob(rule.path("path_match").asText()), rule.path("mapping").path("type").asText("object"));
        }
      }
    }
  }

  static TemplateFields of(JsonNode template) {
    return new TemplateFields(template);
  }

  List<String> indexPatterns() {
    return indexPatterns;
  }

  /** The field, from the explicit mappings or a {@code path_match} dynamic template. */
  Optional<Field> field(String name) {
    Field mapped = fields.get(name);
    if (mapped != null) {
      return Optional.of(mapped);
    }
    for (Map.Entry<Pattern, String> dynamic : dynamicPaths.entrySet()) {
      if (dynamic.getKey().matcher(name).matches()) {
        return Optional.of(new Field(name, dynamic.getValue(), false));
      }
    }
    return Optional.empty();
  }

  Map<String, Field> fields() {
    return fields;
  }

  private void walk(JsonNode properties, String prefix, boolean underNested) {
    for (Map.Entry<String, JsonNode> property : properties.properties()) {
      String name = prefix + property.getKey();
      JsonNode mapping = property.getValue();
      String type = mapping.path("type").asText("object");
      fields.put(name, new Field(name, type, underNested));
      if (mapping.has("properties")) {
        walk(mapping.path("properties"), name + ".", underNested || type.equals("nested"));
      }
      for (Map.Entry<String, JsonNode> sub : mapping.path("fields").properties()) {
        fields.put(name + "." + sub.getKey(), new Field(name + "." + sub.getKey(), sub.getValue().path("type").asText(),
            underNested));
      }
    }
  }

  /** An index-pattern style glob ({@code *} matches anything, nothing else is special) as a regex. */
  static Pattern glob(String glob) {
    String[] parts = glob.split("\\*", -1);
    StringBuilder regex = new StringBuilder();
    for (int i = 0; i < parts.length; i++) {
      if (i > 0) {
        regex.append(".*");
      }
      regex.append(Pattern.quote(parts[i]));
    }
    return Pattern.compile(regex.toString());
  }
}
