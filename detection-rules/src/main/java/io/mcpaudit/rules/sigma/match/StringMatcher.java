package io.mcpaudit.rules.sigma.match;

import com.google.re2j.Pattern;
import io.mcpaudit.rules.event.RuleEvent;
import io.mcpaudit.rules.event.ValueText;
import io.mcpaudit.rules.sigma.SigmaString;
import java.util.Locale;

/**
 * A Sigma string value: equality, prefix, suffix or substring on a literal, or a full-value
 * wildcard match. Wildcards compile to RE2/J, never to a backtracking matcher, so a value such
 * as {@code *a*a*a*b} cannot make matching super-linear.
 */
public final class StringMatcher implements ValueMatcher {
    private enum Mode { EXACT, PREFIX, SUFFIX, CONTAINS, GLOB }

    private final Mode mode;
    private final String literal;
    private final Pattern glob;
    private final boolean cased;
    private final String description;

    private StringMatcher(Mode mode, String literal, Pattern glob, boolean cased, String description) {
        this.mode = mode;
        this.literal = literal;
        this.glob = glob;
        this.cased = cased;
        this.description = description;
    }

    /**
     * @param value the value after modifiers (contains/startswith/endswith add wildcards)
     * @param cased match case-sensitively ({@code cased}, or encoded values)
     * @param description the value as the rule wrote it, for explanations
     */
    public static StringMatcher of(SigmaString value, boolean cased, String description) {
        if (value.isLiteralCore()) {
            String lit = value.literalText();
            String folded = cased ? lit : lit.toLowerCase(Locale.ROOT);
            boolean lead = value.startsWithAny();
            boolean trail = value.endsWithAny();
            Mode mode = lead && trail ? Mode.CONTAINS : lead ? Mode.SUFFIX : trail ? Mode.PREFIX : Mode.EXACT;
            return new StringMatcher(mode, folded, null, cased, description);
        }
        int flags = Pattern.DOTALL | (cased ? 0 : Pattern.CASE_INSENSITIVE);
        return new StringMatcher(Mode.GLOB, null, Pattern.compile(value.toRegex(), flags), cased, description);
    }

    /** Whether this is a plain substring test, which a literal set can run for many values at once. */
    public boolean isContainsLiteral() {
        return mode == Mode.CONTAINS && !literal.isEmpty();
    }

    public String literal() {
        return literal;
    }

    public boolean cased() {
        return cased;
    }

    @Override
    public int find(Object value, RuleEvent event) {
        if (value == null) {
            return -1;
        }
        String text = ValueText.of(value);
        if (mode == Mode.GLOB) {
            return glob.matches(text) ? 0 : -1;
        }
        String t = cased ? text : event.lowerCase(text);
        switch (mode) {
            case EXACT:
                return t.equals(literal) ? 0 : -1;
            case PREFIX:
                return t.startsWith(literal) ? 0 : -1;
            case SUFFIX:
                return t.endsWith(literal) ? t.length() - literal.length() : -1;
            default:
                return t.indexOf(literal);
        }
    }

    @Override
    public String describe() {
        return description;
    }
}
