package io.mcpaudit.streams.sink.opensearch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * deploy/opensearch/ism/mcp-events-policy.json is a well-formed Index State Management policy
 * (the body of {@code PUT _plugins/_ism/policies/<id>}) that attaches to the mcp-events data stream
 * only, rolls it over, deletes old backing indices, and uses the same thresholds as {@link RetentionJob}.
 */
class IsmPolicyTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> ACTIONS = Set.of("rollover", "delete", "read_only", "read_write", "replica_count",
      "force_merge", "shrink", "close", "open", "index_priority", "snapshot", "notification", "allocation", "rollup",
      "transform");
  private static final Set<String> CONDITIONS = Set.of("min_index_age", "min_rollover_age", "min_doc_count", "min_size",
      "min_primary_shard_size", "cron");
  private static final Pattern TIME = Pattern.compile("(\\d+)(d|h|m|s|ms)");
  private static final Pattern SIZE = Pattern.compile("(\\d+)(b|kb|mb|gb|tb)");

  private static JsonNode policy;
  private static JsonNode eventsTemplate;
  private static final Map<String, JsonNode> states = new HashMap<>();

  @BeforeAll
  static void load() throws IOException {
    Path root = Path.of(System.getProperty("mcpaudit.repo.root", "..")).toAbsolutePath().normalize();
    JsonNode file = JSON.readTree(root.resolve("deploy/opensearch/ism/mcp-events-policy.json").toFile());
    assertThat(file.fieldNames()).toIterable().as("the file is the body of the create-policy request")
        .containsExactly("policy");
    policy = file.path("policy");
    policy.path("states").forEach(s -> states.put(s.path("name").asText(), s));
    eventsTemplate = JSON.readTree(root.resolve("deploy/opensearch/templates/mcp-events.json").toFile());
  }

  @Test
  void statesAreWellFormedAndTransitionsLeadToDefinedStates() {
    assertThat(policy.path("description").asText()).isNotBlank();
    assertThat(states).as("state names are unique").hasSize(policy.path("states").size());
    assertThat(states).containsKey(policy.path("default_state").asText());
    for (JsonNode state : states.values()) {
      for (JsonNode action : state.path("actions")) {
        Set<String> keys = new HashSet<>();
        action.fieldNames().forEachRemaining(keys::add);
        keys.removeAll(Set.of("retry", "timeout"));
        assertThat(keys).as("one action per entry in state " + state.path("name")).hasSize(1);
        assertThat(keys.iterator().next()).isIn(ACTIONS);
      }
      for (JsonNode transition : state.path("transitions")) {
        assertThat(states).containsKey(transition.path("state_name").asText());
        transition.path("conditions").fieldNames().forEachRemaining(c -> assertThat(c).isIn(CONDITIONS));
      }
    }
  }

  @Test
  void itRollsOverThenDeletesAndTheDeleteStateIsFinal() {
    String start = policy.path("default_state").asText();
    JsonNode rollover = action(states.get(start), "rollover");
    assertThat(rollover).as("the default state rolls over").isNotNull();
    assertThat(reachable(start)).contains("delete");
    assertThat(action(states.get("delete"), "delete")).isNotNull();
    assertThat(states.get("delete").path("transitions")).isEmpty();
  }

  @Test
  void itAttachesToTheEventsDataStreamOnly() {
    // ISM matches a backing index's data stream name against ism_template.index_patterns.
    List<Pattern> patterns = new java.util.ArrayList<>();
    for (JsonNode template : policy.path("ism_template")) {
      template.path("index_patterns").forEach(p -> patterns.add(TemplateFields.glob(p.asText())));
    }
    assertThat(patterns).anyMatch(p -> p.matcher(IndexSetup.EVENTS).matches());
    assertThat(patterns).noneMatch(p -> p.matcher(IndexSetup.ALERTS).matches() || p.matcher(IndexSetup.TRACES).matches());
    assertThat(eventsTemplate.has("data_stream")).as("rollover of a data stream needs no rollover_alias").isTrue();
  }

  @Test
  void thresholdsMatchTheRetentionJobDefaults() {
    RetentionPolicy defaults = RetentionPolicy.defaults();
    JsonNode rollover = action(states.get(policy.path("default_state").asText()), "rollover");
    assertThat(time(rollover.path("min_index_age").asText())).isEqualTo(defaults.rolloverAge());
    assertThat(rollover.path("min_doc_count").asLong()).isEqualTo(defaults.rolloverDocs());
    assertThat(bytes(rollover.path("min_size").asText())).isEqualTo(defaults.rolloverBytes());
    JsonNode toDelete = null;
    for (JsonNode state : states.values()) {
      for (JsonNode t : state.path("transitions")) {
        if (t.path("state_name").asText().equals("delete")) {
          toDelete = t.path("conditions");
        }
      }
    }
    assertThat(toDelete).isNotNull();
    // Rollover age, not index age: a backing index stops receiving events when it is rolled over.
    assertThat(time(toDelete.path("min_rollover_age").asText())).isEqualTo(defaults.retention());
  }

  private static JsonNode action(JsonNode state, String type) {
    for (JsonNode action : state.path("actions")) {
      if (action.has(type)) {
        return action.path(type);
      }
    }
    return null;
  }

  private static Set<String> reachable(String from) {
    Set<String> seen = new HashSet<>();
    Deque<String> todo = new ArrayDeque<>(List.of(from));
    while (!todo.isEmpty()) {
      String state = todo.pop();
      if (seen.add(state)) {
        states.get(state).path("transitions").forEach(t -> todo.push(t.path("state_name").asText()));
      }
    }
    return seen;
  }

  private static Duration time(String value) {
    Matcher m = TIME.matcher(value);
    assertThat(m.matches()).as("time value " + value).isTrue();
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "d" -> Duration.ofDays(n);
      case "h" -> Duration.ofHours(n);
      case "m" -> Duration.ofMinutes(n);
      case "s" -> Duration.ofSeconds(n);
      default -> Duration.ofMillis(n);
    };
  }

  private static long bytes(String value) {
    Matcher m = SIZE.matcher(value);
    assertThat(m.matches()).as("size value " + value).isTrue();
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "tb" -> n << 40;
      case "gb" -> n << 30;
      case "mb" -> n << 20;
      case "kb" -> n << 10;
      default -> n;
    };
  }
}
