package io.mcpaudit.streams.rules;

import io.mcpaudit.rules.LoadResult;
import io.mcpaudit.rules.RuleLoader;
import io.mcpaudit.rules.RuleProblem;
import io.mcpaudit.rules.RuleSet;
import io.mcpaudit.schema.topic.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes a rule pack to the compacted rules topic, one record per rule keyed by its id. The
 * whole pack is validated first: nothing is published while any rule has a problem.
 */
public final class RulePublisher {
  private RulePublisher() {}

  /** A rule file ready to publish. */
  public record PublishedRule(String id, Path file, String yaml) {}

  /** Reads and validates every rule file under the directory; throws listing every problem. */
  public static List<PublishedRule> prepare(Path directory) {
    RuleLoader loader = new RuleLoader();
    LoadResult whole = loader.load(directory);
    if (!whole.problems().isEmpty()) {
      throw new IllegalArgumentException("the rule pack has problems; nothing was published:"
          + System.lineSeparator() + String.join(System.lineSeparator(),
          whole.problems().stream().map(RuleProblem::toString).toList()));
    }
    List<PublishedRule> rules = new ArrayList<>();
    for (Path file : ruleFiles(directory)) {
      String yaml = read(file);
      RuleSet alone = loader.loadText(file.getFileName().toString(), yaml).ruleSet();
      String id = !alone.rules().isEmpty() ? alone.rules().get(0).id()
          : !alone.correlations().isEmpty() ? alone.correlations().get(0).meta().id() : null;
      if (id != null) {
        rules.add(new PublishedRule(id, file, yaml));
      }
    }
    return rules;
  }

  public static void publish(String bootstrapServers, Map<String, Object> clientConfig, List<PublishedRule> rules) {
    Map<String, Object> props = new HashMap<>(clientConfig);
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(),
        new ByteArraySerializer())) {
      List<Future<RecordMetadata>> sent = new ArrayList<>();
      for (PublishedRule rule : rules) {
        sent.add(producer.send(new ProducerRecord<>(Topics.RULES.name(), rule.id(),
            rule.yaml().getBytes(StandardCharsets.UTF_8))));
      }
      producer.flush();
      for (int i = 0; i < sent.size(); i++) {
        awaitAck(sent.get(i), "rule " + rules.get(i).id() + " (" + rules.get(i).file() + ")");
      }
    }
  }

  /** Waits for the broker's acknowledgement; a refusal (e.g. no write right on the topic) is an error, not a success. */
  private static void awaitAck(Future<RecordMetadata> send, String what) {
    try {
      send.get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("Kafka refused " + what + " on " + Topics.RULES.name() + ": "
          + e.getCause().getMessage(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while publishing " + what, e);
    }
  }

  /** Removes a rule from running pipelines (a tombstone for its id). */
  public static void remove(String bootstrapServers, Map<String, Object> clientConfig, String ruleId) {
    Map<String, Object> props = new HashMap<>(clientConfig);
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(),
        new ByteArraySerializer())) {
      awaitAck(producer.send(new ProducerRecord<>(Topics.RULES.name(), ruleId, null)), "the removal of rule " + ruleId);
    }
  }

  private static List<Path> ruleFiles(Path directory) {
    try (Stream<Path> files = Files.walk(directory)) {
      return files.filter(p -> p.toString().endsWith(".yml") || p.toString().endsWith(".yaml")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read rules under " + directory + ": " + e.getMessage(), e);
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

}
