package io.mcpaudit.router.routing;

import io.mcpaudit.router.alert.Origin;

/** Where alerts whose page could not be delivered go (the dead-letter topic, when running on Kafka). */
@FunctionalInterface
public interface DeadLetterSink {
  /**
   * @param destination the destination the page was for ({@code mcpaudit.dlq.stage} becomes {@code route <destination>})
   * @param reason      what happened, already free of secrets
   */
  void deadLetter(Origin origin, String destination, String reason);

  static DeadLetterSink none() {
    return (origin, destination, reason) -> { };
  }
}
