package io.mcpaudit.router.delivery;

import java.time.Duration;

/** How the delivery waits between attempts; the Kafka router keeps its consumer alive while it waits. */
@FunctionalInterface
public interface Pause {
  /** Waits {@code duration}; false when the router is stopping and retries should end. */
  boolean pause(Duration duration);

  static Pause sleeping() {
    return duration -> {
      try {
        Thread.sleep(duration.toMillis());
        return true;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    };
  }
}
