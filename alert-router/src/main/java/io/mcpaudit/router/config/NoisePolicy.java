package io.mcpaudit.router.config;

import java.time.Duration;

/**
 * Noise control: at most one page per destination and dedup key within {@code dedupWindow}; more
 * than {@code stormThreshold} alerts in one minute on one route become one grouped page (0 turns
 * grouping off).
 */
public record NoisePolicy(Duration dedupWindow, int stormThreshold) {
  public static NoisePolicy defaults() {
    return new NoisePolicy(Duration.ofHours(1), 10);
  }
}
