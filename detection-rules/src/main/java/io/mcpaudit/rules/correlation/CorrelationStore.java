package io.mcpaudit.rules.correlation;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where the engine keeps state between events: correlation windows, first-seen terms, pending
 * absences, dedup marks. The stream processors back it with a changelogged Kafka state store;
 * {@link InMemoryCorrelationStore} serves tests and offline replays.
 */
public interface CorrelationStore {
    Optional<StateRecord> get(String key);

    void put(String key, StateRecord record);

    void remove(String key);

    /**
     * Keys whose record expires at or before {@code watermark} (event time). The engine reads,
     * closes and removes them; a store may answer from a time index instead of a scan.
     */
    List<String> expiring(Instant watermark);
}
