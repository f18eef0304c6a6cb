package io.mcpaudit.streams.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcpaudit.event.Alert;
import io.mcpaudit.event.AuditEvent;
import io.mcpaudit.rules.RuleSet;
import io.mcpaudit.schema.registry.SchemaRegistryClient;
import io.mcpaudit.schema.registry.SchemaRegistryConfig;
import io.mcpaudit.schema.serde.AvroDeserializer;
import io.mcpaudit.schema.serde.AvroSerdeConfig;
import io.mcpaudit.schema.serde.AvroSerializer;
import io.mcpaudit.schema.topic.Topics;
import io.mcpaudit.stack.StackEndpoints;
import io.mcpaudit.streams.Scenario;
import io.mcpaudit.streams.app.DetectionPipeline;
import io.mcpaudit.streams.app.PipelineSettings;
import io.mcpaudit.streams.app.TopicSetup;
import io.mcpaudit.streams.detect.chain.ToolRisk;
import io.mcpaudit.streams.topology.DetectorCatalog;
import io.mcpaudit.testing.RealServices;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** Rules pushed to the rules topic take effect in a running pipeline, without a restart; a bad one is refused. */
@RealServices
class RuleHotReloadIT {
  private final String run = UUID.randomUUID().toString().substring(0, 8);
  private final String ruleId = UUID.randomUUID().toString();

  private String rule(String needle, String title) {
    return """
        title: %s
        id: %s
        status: test
        logsource: {product: mcp, category: content}
        level: high
        mcpaudit:
          category: prompt-injection
        detection:
          marker:
            mcp.content.text|contains: '%s'
          condition: marker
        """.formatted(title, ruleId, needle);
  }

  @Test
  void addedChangedInvalidAndRemovedRulesApplyWhileThePipelineRuns(StackEndpoints stack) throws Exception {
    TopicSetup.ensure(stack.kafkaBootstrap(), Map.of(), 3, (short) 1);
    SchemaRegistryClient registry = new SchemaRegistryClient(SchemaRegistryConfig.of(stack.schemaRegistryUrl()));
    EngineRuleStage stage = new EngineRuleStage(RuleSet.empty());
    List<String> log = new CopyOnWriteArrayList<>();
    PipelineSettings settings = new PipelineSettings(stack.kafkaBootstrap(), stack.schemaRegistryUrl().toString(),
        "it-rules-" + run, Files.createTempDirectory("rules-it"), 1, 3, (short) 1, Map.of());
    try (RulesTopicWatcher watcher = new RulesTopicWatcher(stack.kafkaBootstrap(), Map.of(), stage, log::add)
            .start(Duration.ofSeconds(30));
         DetectionPipeline pipeline = DetectionPipeline.start(settings, stage, DetectorCatalog.defaults(),
             ToolRisk.defaults(), r -> Duration.ofMinutes(10))) {
      assertThat(pipeline.awaitRunning(Duration.ofSeconds(60))).isTrue();

      push(stack, rule("canary-one-" + run, "Canary one"));
      awaitLog(log, "applied " + ruleId);
      produceResult(stack, registry, run + "-a", "text with canary-one-" + run);
      assertThat(awaitAlert(stack, registry, run + "-a")).extracting(Alert::getTitle).isEqualTo("Canary one");

      push(stack, "title: broken\nid: " + ruleId + "\ndetection:\n  condition: missing_selection\n");
      awaitLog(log, "rejected rule " + ruleId);
      produceResult(stack, registry, run + "-b", "again canary-one-" + run);
      assertThat(awaitAlert(stack, registry, run + "-b")).extracting(Alert::getTitle)
          .as("the previous version stays active").isEqualTo("Canary one");

      push(stack, rule("canary-two-" + run, "Canary two"));
      awaitLog(log, "applied " + ruleId + " (");
      produceResult(stack, registry, run + "-c", "now canary-two-" + run);
      assertThat(awaitAlert(stack, registry, run + "-c")).extracting(Alert::getTitle).isEqualTo("Canary two");

      try (KafkaProducer<String, byte[]> producer = producer(stack)) {
        producer.send(new ProducerRecord<>(Topics.RULES.name(), ruleId, null)).get();
      }
      awaitLog(log, "removed " + ruleId);
      assertThat(stage.rules().rule(ruleId)).isEmpty();
    }
  }

  private void push(StackEndpoints stack, String yaml) throws Exception {
    try (KafkaProducer<String, byte[]> producer = producer(stack)) {
      producer.send(new ProducerRecord<>(Topics.RULES.name(), ruleId, yaml.getBytes(StandardCharsets.UTF_8))).get();
    }
  }

  private static KafkaProducer<String, byte[]> producer(StackEndpoints stack) {
    return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap()),
        new StringSerializer(), new ByteArraySerializer());
  }

  private static void awaitLog(List<String> log, String needle) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      if (log.stream().anyMatch(line -> line.contains(needle))) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no log line containing '" + needle + "' in " + log);
  }

  private static void produceResult(StackEndpoints stack, SchemaRegistryClient registry, String session, String text) {
    Scenario s = new Scenario("agent-" + session).session(session);
    String id = s.call("fetch_url", "{}");
    s.result(id, "fetch_url", text);
    try (KafkaProducer<String, AuditEvent> producer = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap()), new StringSerializer(),
        new AvroSerializer<>(registry, AvroSerdeConfig.defaults(), false))) {
      s.events().forEach(e -> producer.send(new ProducerRecord<>(Topics.EVENTS.name(), e.getSessionId(), e)));
    }
  }

  private Alert awaitAlert(StackEndpoints stack, SchemaRegistryClient registry, String session) {
    try (KafkaConsumer<String, Alert> consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap(),
        ConsumerConfig.GROUP_ID_CONFIG, "it-rules-reader-" + UUID.randomUUID(),
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
        new StringDeserializer(), new AvroDeserializer<>(registry, Alert.class))) {
      consumer.subscribe(List.of(Topics.ALERTS.name()));
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      List<Alert> mine = new ArrayList<>();
      while (System.nanoTime() < deadline && mine.isEmpty()) {
        consumer.poll(Duration.ofMillis(500)).forEach(r -> {
          if (r.value().getSessionId().equals(session) && r.value().getRuleId().equals(ruleId)) {
            mine.add(r.value());
          }
        });
      }
      assertThat(mine).as("an alert from rule %s for session %s", ruleId, session).isNotEmpty();
      return mine.get(0);
    }
  }
}
