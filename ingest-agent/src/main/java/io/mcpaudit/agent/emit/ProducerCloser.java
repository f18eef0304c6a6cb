package io.mcpaudit.agent.emit;

import org.apache.kafka.clients.producer.Producer;

/**
 * Closes a producer without letting Kafka hold the caller past a deadline. The close runs on a thread
 * of its own and is waited for only until the deadline: even a forced close can wait on Kafka (an
 * idempotent producer still asking a silent broker for its producer id keeps its I/O thread, and with
 * it {@code close()}, busy for up to {@code request.timeout.ms}).
 */
final class ProducerCloser {
  private ProducerCloser() {}

  /**
   * Closes {@code producer}, letting sends under way finish until the deadline, then aborting them.
   *
   * @return whether the producer finished closing by the deadline (then every send callback has run)
   */
  static boolean closeBy(Producer<?, ?> producer, Deadline deadline) throws InterruptedException {
    Thread closer = new Thread(() -> producer.close(deadline.remaining()), "mcp-audit-producer-close");
    closer.setDaemon(true);
    closer.start();
    closer.join(Math.max(1, deadline.remaining().toMillis()));
    return !closer.isAlive();
  }
}
