package io.mcpaudit.streams.sink.opensearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Structural checks of OpenSearch Dashboards saved objects (NDJSON export format) against the
 * shipped index templates: what Dashboards would only reveal at import time or, worse, as an empty
 * panel. Each check returns a list of problems, empty when all is well, so tests can show them all.
 */
final class SavedObjectsCheck {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> NUMERIC = Set.of("long", "integer", "short", "byte", "double", "float",
      "half_float", "scaled_float", "unsigned_long");
  /** Strings in quotes are values, never field names. */
  private static final Pattern QUOTED = Pattern.compile("\"(?:\\\\.|[^\"\\\\])*\"");
  /** {@code field:} in DQL / Lucene query strings. */
  private static final Pattern QUERY_FIELD = Pattern.compile("(?<![\\w.@*-])([A-Za-z_@][\\w.@]*)\\s*:");

  /** One NDJSON line. */
  record SavedObject(Path file, int line, JsonNode json) {
    String id() {
      return json.path("id").asText();
    }

    String type() {
      return json.path("type").asText();
    }

    JsonNode attributes() {
      return json.path("attributes");
    }

    String where() {
      return file.getFileName() + ":" + line + " " + type() + " " + id();
    }

    /** An attribute that holds JSON as a string (visState, searchSourceJSON, panelsJSON …), parsed. */
    JsonNode embedded(String... path) {
      JsonNode node = attributes();
      for (String step : path) {
        node = node.path(step);
      }
      if (node.isMissingNode() || node.isNull()) {
        return JSON.missingNode();
      }
      try {
        return JSON.readTree(node.asText());
      } catch (IOException e) {
        throw new IllegalStateException(where() + ": " + String.join(".", path) + " is not JSON: " + e.getMessage(), e);
      }
    }

    /** The id a named reference ({@code references[].name}) points to. */
    Optional<String> reference(String name) {
      for (JsonNode ref : json.path("references")) {
        if (ref.path("name").asText().equals(name)) {
          return Optional.of(ref.path("id").asText());
        }
      }
      return Optional.empty();
    }
  }

  private SavedObjectsCheck() {}

  /** Every line of every file, in import order; a line that is not a JSON object fails with its file and line. */
  static List<SavedObject> read(List<Path> files) throws IOException {
    List<SavedObject> objects = new ArrayList<>();
    for (Path file : files) {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      for (int i = 0; i < lines.size(); i++) {
        if (lines.get(i).isBlank()) {
          continue;
        }
        JsonNode json;
        try {
          json = JSON.readTree(lines.get(i));
        } catch (IOException e) {
          throw new IllegalStateException(file.getFileName() + ":" + (i + 1) + " is not JSON: " + e.getMessage(), e);
        }
        if (json == null || !json.isObject()) {
          throw new IllegalStateException(file.getFileName() + ":" + (i + 1) + " is not a JSON object");
        }
        objects.add(new SavedObject(file, i + 1, json));
      }
    }
    return objects;
  }

  /** Missing id/type/attributes/title and embedded JSON that does not parse. */
  static List<String> shapeProblems(List<SavedObject> objects) {
    List<String> problems = new ArrayList<>();
    for (SavedObject o : objects) {
      if (o.id().isBlank() || o.type().isBlank() || !o.attributes().isObject()) {
        problems.add(o.where() + ": needs id, type and attributes");
        continue;
      }
      if (o.attributes().path("title").asText().isBlank()) {
        problems.add(o.where() + ": has no title");
      }
      if (!o.json().path("references").isArray()) {
        problems.add(o.where() + ": references must be an array");
      }
      List<String[]> embedded = switch (o.type()) {
        case "visualization" -> List.of(new String[] {"visState"}, new String[] {"uiStateJSON"},
            new String[] {"kibanaSavedObjectMeta", "searchSourceJSON"});
        case "search" -> List.<String[]>of(new String[] {"kibanaSavedObjectMeta", "searchSourceJSON"});
        case "dashboard" -> List.of(new String[] {"panelsJSON"}, new String[] {"optionsJSON"},
            new String[] {"kibanaSavedObjectMeta", "searchSourceJSON"});
        default -> List.<String[]>of();
      };
      for (String[] path : embedded) {
        try {
          if (o.embedded(path).isMissingNode()) {
            problems.add(o.where() + ": " + String.join(".", path) + " is missing");
          }
        } catch (IllegalStateException e) {
          problems.add(e.getMessage());
        }
      }
    }
    return problems;
  }

