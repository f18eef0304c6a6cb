package io.mcpaudit.router.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads a whole (compacted) topic into memory without a consumer group, then follows it: what
 * the router uses for its state topic and the inventory.
 */
final class TopicReader implements AutoCloseable {
  private final String topic;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private List<TopicPartition> partitions = List.of();

  TopicReader(String bootstrapServers, Map<String, Object> clientProps, String topic) {
    this.topic = topic;
    Properties props = new Properties();
    props.putAll(clientProps);
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.remove(ConsumerConfig.GROUP_ID_CONFIG);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    this.consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  /** Whether the topic exists (found at the last {@link #catchUp}). */
  boolean found() {
    return !partitions.isEmpty();
  }

  /**
   * Reads from where it stopped up to the topic's current end, handing each record to {@code apply}.
   *
   * @return false when the topic does not exist
   * @throws IllegalStateException when the end is not reached within {@code timeout}
   */
  boolean catchUp(Duration timeout, Consumer<ConsumerRecord<byte[], byte[]>> apply) {
    if (partitions.isEmpty()) {
      List<TopicPartition> found = consumer.partitionsFor(topic, timeout).stream()
          .map(p -> new TopicPartition(topic, p.partition())).toList();
      if (found.isEmpty()) {
        return false;
      }
      partitions = found;
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
    }
    Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!reached(end)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("could not read topic " + topic + " to its end within "
            + timeout.toSeconds() + " s");
      }
      consumer.poll(Duration.ofMillis(200)).forEach(apply);
    }
    return true;
  }

  /** Whatever arrived since the last call, without waiting. */
  void poll(Consumer<ConsumerRecord<byte[], byte[]>> apply) {
    if (!partitions.isEmpty()) {
      consumer.poll(Duration.ZERO).forEach(apply);
    }
  }

  private boolean reached(Map<TopicPartition, Long> end) {
    for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
      if (consumer.position(e.getKey()) < e.getValue()) {
        return false;
      }
    }
    return true;
  }

  @Override
  public void close() {
    consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
  }
}
