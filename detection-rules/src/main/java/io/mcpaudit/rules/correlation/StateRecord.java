package io.mcpaudit.rules.correlation;

import java.util.List;

/**
 * The state of one key (a correlation group, a first-seen term, a pending absence …): its
 * entries, a counter, and the event time after which the engine must close or drop it.
 * A plain value so that a Kafka state store can hold it through {@link StateCodec}.
 */
public record StateRecord(long expiresAt, long counter, List<StateEntry> entries) {
    public StateRecord {
        entries = List.copyOf(entries);
    }

    public static StateRecord counter(long counter, long expiresAt) {
        return new StateRecord(expiresAt, counter, List.of());
    }
}
