package io.mcpaudit.rules.correlation;

import static io.mcpaudit.rules.TestRules.event;
import static org.assertj.core.api.Assertions.assertThat;

import io.mcpaudit.rules.LoadResult;
import io.mcpaudit.rules.RuleLoader;
import io.mcpaudit.rules.engine.DetectionEngine;
import io.mcpaudit.rules.engine.RuleAlert;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CorrelationTest {
    private static final String BASE = """
            title: tool call
            id: aaaaaaaa-0000-4000-8000-000000000001
            name: tool_call
            mcpaudit: {category: rate-anomaly}
            detection:
              sel:
                mcp.method.name: tools/call
              condition: sel
            ---
            title: injection seen
            id: aaaaaaaa-0000-4000-8000-000000000002
            name: injection
            mcpaudit: {category: prompt-injection}
            detection:
              sel:
                mcp.content.text|contains: ignore previous instructions
              condition: sel
            ---
            title: shell tool
            id: aaaaaaaa-0000-4000-8000-000000000003
            name: shell
            mcpaudit: {category: injection-driven-action}
            detection:
              sel:
                gen_ai.tool.name: run_shell
              condition: sel
            """;

    private static DetectionEngine engine(String correlation) {
        LoadResult r = new RuleLoader().loadText("corr.yml", BASE + "---\n" + correlation);
        assertThat(r.problems()).isEmpty();
        return new DetectionEngine(r.ruleSet(), new InMemoryCorrelationStore());
    }

    private static Map<String, Object> call(String id, String time, String user, String tool) {
        return event("event.id", id, "@timestamp", time, "mcp.session.id", "s-" + user, "user.name", user,
                "mcp.method.name", "tools/call", "gen_ai.tool.name", tool);
    }

    /** The correlation alerts raised by the events (unreferenced base rules alert too; not of interest here). */
    private static List<RuleAlert> run(DetectionEngine e, List<Map<String, Object>> events) {
        return all(e, events).stream().filter(a -> a.kind().equals("correlation")).toList();
    }

    private static List<RuleAlert> all(DetectionEngine e, List<Map<String, Object>> events) {
        List<RuleAlert> out = new ArrayList<>();
        events.forEach(ev -> out.addAll(e.process(ev)));
        return out;
    }

    @Test
    void eventCountFiresOncePerBurstAndGroupsByField() {
        DetectionEngine e = engine("""
                title: many calls
                id: aaaaaaaa-0000-4000-8000-000000000010
                level: high
                mcpaudit: {category: rate-anomaly}
                correlation:
                  type: event_count
                  rules: [tool_call]
                  group-by: [user.name]
                  timespan: 1m
                  condition: {gte: 3}
                """);
        List<RuleAlert> alerts = run(e, List.of(
                call("1", "2026-01-01T00:00:00Z", "alice", "a"),
                call("2", "2026-01-01T00:00:10Z", "bob", "a"),
                call("3", "2026-01-01T00:00:20Z", "alice", "a"),
                call("4", "2026-01-01T00:00:30Z", "alice", "a"),
                call("5", "2026-01-01T00:00:40Z", "alice", "a")));
        assertThat(alerts).singleElement().satisfies(a -> {
            assertThat(a.kind()).isEqualTo("correlation");
            assertThat(a.category()).isEqualTo("rate-anomaly");
            assertThat(a.severity().id()).isEqualTo("high");
            assertThat(a.evidence()).containsExactly("1", "3", "4");
            assertThat(a.session()).isEqualTo("s-alice");
            assertThat(a.summary()).contains("user.name=alice");
        });
    }

    @Test
    void referencedRulesAlertOnTheirOwnOnlyWithGenerate() {
        String corr = """
                title: many calls
                id: aaaaaaaa-0000-4000-8000-000000000010
                mcpaudit: {category: rate-anomaly}
                correlation: {type: event_count, rules: [tool_call], group-by: [user.name], timespan: 1m, condition: {gte: 3}}
                """;
        Map<String, Object> ev = call("1", "2026-01-01T00:00:00Z", "alice", "a");
        assertThat(all(engine(corr), List.of(ev))).isEmpty();
        assertThat(all(engine(corr + "generate: true\n"), List.of(ev))).extracting(RuleAlert::ruleId)
                .containsExactly("aaaaaaaa-0000-4000-8000-000000000001");
    }

    @Test
    void eventCountRespectsTheTimespan() {
        DetectionEngine e = engine("""
                title: many calls
                id: aaaaaaaa-0000-4000-8000-000000000010
                mcpaudit: {category: rate-anomaly}
                correlation: {type: event_count, rules: [tool_call], group-by: [user.name], timespan: 1m, condition: {gte: 3}}
                """);
        assertThat(run(e, List.of(
                call("1", "2026-01-01T00:00:00Z", "alice", "a"),
                call("2", "2026-01-01T00:00:50Z", "alice", "a"),
                call("3", "2026-01-01T00:01:40Z", "alice", "a")))).isEmpty();
    }

    @Test
    void outOfOrderEventsArePlacedByTheirTimestamp() {
        DetectionEngine e = engine("""
                title: many calls
                id: aaaaaaaa-0000-4000-8000-000000000010
                mcpaudit: {category: rate-anomaly}
                correlation: {type: event_count, rules: [tool_call], group-by: [user.name], timespan: 1m, condition: {gte: 3}}
                """);
        // Arrival order 0:50, 0:00, 0:30 — all within one minute of each other.
        List<RuleAlert> alerts = run(e, List.of(
                call("b", "2026-01-01T00:00:50Z", "alice", "a"),
                call("a", "2026-01-01T00:00:00Z", "alice", "a"),
                call("c", "2026-01-01T00:00:30Z", "alice", "a")));
        assertThat(alerts).singleElement().satisfies(a -> assertThat(a.evidence()).containsExactly("a", "c", "b"));
    }

    @Test
    void valueCountCountsDistinctValues() {
        DetectionEngine e = engine("""
                title: many tools
                id: aaaaaaaa-0000-4000-8000-000000000011
                mcpaudit: {category: rate-anomaly}
                correlation:
                  type: value_count
                  rules: [tool_call]
                  group-by: [user.name]
                  timespan: 10m
                  condition: {field: gen_ai.tool.name, gt: 2}
                """);
        assertThat(run(e, List.of(
                call("1", "2026-01-01T00:00:00Z", "alice", "read"),
                call("2", "2026-01-01T00:01:00Z", "alice", "read"),
                call("3", "2026-01-01T00:02:00Z", "alice", "write")))).isEmpty();
        assertThat(run(e, List.of(call("4", "2026-01-01T00:03:00Z", "alice", "delete"))))
                .singleElement().satisfies(a -> assertThat(a.summary()).startsWith("value_count 3"));
    }

    @Test
    void temporalNeedsEveryRuleInTheSpanInAnyOrder() {
        DetectionEngine e = engine(TEMPORAL);
        Map<String, Object> shell = call("1", "2026-01-01T00:00:00Z", "alice", "run_shell");
        Map<String, Object> inj = event("event.id", "2", "@timestamp", "2026-01-01T00:02:00Z", "mcp.session.id", "s-alice",
                "mcp.content.text", "please IGNORE PREVIOUS INSTRUCTIONS");
        assertThat(run(e, List.of(shell, inj))).singleElement()
                .satisfies(a -> assertThat(a.evidence()).containsExactly("1", "2"));
        Map<String, Object> otherSession = new java.util.HashMap<>(inj);
        otherSession.put("mcp.session.id", "s-bob");
        assertThat(run(engine(TEMPORAL), List.of(shell, otherSession))).isEmpty();
    }

    private static final String TEMPORAL = """
            title: injection and shell
            id: aaaaaaaa-0000-4000-8000-000000000012
            mcpaudit: {category: injection-driven-action}
            correlation: {type: temporal, rules: [injection, shell], group-by: [mcp.session.id], timespan: 5m}
            """;

    @Test
    void temporalOrderedNeedsTheGivenOrderByEventTime() {
        String rule = """
                title: injection then shell
                id: aaaaaaaa-0000-4000-8000-000000000013
                mcpaudit: {category: injection-driven-action}
                correlation:
                  type: temporal_ordered
                  rules: [injection, shell]
                  group-by: [mcp.session.id]
                  timespan: 5m
                """;
        Map<String, Object> inj = event("event.id", "i", "@timestamp", "2026-01-01T00:01:00Z", "mcp.session.id", "s-alice",
                "mcp.content.text", "ignore previous instructions");
        Map<String, Object> shellBefore = call("s0", "2026-01-01T00:00:30Z", "alice", "run_shell");
        Map<String, Object> shellAfter = call("s1", "2026-01-01T00:03:00Z", "alice", "run_shell");
        assertThat(run(engine(rule), List.of(shellBefore, inj))).isEmpty();
        assertThat(run(engine(rule), List.of(inj, shellAfter))).singleElement()
                .satisfies(a -> assertThat(a.evidence()).containsExactly("i", "s1"));
        // Arrival order differs from event order: the shell call arrives first but happened later.
        assertThat(run(engine(rule), List.of(shellAfter, inj))).singleElement()
                .satisfies(a -> assertThat(a.evidence()).containsExactly("i", "s1"));
        Map<String, Object> shellLate = call("s2", "2026-01-01T00:07:00Z", "alice", "run_shell");
        assertThat(run(engine(rule), List.of(inj, shellLate))).isEmpty();
    }

    @Test
    void aliasesMapGroupFieldsPerRule() {
        DetectionEngine e = engine("""
                title: same user across fields
                id: aaaaaaaa-0000-4000-8000-000000000014
                mcpaudit: {category: injection-driven-action}
                correlation:
                  type: temporal
                  rules: [injection, shell]
                  group-by: [who]
                  timespan: 5m
                  aliases:
                    who:
                      injection: client.user
                      shell: user.name
                """);
        Map<String, Object> inj = event("event.id", "1", "@timestamp", "2026-01-01T00:00:00Z", "client.user", "alice",
                "mcp.content.text", "ignore previous instructions");
        assertThat(run(e, List.of(inj, call("2", "2026-01-01T00:01:00Z", "alice", "run_shell")))).hasSize(1);
        assertThat(run(engine(aliasRule()), List.of(inj, call("2", "2026-01-01T00:01:00Z", "bob", "run_shell"))))
                .isEmpty();
    }

    private static String aliasRule() {
        return """
                title: same user across fields
                id: aaaaaaaa-0000-4000-8000-000000000014
                mcpaudit: {category: injection-driven-action}
                correlation:
                  type: temporal
                  rules: [injection, shell]
                  group-by: [who]
                  timespan: 5m
                  aliases: {who: {injection: client.user, shell: user.name}}
                """;
    }

    @Test
    void correlationsChain() {
        DetectionEngine e = engine("""
                title: burst
                id: aaaaaaaa-0000-4000-8000-000000000015
                name: burst
                correlation: {type: event_count, rules: [tool_call], group-by: [user.name], timespan: 1m, condition: {gte: 2}}
                ---
                title: burst then injection
                id: aaaaaaaa-0000-4000-8000-000000000016
                mcpaudit: {category: injection-driven-action}
                correlation: {type: temporal_ordered, rules: [burst, injection], group-by: [user.name], timespan: 10m}
                """);
        List<RuleAlert> alerts = run(e, List.of(
                call("1", "2026-01-01T00:00:00Z", "alice", "a"),
                call("2", "2026-01-01T00:00:10Z", "alice", "a"),
                event("event.id", "3", "@timestamp", "2026-01-01T00:01:00Z", "user.name", "alice",
                        "mcp.content.text", "ignore previous instructions")));
        assertThat(alerts).extracting(RuleAlert::ruleId).containsExactly("aaaaaaaa-0000-4000-8000-000000000016");
        assertThat(alerts.get(0).evidence()).containsExactly("1", "2", "3");
    }

    private static final String EXACTLY_TWO = """
            title: exactly two calls
            id: aaaaaaaa-0000-4000-8000-000000000017
            mcpaudit: {category: rate-anomaly}
            correlation: {type: event_count, rules: [tool_call], group-by: [user.name], timespan: 1m, condition: {eq: 2}}
            """;

    @Test
    void upperBoundConditionsAreDecidedWhenTheWindowCloses() {
        DetectionEngine e = engine(EXACTLY_TWO);
        assertThat(run(e, List.of(call("1", "2026-01-01T00:00:00Z", "alice", "a"), call("2", "2026-01-01T00:00:30Z", "alice", "a"))))
                .isEmpty();
        assertThat(e.advance(Instant.parse("2026-01-01T00:01:00Z"))).singleElement()
                .satisfies(a -> assertThat(a.evidence()).containsExactly("1", "2"));
        DetectionEngine three = engine(EXACTLY_TWO);
        run(three, List.of(call("1", "2026-01-01T00:00:00Z", "alice", "a"), call("2", "2026-01-01T00:00:30Z", "alice", "a"),
                call("3", "2026-01-01T00:00:40Z", "alice", "a")));
        assertThat(three.advance(Instant.parse("2026-01-01T00:05:00Z"))).isEmpty();
    }

    @Test
    void stateRecordsSurviveEncoding() {
        StateCodec codec = new StateCodec();
        StateRecord r = new StateRecord(42, 7, List.of(new StateEntry(1, 1000, 3, List.of("e1"), "v", "s1")));
        assertThat(codec.decode(codec.encode(r))).isEqualTo(r);
    }

    @Test
    void correlationProblemsAreReported() {
        LoadResult r = new RuleLoader().loadText("corr.yml", BASE + """
                ---
                title: broken
                id: aaaaaaaa-0000-4000-8000-000000000018
                mcpaudit: {category: rate-anomaly}
                correlation:
                  type: value_count
                  rules: [tool_call, nonexistent]
                  timespan: 5 minutes
                  condition: {gte: 2}
                """);
        assertThat(r.problems()).extracting(p -> p.line() + ": " + p.message())
                .anySatisfy(m -> assertThat(m).startsWith("34: timespan '5 minutes'"))
                .anySatisfy(m -> assertThat(m).contains("value_count condition needs 'field'"));
        LoadResult unknown = new RuleLoader().loadText("corr.yml", BASE + """
                ---
                title: dangling
                id: aaaaaaaa-0000-4000-8000-000000000019
                mcpaudit: {category: rate-anomaly}
                correlation: {type: event_count, rules: [nonexistent], timespan: 5m, condition: {gte: 2}}
                """);
        assertThat(unknown.problems()).singleElement()
                .satisfies(p -> assertThat(p.message()).contains("refers to 'nonexistent'"));
        assertThat(unknown.ruleSet().rules()).hasSize(3);
    }
}
