package io.mcpaudit.rules.sigma.match;

import io.mcpaudit.rules.content.LiteralSet;
import io.mcpaudit.rules.event.RuleEvent;
import io.mcpaudit.rules.event.ValueText;
import java.util.List;

/**
 * Many OR-linked {@code contains} values of one field run as one Aho-Corasick pass instead of
 * one substring search per value. Only worth it for large sets: below
 * {@link #MIN_LITERALS} values, substring searches on the (cached) lower-cased text are faster.
 */
public final class LiteralSetMatcher implements ValueMatcher {
    /** From this many values on, one automaton pass beats repeated substring searches (measured). */
    public static final int MIN_LITERALS = 24;

    private final LiteralSet set;
    private final boolean cased;

    public LiteralSetMatcher(List<String> literals, boolean cased) {
        this.set = LiteralSet.of(literals, !cased);
        this.cased = cased;
    }

    @Override
    public int find(Object value, RuleEvent event) {
        if (value == null) {
            return -1;
        }
        LiteralSet.Hit hit = set.find(ValueText.of(value));
        return hit == null ? -1 : hit.start();
    }

    @Override
    public String describe() {
        return (cased ? "" : "(any case) ") + "one of " + set.literals().size() + " literals";
    }
}