  static List<String> duplicateIds(List<SavedObject> objects) {
    Set<String> seen = new HashSet<>();
    List<String> problems = new ArrayList<>();
    for (SavedObject o : objects) {
      if (!seen.add(o.id())) {
        problems.add(o.where() + ": id used by another object too");
      }
    }
    return problems;
  }

  /**
   * Every {@code references[]} entry names an object of that type and id that is imported in the
   * same file or an earlier one (the import API rejects references to objects it does not know).
   */
  static List<String> unresolvedReferences(List<SavedObject> objects, List<Path> importOrder) {
    Map<String, SavedObject> byTypeAndId = new HashMap<>();
    objects.forEach(o -> byTypeAndId.put(o.type() + "/" + o.id(), o));
    List<String> problems = new ArrayList<>();
    for (SavedObject o : objects) {
      for (JsonNode ref : o.json().path("references")) {
        String key = ref.path("type").asText() + "/" + ref.path("id").asText();
        SavedObject target = byTypeAndId.get(key);
        if (target == null) {
          problems.add(o.where() + ": reference " + ref.path("name").asText() + " -> " + key + " is not in the files");
        } else if (importOrder.indexOf(target.file()) > importOrder.indexOf(o.file())) {
          problems.add(o.where() + ": reference " + key + " is defined in " + target.file().getFileName()
              + ", which is imported later");
        }
      }
    }
    return problems;
  }

  /** Every reference name used inside an object (indexRefName, panelRefName, indexPatternRefName) is declared. */
  static List<String> undeclaredRefNames(List<SavedObject> objects) {
    List<String> problems = new ArrayList<>();
    for (SavedObject o : objects) {
      List<String> used = new ArrayList<>();
      switch (o.type()) {
        case "visualization" -> {
          textIfPresent(o.embedded("kibanaSavedObjectMeta", "searchSourceJSON").path("indexRefName"), used);
          for (JsonNode control : o.embedded("visState").path("params").path("controls")) {
            textIfPresent(control.path("indexPatternRefName"), used);
          }
        }
        case "search" -> textIfPresent(o.embedded("kibanaSavedObjectMeta", "searchSourceJSON").path("indexRefName"), used);
        case "dashboard" -> o.embedded("panelsJSON").forEach(p -> textIfPresent(p.path("panelRefName"), used));
        default -> { }
      }
      for (String name : used) {
        if (o.reference(name).isEmpty()) {
          problems.add(o.where() + ": uses reference name " + name + " but declares no such reference");
        }
      }
    }
    return problems;
  }

  /**
   * Every field a visualization, saved search or index pattern uses is mapped by the index template of
   * its index pattern, with a type its aggregation can work on.
   */
  static List<String> fieldProblems(List<SavedObject> objects, List<TemplateFields> templates) {
    Map<String, SavedObject> patterns = new HashMap<>();
    objects.stream().filter(o -> o.type().equals("index-pattern")).forEach(o -> patterns.put(o.id(), o));
    List<String> problems = new ArrayList<>();
    for (SavedObject o : objects) {
      switch (o.type()) {
        case "index-pattern" -> {
          Optional<TemplateFields> template = templateFor(o, templates, problems);
          String time = o.attributes().path("timeFieldName").asText();
          template.ifPresent(t -> require(o, t, time, "time field", Set.of("date", "date_nanos"), problems));
        }
        case "visualization" -> {
          JsonNode vis = o.embedded("visState");
          JsonNode source = o.embedded("kibanaSavedObjectMeta", "searchSourceJSON");
          // Input controls name their index pattern per control and query nothing themselves.
          boolean queriesItsOwnIndex = !vis.path("aggs").isEmpty() || !queryFields(source).isEmpty();
          Optional<TemplateFields> template = queriesItsOwnIndex
              ? patternOf(o, source.path("indexRefName").asText(""), patterns, templates, problems)
              : Optional.empty();
          template.ifPresent(t -> {
            for (JsonNode agg : vis.path("aggs")) {
              String field = agg.path("params").path("field").asText("");
              if (!field.isEmpty()) {
                aggregation(o, t, agg.path("type").asText(), field, problems);
              }
            }
            queryFields(source).forEach(f -> require(o, t, f, "query field", Set.of(), problems));
          });
          for (JsonNode control : vis.path("params").path("controls")) {
            patternOf(o, control.path("indexPatternRefName").asText(""), patterns, templates, problems)
                .ifPresent(t -> aggregation(o, t, "terms", control.path("fieldName").asText(), problems));
          }
        }
        case "search" -> {
          JsonNode source = o.embedded("kibanaSavedObjectMeta", "searchSourceJSON");
          patternOf(o, source.path("indexRefName").asText(""), patterns, templates, problems).ifPresent(t -> {
            for (JsonNode column : o.attributes().path("columns")) {
              if (!column.asText().equals("_source")) {
                require(o, t, column.asText(), "column", Set.of(), problems);
              }
            }
            for (JsonNode sort : o.attributes().path("sort")) {
              require(o, t, sort.path(0).asText(), "sort field", Set.of(), problems);
            }
            queryFields(source).forEach(f -> require(o, t, f, "query field", Set.of(), problems));
          });
        }
        default -> { }
      }
    }
    return problems;
  }

