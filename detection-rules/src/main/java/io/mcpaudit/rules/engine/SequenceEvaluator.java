package io.mcpaudit.rules.engine;

import io.mcpaudit.rules.RuleSet;
import io.mcpaudit.rules.correlation.CorrelationStore;
import io.mcpaudit.rules.correlation.GroupKey;
import io.mcpaudit.rules.correlation.StateEntry;
import io.mcpaudit.rules.correlation.StateRecord;
import io.mcpaudit.rules.event.RuleEvent;
import io.mcpaudit.rules.extension.SequenceSpan;
import io.mcpaudit.rules.sigma.CompiledRule;
import io.mcpaudit.rules.sigma.RuleMatch;
import io.mcpaudit.rules.sigma.Timespans;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The absence and ordering extensions. Absence: this rule's event must be followed by the other
 * rule's event within the span, else alert. Ordering: this rule's event must be preceded by the
 * other rule's event within the span, else alert. Spans count event time, steps (events of the
 * same group after the first one, up to and including the second), or both.
 */
final class SequenceEvaluator {
    static final String ABSENCE = "a";
    static final String ORDERING = "o";
    /** Ordering keeps only the latest predecessors; older ones can never be the closest. */
    private static final int MAX_PREDECESSORS = 32;

    private final CorrelationStore store;
    private final List<CompiledRule> absenceRules = new ArrayList<>();
    private final List<CompiledRule> orderingRules = new ArrayList<>();
    private final Map<String, String> otherRuleId = new HashMap<>();
    private final Map<String, CompiledRule> byId = new HashMap<>();

    SequenceEvaluator(RuleSet rules, CorrelationStore store) {
        this.store = store;
        for (CompiledRule r : rules.rules()) {
            r.extension().absence().ifPresent(s -> register(r, s, absenceRules, rules));
            r.extension().ordering().ifPresent(s -> register(r, s, orderingRules, rules));
        }
    }

    private void register(CompiledRule r, SequenceSpan span, List<CompiledRule> list, RuleSet rules) {
        list.add(r);
        byId.put(r.id(), r);
        otherRuleId.put(r.id(), rules.rule(span.rule()).orElseThrow().id());
    }

    boolean isEmpty() {
        return absenceRules.isEmpty() && orderingRules.isEmpty();
    }

    /** Updates every absence and ordering rule with one event and the rules it matched. */
    List<RuleAlert> onEvent(RuleEvent event, Instant time, Map<String, RuleMatch> matched) {
        List<RuleAlert> alerts = new ArrayList<>();
        for (CompiledRule r : absenceRules) {
            absence(r, event, time.toEpochMilli(), matched, alerts);
        }
        for (CompiledRule r : orderingRules) {
            ordering(r, event, time, matched, alerts);
        }
        return alerts;
    }

    private void absence(CompiledRule r, RuleEvent event, long t, Map<String, RuleMatch> matched, List<RuleAlert> alerts) {
        SequenceSpan span = r.extension().absence().orElseThrow();
        GroupKey group = GroupKey.of(event, span.groupBy(), f -> f);
        String key = group.stateKey(ABSENCE, r.id());
        Optional<StateRecord> rec = store.get(key);
        boolean isTrigger = matched.containsKey(r.id());
        if (rec.isEmpty() && !isTrigger) {
            return;
        }
        List<StateEntry> pending = new ArrayList<>(rec.map(StateRecord::entries).orElse(List.of()));
        long counter = rec.map(StateRecord::counter).orElse(0L) + 1;
        if (matched.containsKey(otherRuleId.get(r.id()))) {
            pending.removeIf(e -> e.time() <= t);
        }
        if (span.steps().isPresent()) {
            for (StateEntry e : List.copyOf(pending)) {
                if (counter - e.step() >= span.steps().get()) {
                    pending.remove(e);
                    alerts.add(absenceAlert(r, span, e, "within " + span.steps().get() + " events"));
                }
            }
        }
        if (isTrigger) {
            pending.add(new StateEntry(0, t, counter, Alerts.evidenceOf(event), null, Alerts.session(event)));
        }
        save(key, counter, pending, span);
    }

