package io.mcpaudit.rules.sigma;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConditionParserTest {
    private static final Set<String> IDS = Set.of("a", "b", "c", "sel_1", "sel_2", "filter_x", "_helper");

    private static boolean eval(String condition, Map<String, Boolean> truth) throws Exception {
        Condition c = ConditionParser.bind(ConditionParser.parse(condition), IDS);
        return c.eval(n -> truth.getOrDefault(n, false));
    }

    @Test
    void andBindsTighterThanOr() throws Exception {
        // a or (b and c): true when only a is true
        assertThat(eval("a or b and c", Map.of("a", true))).isTrue();
        // (a or b) and c would be false here
        assertThat(eval("a or b and c", Map.of("a", true, "c", false))).isTrue();
        assertThat(eval("b and c or a", Map.of("b", true))).isFalse();
    }

    @Test
    void notBindsTighterThanAnd() throws Exception {
        // (not a) and b
        assertThat(eval("not a and b", Map.of("b", true))).isTrue();
        assertThat(eval("not a and b", Map.of("a", true, "b", true))).isFalse();
        assertThat(eval("not not a", Map.of("a", true))).isTrue();
    }

    @Test
    void parenthesesOverridePrecedence() throws Exception {
        assertThat(eval("(a or b) and c", Map.of("a", true))).isFalse();
        assertThat(eval("(a or b) and c", Map.of("a", true, "c", true))).isTrue();
        assertThat(eval("not (a or b)", Map.of("b", true))).isFalse();
        assertThat(eval("((a))", Map.of("a", true))).isTrue();
    }

    @Test
    void oneOfAndAllOfPatterns() throws Exception {
        assertThat(eval("1 of sel_*", Map.of("sel_2", true))).isTrue();
        assertThat(eval("all of sel_*", Map.of("sel_2", true))).isFalse();
        assertThat(eval("all of sel_*", Map.of("sel_1", true, "sel_2", true))).isTrue();
        assertThat(eval("1 of sel_* and not 1 of filter_*", Map.of("sel_1", true, "filter_x", true))).isFalse();
        assertThat(eval("any of sel*", Map.of("sel_1", true))).isTrue();
    }

    @Test
    void themExcludesUnderscoreIdentifiers() throws Exception {
        assertThat(eval("1 of them", Map.of("_helper", true))).isFalse();
        assertThat(eval("1 of them", Map.of("c", true))).isTrue();
        assertThat(eval("all of them", Map.of("a", true, "b", true, "c", true, "sel_1", true, "sel_2", true, "filter_x", true)))
                .isTrue();
        assertThat(eval("all of them", Map.of("a", true))).isFalse();
    }

    @Test
    void keywordsAreCaseInsensitive() throws Exception {
        assertThat(eval("a AND NOT b", Map.of("a", true))).isTrue();
    }

    @Test
    void reportsUndefinedIdentifiers() {
        assertThatThrownBy(() -> eval("a and missing", Map.of()))
                .hasMessageContaining("'missing'").hasMessageContaining("not defined");
    }

    @Test
    void reportsPatternsThatMatchNothing() {
        assertThatThrownBy(() -> eval("1 of nothing_*", Map.of())).hasMessageContaining("matches no search identifier");
    }

    @Test
    void reportsSyntaxErrors() {
        assertThatThrownBy(() -> ConditionParser.parse("(a and b")).hasMessageContaining("missing ')'");
        assertThatThrownBy(() -> ConditionParser.parse("a b")).hasMessageContaining("unexpected 'b'");
        assertThatThrownBy(() -> ConditionParser.parse("a and")).hasMessageContaining("ends where");
        assertThatThrownBy(() -> ConditionParser.parse("2 of sel*")).hasMessageContaining("'2 of' is not supported");
        assertThatThrownBy(() -> ConditionParser.parse("a | count() > 5")).hasMessageContaining("correlation rule");
        assertThatThrownBy(() -> ConditionParser.parse("a and )")).hasMessageContaining("unexpected ')'");
    }

    @Test
    void nestingIsBoundedSoThatNoConditionOverflowsTheStack() throws Exception {
        int limit = ConditionParser.MAX_NESTING;
        assertThat(eval("(".repeat(limit) + "a" + ")".repeat(limit), Map.of("a", true))).isTrue();
        assertThat(eval("not ".repeat(limit) + "a", Map.of("a", true))).isTrue();
        assertThatThrownBy(() -> ConditionParser.parse("(".repeat(limit + 1) + "a" + ")".repeat(limit + 1)))
                .hasMessageContaining("more than " + limit + " levels deep");
        assertThatThrownBy(() -> ConditionParser.parse("not (".repeat(50_000) + "a" + ")".repeat(50_000)))
                .hasMessageContaining("levels deep");
    }
}
