package io.mcpaudit.rules;

/**
 * Something wrong with a rule file: where it is and what to change. A problem disables only the
 * rule (YAML document) it is in, never the rest of the rule set.
 *
 * @param file the rule file, as given to the loader (relative to the rule directory)
 * @param line 1-based line, or 0 when the problem concerns the whole file
 */
public record RuleProblem(String file, int line, String message) {
    @Override
    public String toString() {
        return line > 0 ? file + ":" + line + ": " + message : file + ": " + message;
    }
}
