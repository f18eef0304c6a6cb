package io.mcpaudit.rules.correlation;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A correlation whose condition held: when, for which group, on which evidence, and the event
 * that completed it (or the group's fields when it fired as its window closed).
 */
public record CorrelationFire(CorrelationRule rule, Instant time, GroupKey group, List<String> evidence,
                              String session, String summary, Map<String, Object> triggeringEvent) {
    public CorrelationFire {
        evidence = List.copyOf(evidence);
    }
}
