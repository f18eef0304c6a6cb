package io.mcpaudit.rules.extension;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The other rule of an absence or ordering check, the fields that scope it (usually the
 * session), and the maximum span as a time, a number of events in the group, or both (whichever
 * ends first).
 */
public record SequenceSpan(String rule, List<String> groupBy, Optional<Duration> within, Optional<Integer> steps) {
    public SequenceSpan {
        groupBy = List.copyOf(groupBy);
    }
}
