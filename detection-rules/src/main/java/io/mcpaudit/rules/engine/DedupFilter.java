package io.mcpaudit.rules.engine;

import io.mcpaudit.rules.correlation.CorrelationStore;
import io.mcpaudit.rules.correlation.GroupKey;
import io.mcpaudit.rules.correlation.StateRecord;
import io.mcpaudit.rules.event.RuleEvent;
import io.mcpaudit.rules.extension.Dedup;
import java.util.Optional;

/** {@code mcpaudit.dedup}: at most one alert per rule and key values per window (event time). */
final class DedupFilter {
    static final String PREFIX = "d";

    private final CorrelationStore store;

    DedupFilter(CorrelationStore store) {
        this.store = store;
    }

    /**
     * The alert marked with its dedup group and whether it repeats one raised within the window
     * (remembering it when it does not); unchanged when the rule declares no dedup.
     */
    RuleAlert mark(RuleAlert alert, Optional<Dedup> dedup, RuleEvent event) {
        if (dedup.isEmpty()) {
            return alert;
        }
        Dedup d = dedup.get();
        GroupKey group = GroupKey.of(event, d.key(), f -> f);
        String key = group.stateKey(PREFIX, alert.ruleId());
        long t = alert.time().toEpochMilli();
        Optional<StateRecord> last = store.get(key);
        if (last.isPresent() && Math.abs(t - last.get().counter()) < d.window().toMillis()) {
            return alert.deduplicated(key, true);
        }
        store.put(key, StateRecord.counter(t, t + d.window().toMillis()));
        return alert.deduplicated(key, false);
    }
}
