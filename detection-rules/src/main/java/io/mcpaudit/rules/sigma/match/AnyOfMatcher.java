package io.mcpaudit.rules.sigma.match;

import io.mcpaudit.rules.event.RuleEvent;
import java.util.List;

/** One rule value that expanded into several forms (windash, base64offset): any form matches. */
public final class AnyOfMatcher implements ValueMatcher {
    private final List<ValueMatcher> forms;
    private final String description;

    public AnyOfMatcher(List<ValueMatcher> forms, String description) {
        this.forms = List.copyOf(forms);
        this.description = description;
    }

    @Override
    public int find(Object value, RuleEvent event) {
        for (ValueMatcher m : forms) {
            int at = m.find(value, event);
            if (at >= 0) {
                return at;
            }
        }
        return -1;
    }

    @Override
    public String describe() {
        return description;
    }
}
