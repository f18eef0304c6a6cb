package io.mcpaudit.cli.demo;

import io.mcpaudit.event.Alert;
import io.mcpaudit.event.Severity;
import io.mcpaudit.schema.registry.SchemaRegistry;
import io.mcpaudit.schema.serde.AvroDeserializer;
import io.mcpaudit.schema.topic.Topics;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/** The alerts the pipeline publishes from now on (committed only), latest version of each. */
final class AlertCollector implements AutoCloseable {
  private final KafkaConsumer<String, Alert> consumer;
  private final Map<String, Alert> latest = new LinkedHashMap<>();

  private AlertCollector(KafkaConsumer<String, Alert> consumer) {
    this.consumer = consumer;
  }

  static AlertCollector fromNow(String bootstrapServers, SchemaRegistry registry) {
    KafkaConsumer<String, Alert> consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
        ConsumerConfig.CLIENT_ID_CONFIG, "mcp-audit-demo"), new StringDeserializer(),
        new AvroDeserializer<>(registry, Alert.class));
    List<TopicPartition> partitions = consumer.partitionsFor(Topics.ALERTS.name()).stream()
        .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
    consumer.assign(partitions);
    consumer.seekToEnd(partitions);
    partitions.forEach(consumer::position);
    return new AlertCollector(consumer);
  }

  /** Reads until nothing new has arrived for {@code quiet}. */
  void drain(Duration quiet) {
    long idleSince = System.nanoTime();
    while (System.nanoTime() - idleSince < quiet.toNanos()) {
      var records = consumer.poll(Duration.ofMillis(250));
      records.forEach(r -> {
        if (r.value() != null) {
          latest.put(r.value().getAlertId(), r.value());
        }
      });
      if (!records.isEmpty()) {
        idleSince = System.nanoTime();
      }
    }
  }

  Set<String> categories() {
    Set<String> categories = new TreeSet<>();
    latest.values().forEach(a -> categories.add(a.getCategory()));
    return categories;
  }

  /** The session of the first alert raised about traffic to this server. */
  Optional<String> sessionOf(String serverName) {
    return latest.values().stream().filter(a -> serverName.equals(a.getServerName()))
        .map(Alert::getSessionId).findFirst();
  }

  /** Alerts by category (rows) and severity (columns). */
  void printTable(PrintWriter out) {
    List<Severity> severities = Arrays.asList(Severity.values());
    Map<String, long[]> rows = new TreeMap<>();
    for (Alert alert : latest.values()) {
      rows.computeIfAbsent(alert.getCategory(), c -> new long[severities.size()])[alert.getSeverity().ordinal()]++;
    }
    StringBuilder header = new StringBuilder(String.format("  %-26s", "CATEGORY"));
    severities.forEach(s -> header.append(String.format("%10s", s.name().toLowerCase())));
    out.println(header.append(String.format("%8s", "total")));
    rows.forEach((category, counts) -> {
      StringBuilder row = new StringBuilder(String.format("  %-26s", category));
      long sum = 0;
      for (int i = 0; i < counts.length; i++) {
        row.append(String.format("%10s", counts[i] == 0 ? "." : counts[i]));
        sum += counts[i];
      }
      out.println(row.append(String.format("%8d", sum)));
    });
    out.printf("  %d alerts in %d categories%n", latest.size(), rows.size());
    out.flush();
  }

  @Override
  public void close() {
    consumer.close(Duration.ofSeconds(5));
  }
}
