package io.mcpaudit.rules.correlation;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A {@link CorrelationStore} in memory, for tests and offline replays; not thread-safe. Records
 * are indexed by expiry so that advancing event time costs what expires, not what is stored.
 */
public final class InMemoryCorrelationStore implements CorrelationStore {
    private final Map<String, StateRecord> records = new HashMap<>();
    /** Sorted keys per expiry, so replay output never depends on hash order. */
    private final TreeMap<Long, TreeSet<String>> byExpiry = new TreeMap<>();

    @Override
    public Optional<StateRecord> get(String key) {
        return Optional.ofNullable(records.get(key));
    }

    @Override
    public void put(String key, StateRecord record) {
        unindex(key);
        records.put(key, record);
        byExpiry.computeIfAbsent(record.expiresAt(), k -> new TreeSet<>()).add(key);
    }

    @Override
    public void remove(String key) {
        unindex(key);
        records.remove(key);
    }

    private void unindex(String key) {
        StateRecord old = records.get(key);
        if (old != null) {
            TreeSet<String> keys = byExpiry.get(old.expiresAt());
            keys.remove(key);
            if (keys.isEmpty()) {
                byExpiry.remove(old.expiresAt());
            }
        }
    }

    @Override
    public List<String> expiring(Instant watermark) {
        List<String> out = new ArrayList<>();
        for (TreeSet<String> keys : byExpiry.headMap(watermark.toEpochMilli(), true).values()) {
            out.addAll(keys);
        }
        return out;
    }

    public int size() {
        return records.size();
    }
}
