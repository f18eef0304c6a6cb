package io.mcpaudit.rules.extension;

import java.util.Map;

/** Names a stateful detector implemented in the stream processors, with its thresholds. */
public record DetectorSpec(String name, Map<String, Object> thresholds) {
    public DetectorSpec {
        thresholds = Map.copyOf(thresholds);
    }
}
