package io.mcpaudit.rules.sigma.match;

import io.mcpaudit.rules.event.FieldPath;
import io.mcpaudit.rules.event.RuleEvent;
import io.mcpaudit.rules.event.ValueText;
import io.mcpaudit.rules.sigma.Modifier;
import java.util.Locale;

/**
 * The {@code fieldref} modifier: the field equals (or, with a position modifier, contains,
 * starts or ends with) any value of another field of the same event.
 */
public final class FieldRefMatcher implements ValueMatcher {
    private final FieldPath other;
    private final Modifier position;
    private final boolean cased;

    /** @param position CONTAINS, STARTSWITH, ENDSWITH, or null for equality */
    public FieldRefMatcher(FieldPath other, Modifier position, boolean cased) {
        this.other = other;
        this.position = position;
        this.cased = cased;
    }

    @Override
    public int find(Object value, RuleEvent event) {
        if (value == null) {
            return -1;
        }
        String v = fold(ValueText.of(value));
        for (Object o : event.carried(other).values()) {
            if (o == null) {
                continue;
            }
            String ref = fold(ValueText.of(o));
            int at;
            if (position == Modifier.CONTAINS) {
                at = v.indexOf(ref);
            } else if (position == Modifier.STARTSWITH) {
                at = v.startsWith(ref) ? 0 : -1;
            } else if (position == Modifier.ENDSWITH) {
                at = v.endsWith(ref) ? v.length() - ref.length() : -1;
            } else {
                at = v.equals(ref) ? 0 : -1;
            }
            if (at >= 0) {
                return at;
            }
        }
        return -1;
    }

    private String fold(String s) {
        return cased ? s : s.toLowerCase(Locale.ROOT);
    }

    @Override
    public String describe() {
        return "field " + other.name();
    }
}
