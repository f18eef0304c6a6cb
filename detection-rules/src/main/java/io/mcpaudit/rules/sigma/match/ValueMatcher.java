package io.mcpaudit.rules.sigma.match;

import io.mcpaudit.rules.event.RuleEvent;

/** Tests one field value against one compiled rule value. */
public interface ValueMatcher {
    /** Where in the value's text the match starts (0 for whole-value tests), or -1 for no match. */
    int find(Object value, RuleEvent event);

    /** The rule value, for explanations. */
    String describe();
}
