package io.mcpaudit.rules;

import java.util.List;

/** What loading a rule directory gave: the usable rules, and every problem with the others. */
public record LoadResult(RuleSet ruleSet, List<RuleProblem> problems) {
    public LoadResult {
        problems = List.copyOf(problems);
    }

    public boolean ok() {
        return problems.isEmpty();
    }
}
