package io.mcpaudit.rules.engine;

import io.mcpaudit.rules.RuleSet;
import io.mcpaudit.rules.correlation.CorrelationEvaluator;
import io.mcpaudit.rules.correlation.CorrelationFire;
import io.mcpaudit.rules.correlation.CorrelationRule;
import io.mcpaudit.rules.correlation.CorrelationStore;
import io.mcpaudit.rules.correlation.StateRecord;
import io.mcpaudit.rules.event.DerivedFields;
import io.mcpaudit.rules.event.RuleEvent;
import io.mcpaudit.rules.extension.McpAuditExtension;
import io.mcpaudit.rules.sigma.CompiledRule;
import io.mcpaudit.rules.sigma.RuleMatch;
import io.mcpaudit.rules.sigma.match.Hit;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Runs a whole rule set over a stream of events: stateless Sigma rules, correlations, and the
 * stateful extensions (first_seen, absence, ordering, dedup). All time is event time, taken
 * from each event's {@code @timestamp}, so replaying the same events gives the same alerts.
 * Rules that name a stream-processor detector are not evaluated here.
 *
 * <p>One engine serves one stream task: it is not thread-safe, and all its state lives in the
 * {@link CorrelationStore} so a restarted task resumes where it stopped.
 */
public final class DetectionEngine {
    private static final String STREAM_TIME_KEY = "t|stream-time|";

    private final RuleSet rules;
    private final CorrelationStore store;
    private final DerivedFields derivedFields;
    private final CorrelationEvaluator correlations;
    private final FirstSeenEvaluator firstSeen;
    private final SequenceEvaluator sequences;
    private final DedupFilter dedup;
    private boolean keepRepeats;
    /** The stream time record, read once: every event asks for it and the engine is its only writer. */
    private Instant streamTime;

    public DetectionEngine(RuleSet rules, CorrelationStore store) {
        this(rules, store, CompiledRule.standardDerivedFields());
    }

    public DetectionEngine(RuleSet rules, CorrelationStore store, DerivedFields derivedFields) {
        this.rules = rules;
        this.store = store;
        this.derivedFields = derivedFields;
        this.correlations = new CorrelationEvaluator(rules, store);
        this.firstSeen = new FirstSeenEvaluator(store);
        this.sequences = new SequenceEvaluator(rules, store);
        this.dedup = new DedupFilter(store);
    }

    /**
     * Also return alerts that repeat one raised within their rule's dedup window (marked
     * {@link RuleAlert#repeat()}), for a downstream stage that folds repeats into the open alert
     * and counts them. By default repeats are dropped here.
     */
    public DetectionEngine keepingRepeats() {
        this.keepRepeats = true;
        return this;
    }

    /** Evaluates one event (nested maps or flat dotted keys) and returns the alerts it raises. */
    public List<RuleAlert> process(Map<String, Object> event) {
        return process(new RuleEvent(event, derivedFields));
    }

    public List<RuleAlert> process(RuleEvent event) {
        // Events without a time are placed at the current stream time rather than dropped.
        Instant time = event.timestamp().orElseGet(this::streamTime);
        List<RuleAlert> alerts = new ArrayList<>();
        if (time.isAfter(streamTime())) {
            alerts.addAll(advance(time));
        }
        Map<String, RuleMatch> matched = new LinkedHashMap<>();
        for (CompiledRule rule : rules.rules()) {
            if (rule.hasDetection() && rule.extension().detector().isEmpty()) {
                rule.evaluate(event).ifPresent(m -> matched.put(rule.id(), m));
            }
        }
        List<String> evidence = Alerts.evidenceOf(event);
        Deque<CorrelationFire> chain = new ArrayDeque<>();
        for (RuleMatch m : matched.values()) {
            CompiledRule rule = m.rule();
            McpAuditExtension ext = rule.extension();
            if (ext.firstSeen().isPresent()) {
                firstSeen.onMatch(m, event, time).ifPresent(a -> emit(a, ext, event, alerts));
            } else if (!ext.isStateful() && rules.isStandalone(rule.id())) {
                emit(matchAlert(m, event, time, evidence), ext, event, alerts);
            }
            chain.addAll(correlations.onMatch(rule.definition(), event, time, evidence));
        }
        if (!sequences.isEmpty()) {
            for (RuleAlert a : sequences.onEvent(event, time, matched)) {
                emit(a, rules.rule(a.ruleId()).map(CompiledRule::extension).orElse(McpAuditExtension.NONE), event, alerts);
            }
        }
        drainCorrelations(chain, alerts);
        return alerts;
    }

