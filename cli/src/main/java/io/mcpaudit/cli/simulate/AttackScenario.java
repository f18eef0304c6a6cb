package io.mcpaudit.cli.simulate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * One tabletop exercise: a story, the alert categories it must raise, and the traffic that tells
 * it, as capture lines ({@code mcp-capture/1}, see docs/contracts/capture-v1.md). Scenarios are
 * YAML files, so teams can write their own next to the built-in ones:
 *
 * <pre>
 * name: token-misuse
 * title: A stolen token is replayed against other servers
 * story: |
 *   ...
 * expect: [token-reuse, token-audience-mismatch]
 * drop_events: [5, 6]        # optional: these agent events (sequence numbers) never reach Kafka
 * capture:
 *   - {"ts": "2026-11-20T10:00:00.000Z", "kind": "message", ...}
 * </pre>
 *
 * @param dropEvents sequence numbers (1 = the first event the replayed agent records; one capture line
 *     can make several events) of events the agent "loses" after numbering and hash-chaining them,
 *     which is how an audit gap looks from the pipeline
 */
public record AttackScenario(String name, String title, String story, List<String> expect, List<ObjectNode> capture,
                             Set<Integer> dropEvents, String source) {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  public AttackScenario {
    expect = List.copyOf(expect);
    capture = List.copyOf(capture);
    dropEvents = Set.copyOf(dropEvents);
  }

  /** Parses one scenario file; every problem names the file and the key. */
  public static AttackScenario parse(String source, String yaml) {
    JsonNode root;
    try {
      root = YAML.readTree(yaml);
    } catch (IOException e) {
      throw new IllegalArgumentException(source + ": not valid YAML: " + e.getMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException(source + ": a scenario is a YAML mapping");
    }
    String name = text(root, "name", source);
    if (!name.matches("[a-z0-9][a-z0-9-]*")) {
      throw new IllegalArgumentException(source + ": name '" + name + "' must be lower-case words joined by '-'");
    }
    List<String> expect = new ArrayList<>();
    JsonNode expected = root.path("expect");
    if (!expected.isArray() || expected.isEmpty()) {
      throw new IllegalArgumentException(source + ": 'expect' must list at least one alert category");
    }
    expected.forEach(category -> expect.add(category.asText()));
    JsonNode lines = root.path("capture");
    if (!lines.isArray() || lines.isEmpty()) {
      throw new IllegalArgumentException(source + ": 'capture' must list the scenario's capture lines");
    }
    List<ObjectNode> capture = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      if (!(lines.get(i) instanceof ObjectNode line) || !line.hasNonNull("ts") || !line.hasNonNull("session")) {
        throw new IllegalArgumentException(source + ": capture line " + (i + 1) + " needs at least 'ts' and 'session'");
      }
      capture.add(line);
    }
    Set<Integer> drop = new TreeSet<>();
    root.path("drop_events").forEach(n -> {
      if (!n.canConvertToInt() || n.asInt() < 1) {
        throw new IllegalArgumentException(source + ": drop_events holds " + n + ", not an event sequence number");
      }
      drop.add(n.asInt());
    });
    return new AttackScenario(name, text(root, "title", source), root.path("story").asText("").strip(),
        List.copyOf(new LinkedHashSet<>(expect)), capture, drop, source);
  }

  private static String text(JsonNode root, String key, String source) {
    JsonNode node = root.path(key);
    if (!node.isTextual() || node.asText().isBlank()) {
      throw new IllegalArgumentException(source + ": '" + key + "' is required");
    }
    return node.asText().strip();
  }
}
