package io.mcpaudit.streams.sink.opensearch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mcpaudit.streams.sink.opensearch.SavedObjectsCheck.SavedObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped dashboards (deploy/opensearch/dashboards/*.ndjson) are importable and show data: every
 * line is a saved object, ids are unique, references resolve in import order, and every field a
 * visualization, saved search or index pattern uses is mapped by the shipped index templates with
 * a type its aggregation works on. No servers: a dashboard that drifts from the templates fails here.
 */
class DashboardSavedObjectsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Visualization types OpenSearch Dashboards 2.x ships (the classic editor ones we rely on). */
  private static final Set<String> VIS_TYPES = Set.of("line", "histogram", "horizontal_bar", "area", "pie", "table",
      "metric", "input_control_vis", "markdown");

  private static Path root;
  private static List<Path> files;
  private static List<SavedObject> objects;
  private static List<TemplateFields> templates;

  @BeforeAll
  static void load() throws IOException {
    root = Path.of(System.getProperty("mcpaudit.repo.root", "..")).toAbsolutePath().normalize();
    files = DashboardsImporter.files(root.resolve("deploy/opensearch/dashboards"));
    objects = SavedObjectsCheck.read(files);
    templates = new ArrayList<>();
    try (Stream<Path> list = Files.list(root.resolve("deploy/opensearch/templates"))) {
      for (Path template : list.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
        templates.add(TemplateFields.of(JSON.readTree(template.toFile())));
      }
    }
  }

  @Test
  void everyLineIsASavedObjectWithParseableEmbeddedJson() {
    assertThat(objects).hasSizeGreaterThan(20);
    assertThat(SavedObjectsCheck.shapeProblems(objects)).isEmpty();
  }

  @Test
  void objectIdsAreUnique() {
    assertThat(SavedObjectsCheck.duplicateIds(objects)).isEmpty();
  }

  @Test
  void everyReferenceResolvesToAnObjectImportedNoLaterThanItsUser() {
    assertThat(SavedObjectsCheck.unresolvedReferences(objects, files)).isEmpty();
    assertThat(SavedObjectsCheck.undeclaredRefNames(objects)).isEmpty();
  }

  @Test
  void everyFieldUsedIsMappedByTheIndexTemplatesWithAUsableType() {
    assertThat(SavedObjectsCheck.fieldProblems(objects, templates)).isEmpty();
  }

  @Test
  void aDashboardUsingFieldsTheTemplatesDoNotMapFailsTheCheck(@TempDir Path dir) throws IOException {
    // Default OpenSearch dynamic mapping would add user.name.keyword; these templates map strings as keyword only.
    String broken = String.join("\n",
        line(Map.of("id", "p", "type", "index-pattern",
            "attributes", Map.of("title", "mcp-alerts*", "timeFieldName", "@timestamp"), "references", List.of())),
        line(visualization("v", "p", "terms", "user.name.keyword", "mcp.alert.colour:red")),
        line(visualization("w", "p", "terms", "rule.description", "")),
        line(visualization("x", "p", "date_histogram", "mcp.alert.count", "")),
        line(visualization("y", "p", "terms", "mcp.alert.attributes.tool", "")));
    Path file = Files.writeString(dir.resolve("broken.ndjson"), broken + "\n");

    List<String> problems = SavedObjectsCheck.fieldProblems(SavedObjectsCheck.read(List.of(file)), templates);

    assertThat(problems).anyMatch(p -> p.contains("visualization v") && p.contains("user.name.keyword")
        && p.contains("not mapped"));
    assertThat(problems).anyMatch(p -> p.contains("visualization v") && p.contains("mcp.alert.colour"));
    assertThat(problems).anyMatch(p -> p.contains("visualization w") && p.contains("text"));
    assertThat(problems).anyMatch(p -> p.contains("visualization x") && p.contains("needs one of"));
    assertThat(problems).as("mcp.alert.attributes.* is mapped by a path_match dynamic template")
        .noneMatch(p -> p.contains("visualization y"));
  }

  @Test
  void aReferenceToAnObjectThatIsNotShippedFailsTheCheck(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("dangling.ndjson"),
        line(visualization("v", "no-such-pattern", "terms", "user.name", "")) + "\n");
    List<SavedObject> dangling = SavedObjectsCheck.read(List.of(file));

    assertThat(SavedObjectsCheck.unresolvedReferences(dangling, List.of(file)))
        .singleElement().asString().contains("index-pattern/no-such-pattern");
  }

  @Test
  void theIndexPatternsCoverEventsAlertsAndTracesByTimestamp() {
    Map<String, String> patterns = objects.stream().filter(o -> o.type().equals("index-pattern"))
        .collect(Collectors.toMap(o -> o.attributes().path("title").asText(),
            o -> o.attributes().path("timeFieldName").asText()));
    assertThat(patterns).containsExactlyInAnyOrderEntriesOf(Map.of(
        "mcp-events*", "@timestamp", "mcp-alerts*", "@timestamp", "mcp-traces*", "@timestamp"));
    assertThat(files.get(0).getFileName().toString()).as("index patterns are imported first")
        .isEqualTo("00-index-patterns.ndjson");
  }

  @Test
  void theFourDashboardsShowWhatTheirUsersNeed() {
    assertThat(fieldsOnDashboard("mcp-audit-soc-overview"))
        .contains("mcp.alert.category", "mcp.alert.severity", "server.name", "user.name", "gen_ai.tool.name",
            "@timestamp");
    assertThat(fieldsOnDashboard("mcp-audit-session-explorer"))
        .contains("mcp.session.id", "event.action", "gen_ai.tool.name", "mcp.tool.arguments", "mcp.content.text",
            "mcp.approval.decision", "mcp.alert.evidence_event_ids", "mcp.trace.step_count");
    assertThat(fieldsOnDashboard("mcp-audit-token-usage"))
        .contains("token.fingerprint", "token.resource", "token.claims.aud");
    assertThat(fieldsOnDashboard("mcp-audit-approvals"))
        .contains("mcp.approval.decision", "mcp.approval.approver", "mcp.approval.decided_in_ms");
  }

  @Test
  void visualizationsUseClassicTypesAndPanelsFitTheGrid() {
    for (SavedObject o : objects) {
      if (o.type().equals("visualization")) {
        assertThat(o.embedded("visState").path("type").asText()).as(o.where()).isIn(VIS_TYPES);
        assertThat(o.embedded("visState").path("title").asText()).as(o.where())
            .isEqualTo(o.attributes().path("title").asText());
      }
      if (o.type().equals("dashboard")) {
        for (JsonNode panel : o.embedded("panelsJSON")) {
          JsonNode grid = panel.path("gridData");
          assertThat(grid.path("x").asInt() + grid.path("w").asInt()).as(o.where() + " panel width").isBetween(1, 48);
          assertThat(grid.path("h").asInt()).as(o.where() + " panel height").isPositive();
        }
      }
    }
  }

  /** Every field the panels of one dashboard use (aggregations, controls, columns, queries). */
  private static Set<String> fieldsOnDashboard(String id) {
    SavedObject dashboard = objects.stream().filter(o -> o.id().equals(id)).findFirst()
        .orElseThrow(() -> new AssertionError("no dashboard " + id));
    Set<String> fields = new java.util.TreeSet<>();
    for (JsonNode ref : dashboard.json().path("references")) {
      SavedObject panel = objects.stream().filter(o -> o.id().equals(ref.path("id").asText())).findFirst().orElseThrow();
      if (panel.type().equals("visualization")) {
        JsonNode vis = panel.embedded("visState");
        vis.path("aggs").forEach(a -> {
          if (a.path("params").has("field")) {
            fields.add(a.path("params").path("field").asText());
          }
        });
        vis.path("params").path("controls").forEach(c -> fields.add(c.path("fieldName").asText()));
      } else if (panel.type().equals("search")) {
        panel.attributes().path("columns").forEach(c -> fields.add(c.asText()));
      }
      fields.addAll(SavedObjectsCheck.queryFields(panel.embedded("kibanaSavedObjectMeta", "searchSourceJSON")));
    }
    return fields;
  }

  private static Map<String, Object> visualization(String id, String pattern, String aggType, String field,
                                                   String query) {
    Map<String, Object> vis = Map.of("title", id, "type", "table", "params", Map.of(), "aggs", List.of(
        Map.of("id", "1", "type", "count", "schema", "metric", "params", Map.of()),
        Map.of("id", "2", "type", aggType, "schema", "bucket", "params", Map.of("field", field))));
    Map<String, Object> source = Map.of("query", Map.of("query", query, "language", "kuery"), "filter", List.of(),
        "indexRefName", "kibanaSavedObjectMeta.searchSourceJSON.index");
    return Map.of("id", id, "type", "visualization",
        "attributes", Map.of("title", id, "visState", json(vis), "uiStateJSON", "{}",
            "kibanaSavedObjectMeta", Map.of("searchSourceJSON", json(source))),
        "references", List.of(Map.of("name", "kibanaSavedObjectMeta.searchSourceJSON.index", "type", "index-pattern",
            "id", pattern)));
  }

  private static String line(Object o) {
    return json(o);
  }

  private static String json(Object o) {
    try {
      return JSON.writeValueAsString(o);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
