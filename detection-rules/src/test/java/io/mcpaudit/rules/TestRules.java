package io.mcpaudit.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcpaudit.rules.sigma.CompiledRule;
import java.util.LinkedHashMap;
import java.util.Map;

/** Builds small rule sets from YAML snippets for tests. */
public final class TestRules {
    public static final String ID = "11111111-1111-4111-8111-111111111111";

    private TestRules() {
    }

    /** A complete rule around a {@code detection} block (indented by two spaces). */
    public static String rule(String detection) {
        return "title: test rule\n"
                + "id: " + ID + "\n"
                + "level: high\n"
                + "mcpaudit:\n  category: prompt-injection\n"
                + "detection:\n" + detection;
    }

    /** Loads one rule and fails the test if it has problems. */
    public static CompiledRule compile(String detection) {
        LoadResult r = new RuleLoader().loadText("test.yml", rule(detection));
        assertThat(r.problems()).as("problems").isEmpty();
        return r.ruleSet().rule(ID).orElseThrow();
    }

    public static LoadResult load(String yaml) {
        return new RuleLoader().loadText("test.yml", yaml);
    }

    /** An event from alternating keys and values. */
    public static Map<String, Object> event(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }
}
