package io.mcpaudit.rules.correlation;

import io.mcpaudit.rules.RuleSet;
import io.mcpaudit.rules.event.EventFields;
import io.mcpaudit.rules.event.RuleEvent;
import io.mcpaudit.rules.sigma.RuleDefinition;
import io.mcpaudit.rules.sigma.Timespans;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Evaluates Sigma correlation rules on event time. Each (correlation, group) keeps its recent
 * matches in the {@link CorrelationStore}; out-of-order events are placed by their timestamp.
 *
 * <p>Conditions that only set a lower bound (gt/gte) fire as soon as some window of
 * {@code timespan} holds enough matches, and the matches that fired are then consumed so one
 * burst gives one alert. Conditions with an upper bound (lt/lte/eq) can only be decided when a
 * window has closed: windows start at the oldest pending match and close when event time passes
 * their end ({@link #advance}).
 */
public final class CorrelationEvaluator {
    static final String PREFIX = "c";
    /** Bounds the matches kept per group, so one noisy group cannot exhaust the store. */
    static final int MAX_ENTRIES = 10_000;

    /** A correlation that references a rule, and at which position of its {@code rules}. */
    private record Reference(CorrelationRule correlation, int index, String ref) {
    }

    private final CorrelationStore store;
    private final Map<String, List<Reference>> byReferencedId = new HashMap<>();
    private final Map<String, CorrelationRule> byId = new HashMap<>();

    public CorrelationEvaluator(RuleSet rules, CorrelationStore store) {
        this.store = store;
        for (CorrelationRule c : rules.correlations()) {
            byId.put(c.meta().id(), c);
            for (int i = 0; i < c.rules().size(); i++) {
                String ref = c.rules().get(i);
                Optional<RuleDefinition> d = rules.definition(ref);
                if (d.isPresent()) {
                    byReferencedId.computeIfAbsent(d.get().meta().id(), k -> new ArrayList<>()).add(new Reference(c, i, ref));
                }
            }
        }
    }

    /**
     * Records that {@code definition} matched {@code event} at {@code time}, and returns the
     * correlations that fire because of it (not yet those chained on top of them).
     */
    public List<CorrelationFire> onMatch(RuleDefinition definition, RuleEvent event, Instant time, List<String> evidence) {
        List<CorrelationFire> fires = new ArrayList<>();
        for (Reference r : byReferencedId.getOrDefault(definition.meta().id(), List.of())) {
            onReference(r, definition, event, time.toEpochMilli(), evidence).ifPresent(fires::add);
        }
        return fires;
    }

    private Optional<CorrelationFire> onReference(Reference r, RuleDefinition matched, RuleEvent event, long t, List<String> evidence) {
        CorrelationRule c = r.correlation();
        GroupKey group = GroupKey.of(event, c.groupBy(), g -> aliasField(c, g, matched));
        String key = group.stateKey(PREFIX, c.meta().id());
        StateRecord rec = store.get(key).orElse(new StateRecord(Long.MAX_VALUE, 0, List.of()));
        String value = null;
        if (c.type() == CorrelationType.VALUE_COUNT) {
            List<String> parts = new ArrayList<>();
            for (String f : c.condition().field().orElse(List.of())) {
                parts.add(GroupKey.first(event, aliasField(c, f, matched)));
            }
            if (parts.stream().allMatch(java.util.Objects::isNull)) {
                return Optional.empty();
            }
            value = String.join("\u001f", parts.stream().map(String::valueOf).toList());
        }
        long seq = rec.counter() + 1;
        String session = GroupKey.first(event, EventFields.SESSION_ID);
        List<StateEntry> entries = new ArrayList<>(rec.entries());
        StateEntry added = new StateEntry(r.index(), t, seq, evidence, value, session);
        entries.add(added);
        entries.sort(ORDER);
        long span = c.timespan().toMillis();
        long newest = entries.get(entries.size() - 1).time();
        // Keep one extra span so a late event can still join a window with older entries.
        entries.removeIf(e -> e.time() < newest - 2 * span);
        while (entries.size() > MAX_ENTRIES) {
            entries.remove(0);
        }
        Optional<CorrelationFire> fire = Optional.empty();
        if (c.condition().isLowerBoundOnly()) {
            List<StateEntry> window = firingWindow(c, entries, added);
            if (window != null) {
                entries.removeAll(window);
                fire = Optional.of(fire(c, group, window, event.source()));
            }
        }
        if (entries.isEmpty()) {
            store.remove(key);
        } else {
            long expiresAt = c.condition().isLowerBoundOnly()
                    ? entries.get(entries.size() - 1).time() + 2 * span
                    : entries.get(0).time() + span;
            store.put(key, new StateRecord(expiresAt, seq, entries));
        }
        return fire;
    }

    private static String aliasField(CorrelationRule c, String field, RuleDefinition matched) {
        Map<String, String> perRule = c.aliases().get(field);
        if (perRule == null) {
            return field;
        }
        String byName = matched.meta().name() == null ? null : perRule.get(matched.meta().name());
        String byId = perRule.get(matched.meta().id());
        return byName != null ? byName : byId != null ? byId : field;
    }

    private static final Comparator<StateEntry> ORDER = Comparator.comparingLong(StateEntry::time).thenComparingLong(StateEntry::step);

    /** The entries of a window of {@code timespan} containing {@code added} that satisfies the condition, or null. */
    private static List<StateEntry> firingWindow(CorrelationRule c, List<StateEntry> entries, StateEntry added) {
        long span = c.timespan().toMillis();
        if (c.type() == CorrelationType.TEMPORAL_ORDERED) {
            return orderedChain(c, entries, span);
        }
        for (int i = 0; i < entries.size(); i++) {
            StateEntry start = entries.get(i);
            if (start.time() < added.time() - span || start.time() > added.time()) {
                continue;
            }
            List<StateEntry> window = new ArrayList<>();
            for (int j = i; j < entries.size() && entries.get(j).time() <= start.time() + span; j++) {
                window.add(entries.get(j));
            }
            if (c.condition().test(measure(c, window))) {
                return window;
            }
        }
        return null;
    }

    /** Events, distinct values, or distinct rules in a window, by correlation type. */
    static long measure(CorrelationRule c, List<StateEntry> window) {
        return switch (c.type()) {
            case EVENT_COUNT -> window.size();
            case VALUE_COUNT -> window.stream().map(StateEntry::value).distinct().count();
            default -> window.stream().map(StateEntry::rule).distinct().count();
        };
    }

    /**
     * The earliest-ending chain with one match of each rule in the given order (by event time,
     * ties by arrival) spanning at most {@code span}, or null.
     */
    private static List<StateEntry> orderedChain(CorrelationRule c, List<StateEntry> entries, long span) {
        int n = c.rules().size();
        for (int i = 0; i < entries.size(); i++) {
            if (entries.get(i).rule() != 0) {
                continue;
            }
            List<StateEntry> chain = new ArrayList<>();
            chain.add(entries.get(i));
            int want = 1;
            for (int j = i + 1; j < entries.size() && want < n; j++) {
                StateEntry e = entries.get(j);
                if (e.time() - entries.get(i).time() > span) {
                    break;
                }
                if (e.rule() == want) {
                    chain.add(e);
                    want++;
                }
            }
            if (want == n) {
                return chain;
            }
        }
        return null;
    }

    private static CorrelationFire fire(CorrelationRule c, GroupKey group, List<StateEntry> window, Map<String, Object> trigger) {
        Set<String> evidence = new LinkedHashSet<>();
        window.forEach(e -> evidence.addAll(e.eventIds()));
        StateEntry last = window.get(window.size() - 1);
        String session = last.session();
        String summary = c.type().id() + " " + measure(c, window) + " (" + c.condition() + ") within "
                + Timespans.format(c.timespan()) + (group.fields().isEmpty() ? "" : " for " + group);
        return new CorrelationFire(c, Instant.ofEpochMilli(last.time()), group, List.copyOf(evidence), session, summary, trigger);
    }

    /**
     * Closes windows that ended at or before {@code watermark}: upper-bounded conditions are
     * decided now, other state is dropped.
     */
    public List<CorrelationFire> advance(Instant watermark) {
        List<CorrelationFire> fires = new ArrayList<>();
        for (String key : store.expiring(watermark)) {
            if (!key.startsWith(PREFIX + "|")) {
                continue;
            }
            String id = key.substring(2, key.indexOf('|', 2));
            CorrelationRule c = byId.get(id);
            Optional<StateRecord> rec = store.get(key);
            if (c == null || rec.isEmpty() || c.condition().isLowerBoundOnly()) {
                store.remove(key);
                continue;
            }
            closeWindows(c, key, rec.get(), watermark.toEpochMilli(), fires);
        }
        return fires;
    }

    private void closeWindows(CorrelationRule c, String key, StateRecord rec, long watermark, List<CorrelationFire> fires) {
        long span = c.timespan().toMillis();
        List<StateEntry> entries = new ArrayList<>(rec.entries());
        GroupKey group = new GroupKey(c.groupBy(), GroupKey.valuesOf(key));
        while (!entries.isEmpty() && entries.get(0).time() + span <= watermark) {
            long end = entries.get(0).time() + span;
            List<StateEntry> window = new ArrayList<>();
            for (StateEntry e : entries) {
                if (e.time() <= end) {
                    window.add(e);
                }
            }
            if (c.condition().test(measure(c, window))) {
                Map<String, Object> trigger = group.asEvent();
                if (window.get(window.size() - 1).session() != null) {
                    trigger.put(EventFields.SESSION_ID, window.get(window.size() - 1).session());
                }
                fires.add(fire(c, group, window, trigger));
            }
            entries.removeAll(window);
        }
        if (entries.isEmpty()) {
            store.remove(key);
        } else {
            store.put(key, new StateRecord(entries.get(0).time() + span, rec.counter(), entries));
        }
    }
}
