package io.mcpaudit.rules.correlation;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A correlation's {@code condition}: bounds on a count (events, distinct values or distinct
 * rules), linked by AND, and for {@code value_count} the field(s) whose values are counted.
 */
public record CountCondition(OptionalLong gt, OptionalLong gte, OptionalLong lt, OptionalLong lte, OptionalLong eq,
                             Optional<List<String>> field) {

    public boolean test(long count) {
        return (gt.isEmpty() || count > gt.getAsLong())
                && (gte.isEmpty() || count >= gte.getAsLong())
                && (lt.isEmpty() || count < lt.getAsLong())
                && (lte.isEmpty() || count <= lte.getAsLong())
                && (eq.isEmpty() || count == eq.getAsLong());
    }

    /**
     * Whether the condition only sets a lower bound: then it can fire as soon as it holds, since
     * more events can never make it false. Upper bounds are only known when a window closes.
     */
    public boolean isLowerBoundOnly() {
        return lt.isEmpty() && lte.isEmpty() && eq.isEmpty();
    }

    public static CountCondition atLeast(long n) {
        return new CountCondition(OptionalLong.empty(), OptionalLong.of(n), OptionalLong.empty(),
                OptionalLong.empty(), OptionalLong.empty(), Optional.empty());
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        gt.ifPresent(v -> b.append("> ").append(v).append(' '));
        gte.ifPresent(v -> b.append(">= ").append(v).append(' '));
        lt.ifPresent(v -> b.append("< ").append(v).append(' '));
        lte.ifPresent(v -> b.append("<= ").append(v).append(' '));
        eq.ifPresent(v -> b.append("= ").append(v).append(' '));
        return b.toString().strip();
    }
}
