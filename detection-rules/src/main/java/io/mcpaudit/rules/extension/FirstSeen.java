package io.mcpaudit.rules.extension;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * New-term detection: alert when the combination of {@code fields} values was not seen in the
 * preceding {@code history}; no alerts until {@code warmup} has passed since the rule first saw
 * an event, so a fresh deployment does not report every term as new.
 */
public record FirstSeen(List<String> fields, Duration history, Optional<Duration> warmup) {
    public FirstSeen {
        fields = List.copyOf(fields);
    }
}
