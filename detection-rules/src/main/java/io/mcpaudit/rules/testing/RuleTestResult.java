package io.mcpaudit.rules.testing;

import java.util.List;

/**
 * The outcome of one rule's inline tests.
 *
 * @param cases how many test cases ran (or were checked, for detector fixtures)
 * @param failures one line per failing case, saying what was expected and what happened
 */
public record RuleTestResult(String ruleId, String title, String file, int line, Status status, int cases, List<String> failures) {

    /** How a rule's tests ended. */
    public enum Status {
        PASSED,
        FAILED,
        /** A detector rule: its fixtures are well-formed; the stream processors run them. */
        FIXTURES_ONLY,
        /** The rule has no inline tests. */
        NO_TESTS
    }

    public RuleTestResult {
        failures = List.copyOf(failures);
    }

    public boolean failed() {
        return status == Status.FAILED;
    }
}
