package io.mcpaudit.streams.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcpaudit.event.Alert;
import io.mcpaudit.event.AuditEvent;
import io.mcpaudit.schema.registry.SchemaRegistryClient;
import io.mcpaudit.schema.registry.SchemaRegistryConfig;
import io.mcpaudit.schema.serde.AvroDeserializer;
import io.mcpaudit.schema.serde.AvroSerdeConfig;
import io.mcpaudit.schema.serde.AvroSerializer;
import io.mcpaudit.schema.topic.Topics;
import io.mcpaudit.stack.StackEndpoints;
import io.mcpaudit.streams.Scenario;
import io.mcpaudit.streams.deadletter.DeadLetters;
import io.mcpaudit.testing.RealServices;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The detection pipeline on a real broker and registry: exactly-once through a crash, poison input to the DLQ. */
@RealServices
class DetectionPipelineIT {
  private StackEndpoints stack;
  private SchemaRegistryClient registry;
  private final String run = UUID.randomUUID().toString().substring(0, 8);

  @BeforeEach
  void setUp(StackEndpoints stack) {
    this.stack = stack;
    this.registry = new SchemaRegistryClient(SchemaRegistryConfig.of(stack.schemaRegistryUrl()));
  }

  @Test
  void aPipelineKilledMidStreamAndRestartedLosesAndDuplicatesNoAlert() throws Exception {
    String appId = "it-crash-" + run;
    Path state = Files.createTempDirectory("pipeline-it");
    int sessions = 40;
    List<AuditEvent> firstHalf = new ArrayList<>();
    List<AuditEvent> secondHalf = new ArrayList<>();
    for (int i = 0; i < sessions; i++) {
      Scenario s = new Scenario("agent-" + run + "-" + i).session(run + "-s" + i).address("10.0.0.1");
      s.started();
      s.address("203.0.113." + (i % 200));
      s.call("read_file", "{}");
      (i < sessions / 2 ? firstHalf : secondHalf).addAll(s.events());
    }

    Process first = startChild(appId, state);
    produce(firstHalf);
    waitForAlerts(a -> a.getSessionId().startsWith(run + "-s"), sessions / 4, Duration.ofSeconds(60));
    first.destroyForcibly().waitFor();

    produce(secondHalf);
    Process second = startChild(appId, state);
    try {
      List<Alert> alerts = waitForAlerts(a -> a.getSessionId().startsWith(run + "-s"), sessions, Duration.ofSeconds(90));
      Map<String, List<Alert>> bySession = new HashMap<>();
      alerts.forEach(a -> bySession.computeIfAbsent(a.getSessionId(), k -> new ArrayList<>()).add(a));
      System.out.printf("crash test: %d sessions, %d alert records read, %d sessions alerted%n", sessions,
          alerts.size(), bySession.size());
      assertThat(bySession).hasSize(sessions);
      assertThat(bySession.values()).allSatisfy(list -> {
        assertThat(list).as("exactly one hijack alert per session, emitted once").hasSize(1);
        assertThat(list.get(0).getCategory()).isEqualTo("session-hijack");
      });
    } finally {
      second.destroyForcibly().waitFor();
    }
  }

  @Test
  void aPoisonRecordLandsInTheDeadLetterTopicWhileProcessingContinues() throws Exception {
    String appId = "it-dlq-" + run;
    Process child = startChild(appId, Files.createTempDirectory("pipeline-it"));
    try {
      String poisonKey = "poison-" + run;
      try (KafkaProducer<String, byte[]> raw = new KafkaProducer<>(producerProps(), new StringSerializer(),
          new ByteArraySerializer())) {
        raw.send(new ProducerRecord<>(Topics.EVENTS.name(), poisonKey, "not avro at all".getBytes(StandardCharsets.UTF_8)));
      }
      Scenario s = new Scenario("agent-dlq-" + run).session(run + "-dlq").address("10.0.0.1");
      s.started();
      s.address("10.9.9.9");
      s.call("read_file", "{}");
      produce(s.events());

      assertThat(waitForAlerts(a -> a.getSessionId().equals(run + "-dlq"), 1, Duration.ofSeconds(60))).hasSize(1);
      ConsumerRecord<byte[], byte[]> dead = waitForDeadLetter(poisonKey, Duration.ofSeconds(30));
      assertThat(new String(dead.value(), StandardCharsets.UTF_8)).isEqualTo("not avro at all");
      assertThat(new String(dead.headers().lastHeader(DeadLetters.REASON).value(), StandardCharsets.UTF_8))
          .contains("magic byte");
    } finally {
      child.destroyForcibly().waitFor();
    }
  }

  private Process startChild(String appId, Path state) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process process = new ProcessBuilder(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
        PipelineChild.class.getName(), stack.kafkaBootstrap(), stack.schemaRegistryUrl().toString(), appId,
        state.toString())
        .redirectErrorStream(true)
        .start();
    BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    String line;
    while ((line = out.readLine()) != null) {
      if (line.equals("RUNNING")) {
        Thread drain = new Thread(() -> out.lines().forEach(l -> { }), "pipeline-child-output");
        drain.setDaemon(true);
        drain.start();
        return process;
      }
    }
    throw new IllegalStateException("pipeline child exited with " + process.waitFor() + " before running");
  }

  private void produce(List<AuditEvent> events) {
    try (KafkaProducer<String, AuditEvent> producer = new KafkaProducer<>(producerProps(), new StringSerializer(),
        new AvroSerializer<>(registry, AvroSerdeConfig.defaults(), false))) {
      events.forEach(e -> producer.send(new ProducerRecord<>(Topics.EVENTS.name(), null,
          e.getEventTime().toEpochMilli(), e.getSessionId(), e)));
    }
  }

  private List<Alert> waitForAlerts(Predicate<Alert> mine, int atLeast, Duration timeout) {
    List<Alert> found = new ArrayList<>();
    try (KafkaConsumer<String, Alert> consumer = new KafkaConsumer<>(consumerProps(), new StringDeserializer(),
        new AvroDeserializer<>(registry, Alert.class))) {
      consumer.subscribe(List.of(Topics.ALERTS.name()));
      long deadline = System.nanoTime() + timeout.toNanos();
      while (System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(500)).forEach(r -> {
          if (mine.test(r.value())) {
            found.add(r.value());
          }
        });
        if (found.size() >= atLeast) {
          // Keep reading briefly: a duplicate would arrive right behind.
          long settle = System.nanoTime() + Duration.ofSeconds(3).toNanos();
          while (System.nanoTime() < settle) {
            consumer.poll(Duration.ofMillis(500)).forEach(r -> {
              if (mine.test(r.value())) {
                found.add(r.value());
              }
            });
          }
          return found;
        }
      }
    }
    return found;
  }

  private ConsumerRecord<byte[], byte[]> waitForDeadLetter(String key, Duration timeout) {
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProps(), new ByteArrayDeserializer(),
        new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(Topics.DLQ.name()));
      long deadline = System.nanoTime() + timeout.toNanos();
      while (System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          if (record.key() != null && new String(record.key(), StandardCharsets.UTF_8).equals(key)) {
            return record;
          }
        }
      }
    }
    throw new AssertionError("no dead letter with key " + key + " within " + timeout);
  }

  private Map<String, Object> producerProps() {
    return Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap(), ProducerConfig.ACKS_CONFIG, "all");
  }

  private Map<String, Object> consumerProps() {
    return Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap(),
        ConsumerConfig.GROUP_ID_CONFIG, "it-reader-" + UUID.randomUUID(),
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
  }
}
