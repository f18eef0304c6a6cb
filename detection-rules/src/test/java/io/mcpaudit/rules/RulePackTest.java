package io.mcpaudit.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcpaudit.rules.sigma.RuleDefinition;
import io.mcpaudit.rules.testing.RuleTestResult;
import io.mcpaudit.rules.testing.RuleTestRunner;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The shipped rule pack loads cleanly and every rule passes its own inline tests. */
class RulePackTest {
    /** Surefire runs in the module directory. */
    private static final Path RULES = Path.of("rules");
    private static final int MIN_CASES = 3;

    private static LoadResult loaded;

    @BeforeAll
    static void load() {
        loaded = new RuleLoader().load(RULES);
    }

    private static List<RuleDefinition> definitions() {
        List<RuleDefinition> all = new ArrayList<>();
        loaded.ruleSet().rules().forEach(r -> all.add(r.definition()));
        all.addAll(loaded.ruleSet().correlations());
        return all;
    }

    @Test
    void everyRuleFileLoadsWithoutProblems() {
        assertThat(loaded.problems()).as("rule problems:%n%s",
                loaded.problems().stream().map(RuleProblem::toString).collect(Collectors.joining("\n"))).isEmpty();
        assertThat(loaded.ruleSet().size()).isGreaterThan(0);
    }

    @Test
    void everyRulePassesItsInlineTests() {
        List<RuleTestResult> results = new RuleTestRunner(loaded.ruleSet()).runAll();
        List<RuleTestResult> failed = results.stream().filter(RuleTestResult::failed).toList();
        assertThat(failed).as("failing rule tests:%n%s", RuleTestRunner.table(failed)).isEmpty();
    }

    @Test
    void everyAlertingRuleHasEnoughPositivesAndLookAlikeNegatives() {
        List<String> thin = new ArrayList<>();
        for (RuleDefinition d : definitions()) {
            if (!loaded.ruleSet().isStandalone(d.meta().id())) {
                continue;
            }
            int tp = d.extension().tests().truePositives().size();
            int tn = d.extension().tests().trueNegatives().size();
            if (tp < MIN_CASES || tn < MIN_CASES) {
                thin.add(d.meta().location() + " " + d.meta().title() + ": " + tp + " true positives, " + tn + " true negatives");
            }
        }
        assertThat(thin).as("rules need at least %d of each", MIN_CASES).isEmpty();
    }

    @Test
    void rulesLiveInTheDirectoryOfTheirCategory() {
        List<String> misplaced = new ArrayList<>();
        for (RuleDefinition d : definitions()) {
            String dir = d.meta().file().contains("/") ? d.meta().file().substring(0, d.meta().file().indexOf('/')) : "";
            d.extension().category().filter(c -> !c.id().equals(dir))
                    .ifPresent(c -> misplaced.add(d.meta().file() + " has category " + c.id()));
        }
        assertThat(misplaced).isEmpty();
    }
}
