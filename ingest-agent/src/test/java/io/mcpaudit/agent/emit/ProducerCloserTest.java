package io.mcpaudit.agent.emit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** Closing the producer at shutdown is bounded by the drain's deadline, not by Kafka's timeouts. */
class ProducerCloserTest {

  @Test
  void aProducerStillWaitingForASilentBrokerDoesNotHoldTheCallerPastTheDeadline() throws Exception {
    // Accepts connections (the kernel completes them) and never answers.
    try (ServerSocket silentBroker = new ServerSocket(0)) {
      KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
          ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + silentBroker.getLocalPort(),
          ProducerConfig.MAX_BLOCK_MS_CONFIG, 500,
          ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 300_000,
          ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 310_000),
          new StringSerializer(), new ByteArraySerializer());
      try {
        producer.send(new ProducerRecord<>("t", "k", new byte[1]));
      } catch (RuntimeException expected) {
        // no metadata within max.block.ms
      }

      // The producer's I/O thread now waits up to five minutes for a producer id; so would close().
      boolean closed = assertTimeoutPreemptively(Duration.ofSeconds(60),
          () -> ProducerCloser.closeBy(producer, Deadline.after(Duration.ofMillis(300))));

      assertThat(closed).as("the close itself is still waiting on Kafka").isFalse();
    }
  }
}
