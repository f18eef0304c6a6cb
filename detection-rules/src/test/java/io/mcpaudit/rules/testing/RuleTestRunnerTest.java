package io.mcpaudit.rules.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcpaudit.rules.LoadResult;
import io.mcpaudit.rules.RuleLoader;
import java.util.List;
import org.junit.jupiter.api.Test;

class RuleTestRunnerTest {

    private static List<RuleTestResult> run(String yaml) {
        LoadResult r = new RuleLoader().loadText("rules/x.yml", yaml);
        assertThat(r.problems()).isEmpty();
        return new RuleTestRunner(r.ruleSet()).runAll();
    }

    @Test
    void passingAndFailingCasesAreReportedWithTheirReason() {
        List<RuleTestResult> results = run("""
                title: override phrase
                id: cccccccc-0000-4000-8000-000000000001
                mcpaudit:
                  category: prompt-injection
                  tests:
                    true_positives:
                      - {mcp.content.text: "Ignore previous instructions"}
                      - {mcp.content.text: "nothing to see"}
                    true_negatives:
                      - {mcp.content.text: "hello"}
                      - {mcp.content.text: "please ignore previous instructions"}
                detection:
                  sel: {mcp.content.text|contains: ignore previous instructions}
                  condition: sel
                """);
        RuleTestResult r = results.get(0);
        assertThat(r.status()).isEqualTo(RuleTestResult.Status.FAILED);
        assertThat(r.cases()).isEqualTo(4);
        assertThat(r.failures()).hasSize(2);
        assertThat(r.failures().get(0)).startsWith("true_positives[2] (line 8): expected an alert, got none");
        assertThat(r.failures().get(1)).startsWith("true_negatives[2] (line 11): expected no alert, but matched: sel on mcp.content.text");
        assertThat(RuleTestRunner.table(results)).contains("FAILED").contains("rules/x.yml:1").contains("0 rules passed their tests, 1 failed");
    }

    @Test
    void correlationTestsReplaySequences() {
        List<RuleTestResult> results = run("""
                title: call
                id: cccccccc-0000-4000-8000-000000000002
                name: call
                detection:
                  sel: {mcp.method.name: tools/call}
                  condition: sel
                ---
                title: burst of calls
                id: cccccccc-0000-4000-8000-000000000003
                mcpaudit:
                  category: rate-anomaly
                  tests:
                    true_positives:
                      - sequence:
                          - {mcp.method.name: tools/call, user.name: a}
                          - {mcp.method.name: tools/call, user.name: a}
                          - {mcp.method.name: tools/call, user.name: a}
                    true_negatives:
                      - name: different users
                        sequence:
                          - {mcp.method.name: tools/call, user.name: a}
                          - {mcp.method.name: tools/call, user.name: b}
                          - {mcp.method.name: tools/call, user.name: c}
                correlation: {type: event_count, rules: [call], group-by: [user.name], timespan: 1m, condition: {gte: 3}}
                """);
        assertThat(results).extracting(RuleTestResult::status)
                .containsExactly(RuleTestResult.Status.NO_TESTS, RuleTestResult.Status.PASSED);
    }

    @Test
    void detectorRulesOnlyHaveTheirFixturesChecked() {
        List<RuleTestResult> results = run("""
                title: token reuse
                id: cccccccc-0000-4000-8000-000000000004
                mcpaudit:
                  category: token-reuse
                  detector: {name: token-reuse, thresholds: {window: 10m}}
                  tests:
                    true_positives:
                      - sequence:
                          - {token.fingerprint: f1, server.name: a}
                          - {token.fingerprint: f1, server.name: b}
                """);
        assertThat(results).singleElement().satisfies(r -> {
            assertThat(r.status()).isEqualTo(RuleTestResult.Status.FIXTURES_ONLY);
            assertThat(r.cases()).isEqualTo(1);
        });
    }
}
