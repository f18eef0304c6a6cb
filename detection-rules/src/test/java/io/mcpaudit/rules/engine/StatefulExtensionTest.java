package io.mcpaudit.rules.engine;

import static io.mcpaudit.rules.TestRules.event;
import static org.assertj.core.api.Assertions.assertThat;

import io.mcpaudit.rules.LoadResult;
import io.mcpaudit.rules.RuleLoader;
import io.mcpaudit.rules.correlation.InMemoryCorrelationStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StatefulExtensionTest {
    /** The predecessor/successor rule of the absence and ordering tests (alerts only when nothing uses it). */
    private static final String CALLS = """
            title: approval granted
            id: bbbbbbbb-0000-4000-8000-000000000002
            name: approval
            mcpaudit: {category: missing-approval}
            detection:
              sel: {event.action: approval, approval.decision: approved}
              condition: sel
            ---
            """;

    private static DetectionEngine engine(String rule) {
        LoadResult r = new RuleLoader().loadText("x.yml", CALLS + rule);
        assertThat(r.problems()).isEmpty();
        return new DetectionEngine(r.ruleSet(), new InMemoryCorrelationStore());
    }

    private static Map<String, Object> call(String id, int second, String user, String tool) {
        return event("event.id", id, "@timestamp", Instant.parse("2026-01-01T00:00:00Z").plusSeconds(second).toString(),
                "mcp.session.id", "s1", "user.name", user, "mcp.method.name", "tools/call", "gen_ai.tool.name", tool);
    }

    private static Map<String, Object> approval(String id, int second) {
        return event("event.id", id, "@timestamp", Instant.parse("2026-01-01T00:00:00Z").plusSeconds(second).toString(),
                "mcp.session.id", "s1", "event.action", "approval", "approval.decision", "approved");
    }

    private static Map<String, Object> other(String id, int second) {
        return event("event.id", id, "@timestamp", Instant.parse("2026-01-01T00:00:00Z").plusSeconds(second).toString(),
                "mcp.session.id", "s1", "mcp.method.name", "notifications/progress");
    }

    private static List<RuleAlert> run(DetectionEngine e, List<Map<String, Object>> events) {
        List<RuleAlert> out = new ArrayList<>();
        events.forEach(ev -> out.addAll(e.process(ev)));
        return out;
    }

    @Test
    void firstSeenAlertsOnNewTermsOnly() {
        DetectionEngine e = engine("""
                title: first use of a tool by a user
                id: bbbbbbbb-0000-4000-8000-000000000010
                mcpaudit:
                  category: rate-anomaly
                  first_seen: {fields: [user.name, gen_ai.tool.name], history: 1d}
                detection:
                  sel: {mcp.method.name: tools/call}
                  condition: sel
                """);
        List<RuleAlert> alerts = run(e, List.of(call("1", 0, "alice", "read"), call("2", 10, "alice", "read"),
                call("3", 20, "bob", "read"), call("4", 30, "alice", "write")));
        assertThat(alerts).extracting(RuleAlert::evidence).containsExactly(List.of("1"), List.of("3"), List.of("4"));
        assertThat(alerts.get(0).kind()).isEqualTo("first_seen");
        assertThat(alerts.get(0).summary()).contains("user.name=alice, gen_ai.tool.name=read");
        // After the history window the term is new again.
        assertThat(run(e, List.of(call("5", 2 * 86400, "alice", "read")))).hasSize(1);
    }

    @Test
    void firstSeenWarmupSuppressesAlertsWhileLearning() {
        DetectionEngine e = engine("""
                title: first use of a tool by a user
                id: bbbbbbbb-0000-4000-8000-000000000010
                mcpaudit:
                  category: rate-anomaly
                  first_seen: {fields: [user.name, gen_ai.tool.name], history: 30d, warmup: 1h}
                detection:
                  sel: {mcp.method.name: tools/call}
                  condition: sel
                """);
        assertThat(run(e, List.of(call("1", 0, "alice", "read"), call("2", 60, "bob", "read")))).isEmpty();
        assertThat(run(e, List.of(call("3", 7200, "alice", "read"), call("4", 7300, "alice", "delete"))))
                .extracting(RuleAlert::evidence).containsExactly(List.of("4"));
    }

    @Test
    void absenceByTime() {
        DetectionEngine e = engine(ABSENCE_TIME);
        assertThat(run(e, List.of(call("1", 0, "alice", "delete_repo"), approval("2", 30), other("3", 600)))).isEmpty();
        DetectionEngine e2 = engine(ABSENCE_TIME);
        List<RuleAlert> alerts = run(e2, List.of(call("1", 0, "alice", "delete_repo"), other("3", 600)));
        assertThat(alerts).singleElement().satisfies(a -> {
            assertThat(a.kind()).isEqualTo("absence");
            assertThat(a.evidence()).containsExactly("1");
            assertThat(a.summary()).contains("not followed by 'approval' within 2m");
        });
        // Without later events, advancing event time (a punctuator, or the end of a replay) raises it.
        DetectionEngine e3 = engine(ABSENCE_TIME);
        run(e3, List.of(call("1", 0, "alice", "delete_repo")));
        assertThat(e3.advance(Instant.parse("2026-01-01T00:05:00Z"))).hasSize(1);
    }

    private static final String ABSENCE_TIME = """
            title: tool call never approved
            id: bbbbbbbb-0000-4000-8000-000000000011
            mcpaudit:
              category: missing-approval
              absence: {followed_by: approval, within: 2m}
            detection:
              sel: {mcp.method.name: tools/call, gen_ai.tool.name: delete_repo}
              condition: sel
            """;

    @Test
    void absenceBySteps() {
        String rule = """
                title: no approval within two steps
                id: bbbbbbbb-0000-4000-8000-000000000012
                mcpaudit:
                  category: missing-approval
                  absence: {followed_by: approval, steps: 2}
                detection:
                  sel: {mcp.method.name: tools/call, gen_ai.tool.name: delete_repo}
                  condition: sel
                """;
        assertThat(run(engine(rule), List.of(call("1", 0, "alice", "delete_repo"), other("2", 1), approval("3", 2)))).isEmpty();
        assertThat(run(engine(rule), List.of(call("1", 0, "alice", "delete_repo"), other("2", 1), other("3", 2), approval("4", 3))))
                .singleElement().satisfies(a -> assertThat(a.summary()).contains("within 2 events"));
    }

    @Test
    void orderingNeedsThePredecessorWithinTheSpan() {
        String rule = """
                title: destructive call without prior approval
                id: bbbbbbbb-0000-4000-8000-000000000013
                mcpaudit:
                  category: missing-approval
                  ordering: {preceded_by: approval, within: 5m, steps: 3}
                detection:
                  sel: {mcp.method.name: tools/call, gen_ai.tool.name: delete_repo}
                  condition: sel
                """;
        assertThat(run(engine(rule), List.of(approval("1", 0), call("2", 30, "alice", "delete_repo")))).isEmpty();
        assertThat(run(engine(rule), List.of(call("2", 30, "alice", "delete_repo")))).singleElement()
                .satisfies(a -> assertThat(a.summary()).contains("not preceded by 'approval'"));
        assertThat(run(engine(rule), List.of(approval("1", 0), call("2", 600, "alice", "delete_repo")))).hasSize(1);
        assertThat(run(engine(rule), List.of(approval("1", 0), other("2", 1), other("3", 2), other("4", 3),
                call("5", 4, "alice", "delete_repo")))).hasSize(1);
        // The predecessor alone never alerts: it is a building block of the ordering rule.
        assertThat(run(engine(rule), List.of(approval("1", 0)))).isEmpty();
    }

    @Test
    void dedupSuppressesRepeatsWithinTheWindow() {
        DetectionEngine e = engine("""
                title: shell tool used
                id: bbbbbbbb-0000-4000-8000-000000000014
                mcpaudit:
                  category: injection-driven-action
                  dedup: {window: 10m, key: [mcp.session.id]}
                detection:
                  sel: {gen_ai.tool.name: run_shell}
                  condition: sel
                """);
        List<RuleAlert> alerts = run(e, List.of(call("1", 0, "a", "run_shell"), call("2", 60, "a", "run_shell"),
                call("3", 700, "a", "run_shell")));
        assertThat(alerts).extracting(RuleAlert::evidence).containsExactly(List.of("1"), List.of("3"));
    }

    @Test
    void detectorRulesAreNotEvaluatedHere() {
        DetectionEngine e = engine("""
                title: token reuse
                id: bbbbbbbb-0000-4000-8000-000000000015
                mcpaudit:
                  category: token-reuse
                  detector: {name: token-reuse, thresholds: {window: 10m, audiences: 2}}
                detection:
                  sel: {token.fingerprint|exists: true}
                  condition: sel
                """);
        assertThat(run(e, List.of(event("token.fingerprint", "x")))).isEmpty();
        assertThat(e.rules().detectorRules()).singleElement()
                .satisfies(r -> assertThat(r.extension().detector().orElseThrow().thresholds()).containsEntry("audiences", 2L));
    }
}
