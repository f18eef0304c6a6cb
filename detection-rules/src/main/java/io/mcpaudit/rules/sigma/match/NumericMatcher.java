package io.mcpaudit.rules.sigma.match;

import io.mcpaudit.rules.event.RuleEvent;
import io.mcpaudit.rules.sigma.Modifier;
import java.math.BigDecimal;

/** The {@code lt}/{@code lte}/{@code gt}/{@code gte} modifiers on numbers or numeric text. */
public final class NumericMatcher implements ValueMatcher {
    private final Modifier op;
    private final BigDecimal bound;

    public NumericMatcher(Modifier op, BigDecimal bound) {
        this.op = op;
        this.bound = bound;
    }

    @Override
    public int find(Object value, RuleEvent event) {
        BigDecimal v = value instanceof Number n ? decimal(n) : value instanceof String s ? parse(s) : null;
        if (v == null) {
            return -1;
        }
        int c = v.compareTo(bound);
        boolean ok = switch (op) {
            case LT -> c < 0;
            case LTE -> c <= 0;
            case GT -> c > 0;
            default -> c >= 0;
        };
        return ok ? 0 : -1;
    }

    @Override
    public String describe() {
        // As written (toString), not expanded: a bound of '1e999999999' written out would be a gigabyte.
        return op.token() + " " + bound.toString();
    }

    static BigDecimal decimal(Number n) {
        if (n instanceof BigDecimal d) {
            return d;
        }
        if (n instanceof Double || n instanceof Float) {
            return BigDecimal.valueOf(n.doubleValue());
        }
        return new BigDecimal(n.toString());
    }

    /** The number a text holds, or null. */
    public static BigDecimal parse(String s) {
        String t = s.strip();
        if (t.isEmpty() || t.length() > 64) {
            return null;
        }
        try {
            return new BigDecimal(t);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
