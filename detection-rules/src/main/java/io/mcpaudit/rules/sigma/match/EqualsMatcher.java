package io.mcpaudit.rules.sigma.match;

import io.mcpaudit.rules.event.RuleEvent;
import io.mcpaudit.rules.event.ValueText;
import java.math.BigDecimal;

/**
 * A number or boolean rule value: equal to the same number or boolean in the event, or to its
 * text ({@code 4624} matches both {@code 4624} and {@code "4624"}).
 */
public final class EqualsMatcher implements ValueMatcher {
    private final Object expected;
    private final String text;

    public EqualsMatcher(Object expected) {
        this.expected = expected;
        this.text = ValueText.of(expected);
    }

    @Override
    public int find(Object value, RuleEvent event) {
        if (value == null) {
            return -1;
        }
        if (expected instanceof Number n && value instanceof Number v) {
            return NumericMatcher.decimal(n).compareTo(NumericMatcher.decimal(v)) == 0 ? 0 : -1;
        }
        if (expected instanceof Number n && value instanceof String s) {
            BigDecimal d = NumericMatcher.parse(s);
            return d != null && d.compareTo(NumericMatcher.decimal(n)) == 0 ? 0 : -1;
        }
        return ValueText.of(value).equalsIgnoreCase(text) ? 0 : -1;
    }

    @Override
    public String describe() {
        return text;
    }
}
