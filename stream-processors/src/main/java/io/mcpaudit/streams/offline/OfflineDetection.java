package io.mcpaudit.streams.offline;

import io.mcpaudit.event.Alert;
import io.mcpaudit.event.AuditEvent;
import io.mcpaudit.event.InventoryEntry;
import io.mcpaudit.event.SessionTrace;
import io.mcpaudit.schema.registry.InMemorySchemaRegistry;
import io.mcpaudit.schema.registry.SchemaRegistry;
import io.mcpaudit.schema.topic.Topics;
import io.mcpaudit.streams.detect.chain.ToolRisk;
import io.mcpaudit.streams.rules.RuleStage;
import io.mcpaudit.streams.topology.DetectionTopology;
import io.mcpaudit.streams.topology.DetectorCatalog;
import io.mcpaudit.streams.topology.PipelineConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

/**
 * Runs the pipeline's detection topology in-process over a list of events, with no broker: what
 * {@code mcp-audit detect --input CAPTURE} uses. Kafka Streams' {@link TopologyTestDriver} executes
 * the very same topology synchronously and deterministically, driven only by the events' own
 * timestamps, so a capture always yields the same alerts as the live pipeline would.
 */
public final class OfflineDetection {
  private static final String APPLICATION_ID = "mcp-audit-offline";
  /** How far past the last event stream time is pushed at the end, so every window and wait closes. */
  private static final Duration CLOSE_EVERYTHING = Duration.ofDays(3650);

  private final RuleStage rules;
  private final DetectorCatalog detectors;
  private final ToolRisk toolRisk;
  private final Function<String, Duration> dedupWindowForRule;

  public OfflineDetection(RuleStage rules, DetectorCatalog detectors, ToolRisk toolRisk,
                          Function<String, Duration> dedupWindowForRule) {
    this.rules = rules;
    this.detectors = detectors;
    this.toolRisk = toolRisk;
    this.dedupWindowForRule = dedupWindowForRule;
  }

  /** What a replay found: the final version of each alert (in first-seen order) and each session's trace. */
  public record Result(List<Alert> alerts, Map<String, SessionTrace> traces) {}

  public Result run(List<AuditEvent> events, List<InventoryEntry> inventory) {
    return run(events, inventory, true);
  }

  /**
   * @param closeWindowsAtEnd push stream time far past the last event so every wait closes (what
   *     {@code mcp-audit detect} wants); {@code false} leaves stream time at the last event, as a
   *     live pipeline that receives nothing more would
   */
  public Result run(List<AuditEvent> events, List<InventoryEntry> inventory, boolean closeWindowsAtEnd) {
    SchemaRegistry registry = new InMemorySchemaRegistry();
    Topology topology = DetectionTopology.build(new DetectionTopology.Inputs(PipelineConfig.defaults(), registry,
        rules, detectors, toolRisk, dedupWindowForRule));
    Path stateDir = tempStateDir();
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, APPLICATION_ID);
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "offline:9092");
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    try (TopologyTestDriver driver = new TopologyTestDriver(topology, props)) {
      var serdes = Serdes.String();
      TestInputTopic<String, InventoryEntry> inventoryTopic = driver.createInputTopic(Topics.INVENTORY.name(),
          serdes.serializer(), Topics.INVENTORY.valueSerde(registry).serializer());
      inventory.forEach(entry -> inventoryTopic.pipeInput(entry.getName(), entry));

      TestInputTopic<String, AuditEvent> eventsTopic = driver.createInputTopic(Topics.EVENTS.name(),
          serdes.serializer(), Topics.EVENTS.valueSerde(registry).serializer());
      Instant last = Instant.EPOCH;
      for (AuditEvent event : events) {
        eventsTopic.pipeInput(new TestRecord<>(event.getSessionId(), event, event.getEventTime()));
        if (event.getEventTime().isAfter(last)) {
          last = event.getEventTime();
        }
      }
      if (closeWindowsAtEnd) {
        closeAllWindows(driver, topology, last.plus(CLOSE_EVERYTHING));
      }
      driver.advanceWallClockTime(Duration.ofMinutes(1));

      TestOutputTopic<String, Alert> alertsTopic = driver.createOutputTopic(Topics.ALERTS.name(),
          serdes.deserializer(), Topics.ALERTS.valueSerde(registry).deserializer());
      Map<String, Alert> latestAlerts = new LinkedHashMap<>();
      alertsTopic.readValuesToList().forEach(alert -> latestAlerts.put(alert.getAlertId(), alert));
      List<Alert> alerts = new ArrayList<>(latestAlerts.values());
      alerts.sort(Comparator.comparing(Alert::getFirstSeen).thenComparing(Alert::getAlertId));

      TestOutputTopic<String, SessionTrace> tracesTopic = driver.createOutputTopic(Topics.TRACES.name(),
          serdes.deserializer(), Topics.TRACES.valueSerde(registry).deserializer());
      Map<String, SessionTrace> traces = new LinkedHashMap<>();
      tracesTopic.readKeyValuesToList().forEach(kv -> traces.put(kv.key, kv.value));
      return new Result(alerts, traces);
    } finally {
      deleteQuietly(stateDir);
    }
  }

  /**
   * Pushes stream time far past the last event in every sub-topology (a tombstone on each source
   * topic, internal ones included), so waits such as a missing approval or an audit gap close
   * exactly as they would once a live pipeline's stream time moved on.
   */
  private static void closeAllWindows(TopologyTestDriver driver, Topology topology, Instant at) {
    for (TopologyDescription.Subtopology sub : topology.describe().subtopologies()) {
      for (TopologyDescription.Node node : sub.nodes()) {
        if (node instanceof TopologyDescription.Source source && source.topicSet() != null) {
          for (String topic : source.topicSet()) {
            String name = topic.endsWith("-repartition") ? APPLICATION_ID + "-" + topic : topic;
            driver.createInputTopic(name, Serdes.String().serializer(), Serdes.ByteArray().serializer())
                .pipeInput(new TestRecord<>("~end-of-capture", null, at));
          }
        }
      }
    }
  }

  private static Path tempStateDir() {
    try {
      return Files.createTempDirectory("mcp-audit-offline");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot create a temporary state directory: " + e.getMessage(), e);
    }
  }

  private static void deleteQuietly(Path dir) {
    try (var paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (java.io.IOException e) {
      // Temporary state only; the OS cleans temp directories.
    }
  }
}
