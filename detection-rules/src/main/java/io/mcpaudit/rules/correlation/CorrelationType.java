package io.mcpaudit.rules.correlation;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The Sigma correlation types. */
public enum CorrelationType {
    EVENT_COUNT, VALUE_COUNT, TEMPORAL, TEMPORAL_ORDERED;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<CorrelationType> fromId(String id) {
        return Arrays.stream(values()).filter(t -> t.id().equals(id)).findFirst();
    }
}