    private void save(String key, long counter, List<StateEntry> entries, SequenceSpan span) {
        if (entries.isEmpty()) {
            store.remove(key);
            return;
        }
        long expires = Long.MAX_VALUE;
        for (StateEntry e : entries) {
            expires = Math.min(expires, e.time() + span.within().map(d -> d.toMillis()).orElse(Alerts.STEP_ONLY_TTL_MILLIS));
        }
        store.put(key, new StateRecord(expires, counter, entries));
    }

    private RuleAlert absenceAlert(CompiledRule r, SequenceSpan span, StateEntry e, String bound) {
        return Alerts.alert(r, "absence", e.session(), Instant.ofEpochMilli(e.time()), e.eventIds(),
                "not followed by '" + span.rule() + "' " + bound, List.of());
    }

    private void ordering(CompiledRule r, RuleEvent event, Instant time, Map<String, RuleMatch> matched, List<RuleAlert> alerts) {
        SequenceSpan span = r.extension().ordering().orElseThrow();
        long t = time.toEpochMilli();
        GroupKey group = GroupKey.of(event, span.groupBy(), f -> f);
        String key = group.stateKey(ORDERING, r.id());
        Optional<StateRecord> rec = store.get(key);
        boolean isPredecessor = matched.containsKey(otherRuleId.get(r.id()));
        RuleMatch self = matched.get(r.id());
        if (rec.isEmpty() && !isPredecessor && self == null) {
            return;
        }
        List<StateEntry> seen = new ArrayList<>(rec.map(StateRecord::entries).orElse(List.of()));
        long counter = rec.map(StateRecord::counter).orElse(0L) + 1;
        if (span.within().isPresent()) {
            long within = span.within().get().toMillis();
            seen.removeIf(e -> e.time() < t - within);
        }
        if (self != null) {
            boolean preceded = seen.stream().anyMatch(e -> e.time() <= t
                    && (span.within().isEmpty() || t - e.time() <= span.within().get().toMillis())
                    && (span.steps().isEmpty() || counter - e.step() <= span.steps().get()));
            if (!preceded) {
                String bound = span.within().map(d -> "within " + Timespans.format(d)).orElse("")
                        + (span.within().isPresent() && span.steps().isPresent() ? " and " : "")
                        + span.steps().map(s -> "within " + s + " events").orElse("");
                alerts.add(Alerts.alert(r, "ordering", Alerts.session(event), time, Alerts.evidenceOf(event),
                        "not preceded by '" + span.rule() + "' " + bound.strip(), self.hits()));
            }
        }
        if (isPredecessor) {
            seen.add(new StateEntry(0, t, counter, Alerts.evidenceOf(event), null, Alerts.session(event)));
            while (seen.size() > MAX_PREDECESSORS) {
                seen.remove(0);
            }
        }
        if (seen.isEmpty()) {
            store.remove(key);
        } else {
            long last = seen.get(seen.size() - 1).time();
            store.put(key, new StateRecord(last + span.within().map(d -> d.toMillis()).orElse(Alerts.STEP_ONLY_TTL_MILLIS),
                    counter, seen));
        }
    }

    /** Raises the absences whose time span ended at or before {@code watermark}. */
    List<RuleAlert> advance(Instant watermark) {
        List<RuleAlert> alerts = new ArrayList<>();
        long w = watermark.toEpochMilli();
        for (String key : store.expiring(watermark)) {
            boolean absence = key.startsWith(ABSENCE + "|");
            if (!absence && !key.startsWith(ORDERING + "|")) {
                continue;
            }
            CompiledRule r = byId.get(key.substring(2, key.indexOf('|', 2)));
            Optional<StateRecord> rec = store.get(key);
            if (r == null || rec.isEmpty()) {
                store.remove(key);
                continue;
            }
            if (!absence) {
                store.remove(key);
                continue;
            }
            SequenceSpan span = r.extension().absence().orElseThrow();
            List<StateEntry> pending = new ArrayList<>(rec.get().entries());
            for (StateEntry e : List.copyOf(pending)) {
                if (span.within().isPresent() && e.time() + span.within().get().toMillis() <= w) {
                    pending.remove(e);
                    alerts.add(absenceAlert(r, span, e, "within " + Timespans.format(span.within().get())));
                } else if (span.within().isEmpty() && e.time() + Alerts.STEP_ONLY_TTL_MILLIS <= w) {
                    pending.remove(e);
                }
            }
            save(key, rec.get().counter(), pending, span);
        }
        return alerts;
    }
}