    /**
     * Moves event time forward to {@code streamTime}: closes correlation windows with upper-bound
     * conditions, raises absences whose span ran out, and drops expired state. Call it from a
     * stream-time punctuator, and once at the end of an offline replay.
     */
    public List<RuleAlert> advance(Instant streamTime) {
        if (streamTime.isAfter(streamTime())) {
            store.put(STREAM_TIME_KEY, StateRecord.counter(streamTime.toEpochMilli(), Long.MAX_VALUE));
            this.streamTime = streamTime;
        }
        List<RuleAlert> alerts = new ArrayList<>();
        for (RuleAlert a : sequences.advance(streamTime)) {
            emit(a, rules.rule(a.ruleId()).map(CompiledRule::extension).orElse(McpAuditExtension.NONE), null, alerts);
        }
        Deque<CorrelationFire> chain = new ArrayDeque<>(correlations.advance(streamTime));
        drainCorrelations(chain, alerts);
        for (String key : store.expiring(streamTime)) {
            // Whatever the evaluators did not claim (first-seen terms, dedup marks) just expires.
            if (!key.startsWith("c|") && !key.startsWith("a|") && !key.startsWith("o|")) {
                store.remove(key);
            }
        }
        return alerts;
    }

    /** The highest event time seen (epoch if none yet). */
    public Instant streamTime() {
        if (streamTime == null) {
            streamTime = store.get(STREAM_TIME_KEY).map(r -> Instant.ofEpochMilli(r.counter())).orElse(Instant.EPOCH);
        }
        return streamTime;
    }

    private void drainCorrelations(Deque<CorrelationFire> chain, List<RuleAlert> alerts) {
        while (!chain.isEmpty()) {
            CorrelationFire fire = chain.poll();
            CorrelationRule c = fire.rule();
            RuleEvent trigger = new RuleEvent(fire.triggeringEvent(), derivedFields);
            if (rules.isStandalone(c.meta().id())) {
                emit(correlationAlert(fire), c.extension(), trigger, alerts);
            }
            chain.addAll(correlations.onMatch(c, trigger, fire.time(), fire.evidence()));
        }
    }

    private void emit(RuleAlert alert, McpAuditExtension ext, RuleEvent event, List<RuleAlert> alerts) {
        RuleEvent keyEvent = event != null ? event : new RuleEvent(Map.of("mcp.session.id", String.valueOf(alert.session())), derivedFields);
        RuleAlert marked = dedup.mark(alert, ext.dedup(), keyEvent);
        if (!marked.repeat() || keepRepeats) {
            alerts.add(marked);
        }
    }

    private static RuleAlert matchAlert(RuleMatch m, RuleEvent event, Instant time, List<String> evidence) {
        String summary = m.hits().stream()
                .map(h -> (h.field().isEmpty() ? "keywords" : h.field()) + " ~ " + h.ruleValue() + ": \"" + h.excerpt() + "\"")
                .collect(Collectors.joining("; "));
        return Alerts.alert(m.rule(), "match", Alerts.session(event), time, evidence, summary, m.hits());
    }

    private static RuleAlert correlationAlert(CorrelationFire fire) {
        CorrelationRule c = fire.rule();
        McpAuditExtension ext = c.extension();
        return new RuleAlert(c.meta().id(), c.meta().title(), ext.category().map(x -> x.id()).orElse(""),
                ext.severityFor(c.meta().level()), fire.session(), fire.time(), fire.evidence(), "correlation",
                fire.summary(), List.<Hit>of());
    }

    /** The rule set this engine runs. */
    public RuleSet rules() {
        return rules;
    }

    /** Looks up which rules matched an event, without touching any state (for hunting and tests). */
    public List<RuleMatch> matchOnly(Map<String, Object> event) {
        RuleEvent e = new RuleEvent(event, derivedFields);
        List<RuleMatch> out = new ArrayList<>();
        for (CompiledRule rule : rules.rules()) {
            if (rule.hasDetection()) {
                Optional<RuleMatch> m = rule.evaluate(e);
                m.ifPresent(out::add);
            }
        }
        return out;
    }
}
