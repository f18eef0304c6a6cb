package io.mcpaudit.rules.testing;

import io.mcpaudit.rules.RuleSet;
import io.mcpaudit.rules.correlation.CorrelationRule;
import io.mcpaudit.rules.correlation.InMemoryCorrelationStore;
import io.mcpaudit.rules.engine.DetectionEngine;
import io.mcpaudit.rules.engine.RuleAlert;
import io.mcpaudit.rules.event.EventFields;
import io.mcpaudit.rules.event.RuleEvent;
import io.mcpaudit.rules.extension.InlineTests;
import io.mcpaudit.rules.extension.TestCase;
import io.mcpaudit.rules.sigma.CompiledRule;
import io.mcpaudit.rules.sigma.RuleDefinition;
import io.mcpaudit.rules.sigma.RuleMatch;
import io.mcpaudit.rules.sigma.RuleMeta;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Runs the inline tests of every rule: true positives must raise the rule, true negatives must
 * not. Stateless rules are matched event by event; correlation and stateful rules replay each
 * sequence through a fresh engine and then let event time run out, as at the end of a capture.
 * Detector rules only have their fixtures checked here.
 */
public final class RuleTestRunner {
    /** Test events without a timestamp are spaced one second apart from this instant. */
    static final Instant SYNTHETIC_START = Instant.parse("2026-01-01T00:00:00Z");
    /** How far event time runs on after the last event of a sequence (closes every window). */
    private static final Duration FLUSH = Duration.ofDays(400);

    private final RuleSet rules;

    public RuleTestRunner(RuleSet rules) {
        this.rules = rules;
    }

    /** Results for every rule of the set, in file order. */
    public List<RuleTestResult> runAll() {
        List<RuleDefinition> all = new ArrayList<>();
        rules.rules().forEach(r -> all.add(r.definition()));
        all.addAll(rules.correlations());
        all.sort(Comparator.comparing((RuleDefinition d) -> d.meta().file()).thenComparingInt(d -> d.meta().line()));
        List<RuleTestResult> out = new ArrayList<>();
        for (RuleDefinition d : all) {
            out.add(run(d));
        }
        return out;
    }

    public RuleTestResult run(RuleDefinition rule) {
        RuleMeta m = rule.meta();
        InlineTests tests = rule.extension().tests();
        int cases = tests.truePositives().size() + tests.trueNegatives().size();
        if (tests.isEmpty()) {
            return result(m, RuleTestResult.Status.NO_TESTS, 0, List.of());
        }
        if (rule.extension().detector().isPresent()) {
            return result(m, RuleTestResult.Status.FIXTURES_ONLY, cases, List.of());
        }
        List<String> failures = new ArrayList<>();
        for (TestCase tc : tests.truePositives()) {
            Outcome o = outcome(rule, tc);
            if (!o.raised()) {
                failures.add(tc.name() + " (line " + tc.line() + "): expected an alert, got none");
            }
        }
        for (TestCase tc : tests.trueNegatives()) {
            Outcome o = outcome(rule, tc);
            if (o.raised()) {
                failures.add(tc.name() + " (line " + tc.line() + "): expected no alert, but " + o.why());
            }
        }
        return result(m, failures.isEmpty() ? RuleTestResult.Status.PASSED : RuleTestResult.Status.FAILED, cases, failures);
    }

    private record Outcome(boolean raised, String why) {
    }

    private Outcome outcome(RuleDefinition rule, TestCase tc) {
        List<Map<String, Object>> events = timed(tc.events());
        boolean stateful = rule instanceof CorrelationRule || rule.extension().isStateful();
        if (!stateful) {
            CompiledRule compiled = rules.rule(rule.meta().id()).orElseThrow();
            for (Map<String, Object> e : events) {
                Optional<RuleMatch> m = compiled.evaluate(compiled.event(e));
                if (m.isPresent()) {
                    return new Outcome(true, "matched: " + m.get().hits().stream()
                            .map(h -> h.identifier() + " on " + (h.field().isEmpty() ? "keywords" : h.field()) + " ~ " + h.ruleValue()
                                    + " \"" + h.excerpt() + "\"")
                            .collect(Collectors.joining("; ")));
                }
            }
            return new Outcome(false, "");
        }
        DetectionEngine engine = new DetectionEngine(rules.withStandalone(rule.meta().id()), new InMemoryCorrelationStore());
        List<RuleAlert> alerts = new ArrayList<>();
        Instant last = SYNTHETIC_START;
        for (Map<String, Object> e : events) {
            alerts.addAll(engine.process(e));
            Instant t = engine.streamTime();
            last = t.isAfter(last) ? t : last;
        }
        alerts.addAll(engine.advance(last.plus(FLUSH)));
        List<RuleAlert> mine = alerts.stream().filter(a -> a.ruleId().equals(rule.meta().id())).toList();
        return new Outcome(!mine.isEmpty(), mine.isEmpty() ? "" : "raised: " + mine.get(0).summary());
    }

    /** Gives events without {@code @timestamp} (or {@code ts}) one, a second apart, in order. */
    static List<Map<String, Object>> timed(List<Map<String, Object>> events) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            Map<String, Object> e = events.get(i);
            if (new RuleEvent(e, io.mcpaudit.rules.event.DerivedFields.NONE).timestamp().isEmpty()) {
                Map<String, Object> copy = new LinkedHashMap<>(e);
                copy.put(EventFields.TIMESTAMP, SYNTHETIC_START.plusSeconds(i).toString());
                e = copy;
            }
            out.add(e);
        }
        return out;
    }

    private static RuleTestResult result(RuleMeta m, RuleTestResult.Status status, int cases, List<String> failures) {
        return new RuleTestResult(m.id(), m.title(), m.file(), m.line(), status, cases, failures);
    }

    /** A plain-text table of results, as {@code mcp-audit rules test} prints it. */
    public static String table(List<RuleTestResult> results) {
        StringBuilder b = new StringBuilder();
        b.append(String.format("%-14s %-5s %-50s %s%n", "STATUS", "CASES", "RULE", "FILE"));
        for (RuleTestResult r : results) {
            String title = r.title().length() > 50 ? r.title().substring(0, 49) + "…" : r.title();
            b.append(String.format("%-14s %-5d %-50s %s:%d%n", r.status(), r.cases(), title, r.file(), r.line()));
            for (String f : r.failures()) {
                b.append("    ").append(f).append(System.lineSeparator());
            }
        }
        long failed = results.stream().filter(RuleTestResult::failed).count();
        long passed = results.stream().filter(r -> r.status() == RuleTestResult.Status.PASSED).count();
        b.append(passed).append(" rules passed their tests, ").append(failed).append(" failed").append(System.lineSeparator());
        return b.toString();
    }
}