  /** Field names in a search source's query string and filters. */
  static Set<String> queryFields(JsonNode searchSource) {
    Set<String> fields = new LinkedHashSet<>();
    String query = searchSource.path("query").path("query").asText("");
    Matcher m = QUERY_FIELD.matcher(QUOTED.matcher(query).replaceAll("\"\""));
    while (m.find()) {
      fields.add(m.group(1));
    }
    for (JsonNode filter : searchSource.path("filter")) {
      textIfPresent(filter.path("meta").path("key"), fields);
    }
    return fields;
  }

  private static void aggregation(SavedObject o, TemplateFields t, String aggType, String field, List<String> problems) {
    Set<String> numeric = NUMERIC;
    Set<String> numericOrDate = new HashSet<>(NUMERIC);
    numericOrDate.addAll(Set.of("date", "date_nanos"));
    Set<String> allowed = switch (aggType) {
      case "date_histogram", "date_range" -> Set.of("date", "date_nanos");
      case "histogram", "avg", "sum", "median", "percentiles", "percentile_ranks", "std_dev", "range" -> numeric;
      case "min", "max" -> numericOrDate;
      default -> Set.of();
    };
    String what = aggType + " aggregation";
    Optional<TemplateFields.Field> mapped = require(o, t, field, what, allowed, problems);
    mapped.ifPresent(f -> {
      if (f.type().equals("text") || f.type().equals("object") || f.type().equals("nested")) {
        problems.add(o.where() + ": " + what + " on " + field + ", which is " + f.type() + " and cannot be aggregated");
      } else if (f.underNested()) {
        problems.add(o.where() + ": " + what + " on " + field + ", which is inside a nested object");
      }
    });
  }

  /** The field must be mapped (and of one of {@code types}, when given). */
  private static Optional<TemplateFields.Field> require(SavedObject o, TemplateFields t, String field, String what,
                                                        Set<String> types, List<String> problems) {
    Optional<TemplateFields.Field> mapped = t.field(field);
    if (mapped.isEmpty()) {
      problems.add(o.where() + ": " + what + " " + field + " is not mapped by the template for " + t.indexPatterns());
    } else if (!types.isEmpty() && !types.contains(mapped.get().type())) {
      problems.add(o.where() + ": " + what + " " + field + " is " + mapped.get().type() + ", needs one of " + types);
    }
    return mapped;
  }

  private static Optional<TemplateFields> patternOf(SavedObject o, String refName, Map<String, SavedObject> patterns,
                                                    List<TemplateFields> templates, List<String> problems) {
    if (refName.isEmpty()) {
      problems.add(o.where() + ": has no index pattern reference, so its fields cannot be checked");
      return Optional.empty();
    }
    Optional<String> id = o.reference(refName);
    SavedObject pattern = id.map(patterns::get).orElse(null);
    if (pattern == null) {
      problems.add(o.where() + ": " + refName + " does not point to an index pattern in the files");
      return Optional.empty();
    }
    return templateFor(pattern, templates, new ArrayList<>());
  }

  private static Optional<TemplateFields> templateFor(SavedObject pattern, List<TemplateFields> templates,
                                                      List<String> problems) {
    String title = pattern.attributes().path("title").asText();
    for (TemplateFields t : templates) {
      if (t.indexPatterns().contains(title)) {
        return Optional.of(t);
      }
    }
    problems.add(pattern.where() + ": title " + title + " is not the index pattern of any shipped index template");
    return Optional.empty();
  }

  private static void textIfPresent(JsonNode node, java.util.Collection<String> into) {
    if (node.isTextual() && !node.asText().isEmpty()) {
      into.add(node.asText());
    }
  }
}
