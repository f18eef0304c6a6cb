package io.mcpaudit.rules.extension;

import java.time.Duration;
import java.util.List;

/** Suppresses repeats: one alert per rule and key values within {@code window}. */
public record Dedup(Duration window, List<String> key) {
    public Dedup {
        key = List.copyOf(key);
    }
}
