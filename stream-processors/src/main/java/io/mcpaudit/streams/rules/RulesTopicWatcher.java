package io.mcpaudit.streams.rules;

import io.mcpaudit.rules.RuleProblem;
import io.mcpaudit.schema.topic.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Follows the compacted rules topic and hot-reloads the running rule stage: an added, changed or
 * removed rule takes effect within a poll interval, without restarting Kafka Streams. A rule that
 * does not compile is rejected with its problems and the previous version stays active.
 *
 * <p>Every pipeline instance reads the whole topic (no consumer group), so all of them run the
 * same rules.
 */
public final class RulesTopicWatcher implements Runnable, AutoCloseable {
  private final KafkaConsumer<String, byte[]> consumer;
  private final EngineRuleStage stage;
  private final RuleBook book = new RuleBook();
  private final Consumer<String> log;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final CountDownLatch caughtUp = new CountDownLatch(1);
  private final Thread thread;

  public RulesTopicWatcher(String bootstrapServers, Map<String, Object> clientConfig, EngineRuleStage stage,
                           Consumer<String> log) {
    Properties props = new Properties();
    props.putAll(clientConfig);
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    this.stage = stage;
    this.log = log;
    this.thread = new Thread(this, "mcp-audit-rules-watcher");
    this.thread.setDaemon(true);
  }

  /** Starts following the topic and waits until the rules already in it are loaded. */
  public RulesTopicWatcher start(Duration catchUpTimeout) throws InterruptedException {
    thread.start();
    if (!caughtUp.await(catchUpTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
      log.accept("rules: the rules topic was not read to its end within " + catchUpTimeout.toSeconds()
          + " s; continuing, rules will load as they arrive");
    }
    return this;
  }

  @Override
  public void run() {
    try {
      List<PartitionInfo> partitions = consumer.partitionsFor(Topics.RULES.name(), Duration.ofSeconds(30));
      List<TopicPartition> assigned = partitions.stream()
          .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      consumer.assign(assigned);
      consumer.seekToBeginning(assigned);
      Map<TopicPartition, Long> end = consumer.endOffsets(assigned);
      boolean initial = true;
      while (running.get()) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          apply(record, initial);
        }
        if (initial && assigned.stream().allMatch(tp -> consumer.position(tp) >= end.getOrDefault(tp, 0L))) {
          initial = false;
          log.accept("rules: " + stage.rules().size() + " rules active from " + Topics.RULES.name());
          caughtUp.countDown();
        }
      }
    } catch (WakeupException e) {
      if (running.get()) {
        throw e;
      }
    } finally {
      caughtUp.countDown();
      consumer.close(Duration.ofSeconds(5));
    }
  }

  private void apply(ConsumerRecord<String, byte[]> record, boolean initial) {
    String ruleId = record.key();
    if (ruleId == null) {
      log.accept("rules: ignoring a record without a rule id at " + record.topic() + "/" + record.partition()
          + "@" + record.offset());
      return;
    }
    RuleBook.Change change = record.value() == null ? book.remove(ruleId)
        : book.put(ruleId, new String(record.value(), StandardCharsets.UTF_8));
    if (!change.accepted()) {
      log.accept("rules: rejected rule " + ruleId + "; the previous version stays active: "
          + change.rejected().stream().map(RuleProblem::toString).collect(Collectors.joining("; ")));
      return;
    }
    stage.replace(change.rules());
    if (!initial) {
      log.accept("rules: " + (record.value() == null ? "removed " : "applied ") + ruleId + " ("
          + change.rules().size() + " rules active)");
    }
  }

  @Override
  public void close() {
    running.set(false);
    consumer.wakeup();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
