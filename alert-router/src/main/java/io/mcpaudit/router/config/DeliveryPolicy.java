package io.mcpaudit.router.config;

import java.time.Duration;

/**
 * How hard one page is tried: per-request timeouts, and retries with exponential backoff and
 * jitter on 429, 5xx, timeouts and connection errors, bounded by attempts and by a time budget.
 */
public record DeliveryPolicy(
    Duration connectTimeout,
    Duration requestTimeout,
    int maxAttempts,
    Duration initialBackoff,
    Duration maxBackoff,
    Duration retryBudget) {

  public static DeliveryPolicy defaults() {
    return new DeliveryPolicy(Duration.ofSeconds(5), Duration.ofSeconds(10), 8, Duration.ofSeconds(1),
        Duration.ofMinutes(1), Duration.ofMinutes(5));
  }
}
