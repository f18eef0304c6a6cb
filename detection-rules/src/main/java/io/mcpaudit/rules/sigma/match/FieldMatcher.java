package io.mcpaudit.rules.sigma.match;

import io.mcpaudit.rules.event.FieldPath;
import io.mcpaudit.rules.event.RuleEvent;
import io.mcpaudit.rules.event.ValueText;
import java.util.List;

/**
 * One compiled {@code field|modifiers: values} entry: resolves the field once and tests its
 * values. A field holding a list matches when any element matches.
 */
public final class FieldMatcher {
    private enum Kind { VALUES, NOT_EQUAL, EXISTS, NULL, KEYWORDS }

    private final Kind kind;
    private final FieldPath path;
    private final List<ValueMatcher> matchers;
    private final boolean all;
    private final boolean existsExpected;

    private FieldMatcher(Kind kind, FieldPath path, List<ValueMatcher> matchers, boolean all, boolean existsExpected) {
        this.kind = kind;
        this.path = path;
        this.matchers = List.copyOf(matchers);
        this.all = all;
        this.existsExpected = existsExpected;
    }

    /** Values linked by OR, or by AND with the {@code all} modifier. */
    public static FieldMatcher values(FieldPath path, List<ValueMatcher> matchers, boolean all) {
        return new FieldMatcher(Kind.VALUES, path, matchers, all, false);
    }

    /** {@code neq}: the field is present and equal to none of the values. */
    public static FieldMatcher notEqual(FieldPath path, List<ValueMatcher> matchers) {
        return new FieldMatcher(Kind.NOT_EQUAL, path, matchers, false, false);
    }

    public static FieldMatcher exists(FieldPath path, boolean expected) {
        return new FieldMatcher(Kind.EXISTS, path, List.of(), false, expected);
    }

    /** {@code field: null}: the field is absent or null. */
    public static FieldMatcher isNull(FieldPath path) {
        return new FieldMatcher(Kind.NULL, path, List.of(), false, false);
    }

    /** Keywords: any string anywhere in the event. */
    public static FieldMatcher keywords(List<ValueMatcher> matchers, boolean all) {
        return new FieldMatcher(Kind.KEYWORDS, null, matchers, all, false);
    }

    public String field() {
        return path == null ? "" : path.name();
    }

    public boolean matches(RuleEvent event) {
        return match(event, null) != null;
    }

    /** A hit explaining the match, or null when the entry does not match. */
    public Hit explain(RuleEvent event, String identifier) {
        return match(event, identifier == null ? "" : identifier);
    }

    private Hit match(RuleEvent event, String identifier) {
        switch (kind) {
            case EXISTS: {
                boolean present = event.resolve(path).present();
                return present == existsExpected ? hit(identifier, "exists: " + existsExpected, String.valueOf(present)) : null;
            }
            case NULL: {
                RuleEvent.Resolved r = event.resolve(path);
                boolean isNull = !r.present() || r.values().contains(null);
                return isNull ? hit(identifier, "null", r.present() ? "null" : "(absent)") : null;
            }
            case NOT_EQUAL: {
                RuleEvent.Resolved r = event.resolve(path);
                if (!r.present()) {
                    return null;
                }
                for (ValueMatcher m : matchers) {
                    if (firstHit(m, r.values(), event, identifier) != null) {
                        return null;
                    }
                }
                return hit(identifier, "neq", ValueText.of(r.values().isEmpty() ? null : r.values().get(0)));
            }
            default: {
                List<? extends Object> values = kind == Kind.KEYWORDS ? event.allStrings() : event.resolve(path).values();
                if (values.isEmpty()) {
                    return null;
                }
                Hit first = null;
                for (ValueMatcher m : matchers) {
                    Hit h = firstHit(m, values, event, identifier);
                    if (h != null && !all) {
                        return h;
                    }
                    if (h == null && all) {
                        return null;
                    }
                    first = first == null ? h : first;
                }
                return all ? first : null;
            }
        }
    }

    private Hit firstHit(ValueMatcher m, List<? extends Object> values, RuleEvent event, String identifier) {
        for (Object v : values) {
            int at = m.find(v, event);
            if (at >= 0) {
                return identifier == null ? Hit.NONE : new Hit(identifier, field(), m.describe(), Hit.excerpt(ValueText.of(v), at));
            }
        }
        return null;
    }

    private Hit hit(String identifier, String ruleValue, String excerpt) {
        return identifier == null ? Hit.NONE : new Hit(identifier, field(), ruleValue, excerpt);
    }
}
