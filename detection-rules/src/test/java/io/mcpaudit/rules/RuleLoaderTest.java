package io.mcpaudit.rules;

import static io.mcpaudit.rules.TestRules.load;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuleLoaderTest {

    private static final String GOOD = """
            title: good rule
            id: 22222222-2222-4222-8222-222222222222
            level: medium
            mcpaudit:
              category: ssrf
            detection:
              sel:
                url.full|contains: 169.254.169.254
              condition: sel
            """;

    private static RuleProblem only(LoadResult r) {
        assertThat(r.problems()).hasSize(1);
        return r.problems().get(0);
    }

    @Test
    void aBrokenRuleIsReportedWithFileAndLineAndTheOthersStillLoad(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("good.yml"), GOOD);
        Files.createDirectories(dir.resolve("ssrf"));
        Files.writeString(dir.resolve("ssrf/bad.yml"), """
                title: bad rule
                id: 33333333-3333-4333-8333-333333333333
                mcpaudit:
                  category: ssrf
                detection:
                  sel:
                    url.full|contians: x
                  condition: sel
                """);
        LoadResult r = new RuleLoader().load(dir);
        assertThat(r.ruleSet().rules()).extracting(c -> c.title()).containsExactly("good rule");
        RuleProblem p = only(r);
        assertThat(p.file()).isEqualTo("ssrf/bad.yml");
        assertThat(p.line()).isEqualTo(7);
        assertThat(p.message()).contains("unknown modifier 'contians'").contains("contains");
        assertThat(p.toString()).startsWith("ssrf/bad.yml:7: ");
    }

    @Test
    void yamlSyntaxErrorsCarryTheirLine() {
        RuleProblem p = only(load("title: x\nid: 44444444-4444-4444-8444-444444444444\ndetection:\n  sel: [a, b\n  condition: sel\n"));
        assertThat(p.message()).startsWith("not valid YAML");
        assertThat(p.line()).isBetween(4, 6);
    }

    @Test
    void unknownCategoryNamesTheClosestAllowedOne() {
        RuleProblem p = only(load(GOOD.replace("category: ssrf", "category: prompt_injection")));
        assertThat(p.line()).isEqualTo(5);
        assertThat(p.message()).contains("'prompt_injection'").contains("did you mean 'prompt-injection'");
    }

    @Test
    void alertingRulesNeedACategory() {
        RuleProblem p = only(load(GOOD.replace("mcpaudit:\n  category: ssrf\n", "")));
        assertThat(p.message()).contains("no mcpaudit.category");
        assertThat(p.line()).isEqualTo(1);
    }

    @Test
    void unknownExtensionKeysAreErrors() {
        RuleProblem p = only(load(GOOD.replace("  category: ssrf\n", "  category: ssrf\n  severty: high\n")));
        assertThat(p.line()).isEqualTo(6);
        assertThat(p.message()).contains("unknown key 'severty' in mcpaudit");
    }

    @Test
    void badConditionPointsAtTheConditionLine() {
        RuleProblem p = only(load(GOOD.replace("condition: sel", "condition: sel and filter")));
        assertThat(p.line()).isEqualTo(9);
        assertThat(p.message()).contains("'filter'").contains("not defined");
    }

    @Test
    void badRegexIsExplained() {
        RuleProblem p = only(load(GOOD.replace("url.full|contains: 169.254.169.254", "url.full|re: '(?=lookahead)'")));
        assertThat(p.line()).isEqualTo(8);
        assertThat(p.message()).contains("not valid RE2 syntax").contains("linear-time");
    }

    @Test
    void modifierConflictsAreExplained() {
        assertThat(only(load(GOOD.replace("url.full|contains", "url.full|re|contains"))).message())
                .contains("'re' cannot be combined with 'contains'");
        assertThat(only(load(GOOD.replace("url.full|contains", "url.full|contains|all"))).message())
                .contains("'all' needs at least two values");
        assertThat(only(load(GOOD.replace("url.full|contains: 169.254.169.254", "url.full|cidr: 300.0.0.0/8"))).message())
                .contains("is not a CIDR network");
        assertThat(only(load(GOOD.replace("url.full|contains: 169.254.169.254", "n|gt: many"))).message())
                .contains("'gt' needs a number");
        assertThat(only(load(GOOD.replace("url.full|contains", "url.full|wide"))).message())
                .contains("must be followed by base64");
        assertThat(only(load(GOOD.replace("url.full|contains", "url.full|expand"))).message())
                .contains("placeholders");
    }

    @Test
    void duplicateKeysAreReported() {
        RuleProblem p = only(load(GOOD.replace("  condition: sel", "  sel:\n    url.full: y\n  condition: sel")));
        assertThat(p.line()).isEqualTo(9);
        assertThat(p.message()).contains("duplicate key 'sel'");
    }

    @Test
    void idsMustBeUuidsAndUnique() {
        assertThat(only(load(GOOD.replace("22222222-2222-4222-8222-222222222222", "my-rule"))).message()).contains("not a UUID");
        LoadResult twice = new RuleLoader().load(Map.of("a.yml", GOOD, "b.yml", GOOD.replace("good rule", "copy")));
        assertThat(twice.ruleSet().rules()).hasSize(1);
        assertThat(only(twice).message()).contains("already used by");
    }

    @Test
    void metaFieldsAreChecked() {
        assertThat(only(load(GOOD.replace("level: medium", "level: severe"))).message()).contains("level 'severe' is not one of");
        assertThat(only(load(GOOD.replace("level: medium", "level: medium\ndate: 2025/01/02"))).message()).contains("YYYY-MM-DD");
        assertThat(only(load(GOOD.replace("level: medium", "level: medium\ntags: [Attack.T1190]"))).message()).contains("tag 'Attack.T1190'");
        assertThat(only(load(GOOD.replace("title: good rule\n", ""))).message()).contains("no 'title'");
    }

    @Test
    void sigma1SyntaxGetsAPointerToCorrelations() {
        assertThat(only(load(GOOD.replace("  condition: sel", "  timeframe: 5m\n  condition: sel"))).message())
                .contains("correlation rule");
    }

    @Test
    void extensionBlocksAreValidated() {
        String firstSeen = GOOD.replace("  category: ssrf\n", "  category: ssrf\n  first_seen:\n    history: forever\n");
        LoadResult r = load(firstSeen);
        assertThat(r.problems()).extracting(RuleProblem::message)
                .anySatisfy(m -> assertThat(m).contains("first_seen needs 'fields'"))
                .anySatisfy(m -> assertThat(m).contains("history 'forever' must be a number and a unit"));
        String absence = GOOD.replace("  category: ssrf\n", "  category: ssrf\n  absence:\n    followed_by: other\n");
        assertThat(only(load(absence)).message()).contains("needs a maximum span");
        String both = GOOD.replace("  category: ssrf\n", "  category: ssrf\n  first_seen:\n    fields: [a]\n    history: 1d\n"
                + "  detector:\n    name: token-reuse\n");
        assertThat(only(load(both)).message()).contains("only one of");
    }

    @Test
    void testCasesMustBeEvents() {
        String tests = GOOD.replace("  category: ssrf\n", "  category: ssrf\n  tests:\n    true_positives:\n      - just a string\n");
        RuleProblem p = only(load(tests));
        assertThat(p.line()).isEqualTo(8);
        assertThat(p.message()).contains("true_positives[1] must be an event");
    }

    @Test
    void missingDirectoryIsAProblemNotAnException(@TempDir Path dir) {
        LoadResult r = new RuleLoader().load(dir.resolve("nope"));
        assertThat(r.ruleSet().size()).isZero();
        assertThat(only(r).message()).contains("does not exist");
    }

    @Test
    void severityComesFromLevelUnlessOverridden() {
        assertThat(load(GOOD).ruleSet().rules().get(0).severity().id()).isEqualTo("medium");
        assertThat(load(GOOD.replace("level: medium", "level: informational")).ruleSet().rules().get(0).severity().id()).isEqualTo("low");
        assertThat(load(GOOD.replace("  category: ssrf\n", "  category: ssrf\n  severity: critical\n")).ruleSet().rules().get(0)
                .severity().id()).isEqualTo("critical");
    }
}
