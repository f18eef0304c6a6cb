package io.mcpaudit.cli.simulate;

import io.mcpaudit.agent.secrets.FingerprintKey;
import io.mcpaudit.event.Alert;
import io.mcpaudit.event.AuditEvent;
import io.mcpaudit.schema.registry.SchemaRegistry;
import io.mcpaudit.schema.serde.AvroDeserializer;
import io.mcpaudit.schema.serde.AvroSerdeConfig;
import io.mcpaudit.schema.serde.AvroSerializer;
import io.mcpaudit.schema.topic.Topics;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Runs scenarios against a live deployment: note where the alerts topic ends, publish each
 * scenario's events to the events topic (as an agent would: keyed by session, idempotent,
 * {@code acks=all}), then read committed alerts until every scenario has raised what it expects or
 * the time is up. Only Kafka is touched; the pipeline under test does the rest.
 */
public final class Simulation {
  private final String bootstrapServers;
  private final Map<String, Object> clientConfig;
  private final SchemaRegistry registry;
  private final Clock clock;

  public Simulation(String bootstrapServers, Map<String, Object> clientConfig, SchemaRegistry registry, Clock clock) {
    this.bootstrapServers = bootstrapServers;
    this.clientConfig = Map.copyOf(clientConfig);
    this.registry = registry;
    this.clock = clock;
  }

  /** A fresh run id: short, readable in session names, unique enough across runs. */
  public static String newRunId() {
    byte[] bytes = new byte[3];
    new SecureRandom().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  public List<ScenarioOutcome> run(List<AttackScenario> scenarios, String runId, Duration timeout,
                                   Consumer<String> progress) throws Exception {
    ScenarioRun run = new ScenarioRun(runId, ephemeralKey());
    Instant end = clock.instant();
    List<ScenarioOutcome> outcomes = new ArrayList<>();
    List<AuditEvent> traffic = new ArrayList<>();
    for (AttackScenario scenario : scenarios) {
      ScenarioRun.Prepared prepared = run.prepare(scenario, end);
      outcomes.add(new ScenarioOutcome(prepared));
      traffic.addAll(prepared.events());
    }
    traffic.sort(Comparator.comparing(AuditEvent::getEventTime));

    try (KafkaConsumer<String, Alert> alerts = alertsConsumer()) {
      List<TopicPartition> partitions = alerts.partitionsFor(Topics.ALERTS.name()).stream()
          .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      alerts.assign(partitions);
      alerts.seekToEnd(partitions);
      partitions.forEach(alerts::position); // fix the start before anything is sent

      publish(traffic);
      progress.accept("sent " + traffic.size() + " events of " + scenarios.size() + " scenario(s), run " + runId
          + "; waiting for the pipeline's alerts (up to " + timeout.toSeconds() + " s)");

      long deadline = System.nanoTime() + timeout.toNanos();
      while (System.nanoTime() < deadline && !outcomes.stream().allMatch(ScenarioOutcome::complete)) {
        for (ConsumerRecord<String, Alert> record : alerts.poll(Duration.ofMillis(250))) {
          if (record.value() == null) {
            continue;
          }
          for (ScenarioOutcome outcome : outcomes) {
            boolean wasComplete = outcome.complete();
            if (outcome.offer(record.value()) && !wasComplete && outcome.complete()) {
              progress.accept("detected: " + outcome.scenario().name());
            }
          }
        }
      }
    }
    return outcomes;
  }

  private void publish(List<AuditEvent> traffic) throws Exception {
    Map<String, Object> props = new HashMap<>(clientConfig);
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.CLIENT_ID_CONFIG, "mcp-audit-simulate");
    try (KafkaProducer<String, AuditEvent> producer = new KafkaProducer<>(props, new StringSerializer(),
        new AvroSerializer<>(registry, AvroSerdeConfig.defaults(), false))) {
      List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
      for (AuditEvent event : traffic) {
        sent.add(producer.send(new ProducerRecord<>(Topics.EVENTS.name(), null, event.getEventTime().toEpochMilli(),
            event.getSessionId(), event)));
      }
      producer.flush();
      for (var future : sent) {
        future.get();
      }
    }
  }

  private KafkaConsumer<String, Alert> alertsConsumer() {
    Map<String, Object> props = new HashMap<>(clientConfig);
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, "mcp-audit-simulate");
    return new KafkaConsumer<>(props, new StringDeserializer(), new AvroDeserializer<>(registry, Alert.class));
  }

  private static FingerprintKey ephemeralKey() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return FingerprintKey.fromBase64(Base64.getEncoder().encodeToString(key));
  }
}
