package io.mcpaudit.rules.engine;

import io.mcpaudit.rules.correlation.CorrelationStore;
import io.mcpaudit.rules.correlation.GroupKey;
import io.mcpaudit.rules.correlation.StateRecord;
import io.mcpaudit.rules.event.RuleEvent;
import io.mcpaudit.rules.extension.FirstSeen;
import io.mcpaudit.rules.sigma.RuleMatch;
import io.mcpaudit.rules.sigma.Timespans;
import java.time.Instant;
import java.util.Optional;

/**
 * New-term detection ({@code mcpaudit.first_seen}): a term (the values of the rule's fields) is
 * new when it was not seen within the history window before this event.
 */
final class FirstSeenEvaluator {
    static final String TERM = "f";
    static final String WARMUP = "w";

    private final CorrelationStore store;

    FirstSeenEvaluator(CorrelationStore store) {
        this.store = store;
    }

    Optional<RuleAlert> onMatch(RuleMatch match, RuleEvent event, Instant time) {
        FirstSeen spec = match.rule().extension().firstSeen().orElseThrow();
        GroupKey term = GroupKey.of(event, spec.fields(), f -> f);
        if (term.values().contains(null)) {
            // An incomplete term (a field is missing) is not a term at all.
            return Optional.empty();
        }
        long t = time.toEpochMilli();
        long history = spec.history().toMillis();
        boolean warm = warm(match.rule().id(), spec, t);
        String key = term.stateKey(TERM, match.rule().id());
        Optional<StateRecord> rec = store.get(key);
        // A late event older than the last sighting is never new: the term was already reported.
        boolean isNew = rec.isEmpty() || t - rec.get().counter() > history;
        long lastSeen = rec.map(r -> Math.max(r.counter(), t)).orElse(t);
        store.put(key, StateRecord.counter(lastSeen, lastSeen + history));
        if (!isNew || !warm) {
            return Optional.empty();
        }
        return Optional.of(Alerts.alert(match.rule(), "first_seen", Alerts.session(event), time,
                Alerts.evidenceOf(event), "first time in " + Timespans.format(spec.history()) + ": " + term, match.hits()));
    }

    /** Whether the warm-up since this rule's first event has passed (always true without warm-up). */
    private boolean warm(String ruleId, FirstSeen spec, long t) {
        if (spec.warmup().isEmpty()) {
            return true;
        }
        String key = WARMUP + "|" + ruleId + "|";
        Optional<StateRecord> rec = store.get(key);
        long first = rec.map(StateRecord::counter).map(f -> Math.min(f, t)).orElse(t);
        if (rec.isEmpty() || first != rec.get().counter()) {
            store.put(key, StateRecord.counter(first, Long.MAX_VALUE));
        }
        return t - first >= spec.warmup().get().toMillis();
    }
}
