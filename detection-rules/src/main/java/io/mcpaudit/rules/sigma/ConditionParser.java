package io.mcpaudit.rules.sigma;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Parses Sigma conditions by recursive descent. Precedence, loosest first: {@code or},
 * {@code and}, {@code not}, {@code x of}, parentheses.
 */
public final class ConditionParser {
    /**
     * Parentheses and {@code not} nest at most this deep: far beyond any real rule, and shallow enough
     * that parsing, binding and evaluating the condition (all recursive) stay clear of the stack's limit.
     */
    static final int MAX_NESTING = 100;

    private final List<String> tokens;
    private final String text;
    private int pos;
    private int depth;

    private ConditionParser(String text) {
        this.text = text;
        this.tokens = tokenize(text);
    }

    /** Parses one condition string. */
    public static Condition parse(String text) throws ConditionException {
        if (text.contains("|")) {
            throw new ConditionException("condition '" + text + "' uses the Sigma 1 aggregation syntax ('|');"
                    + " write a correlation rule (correlation: type: event_count …) instead");
        }
        ConditionParser p = new ConditionParser(text);
        if (p.tokens.isEmpty()) {
            throw new ConditionException("condition is empty");
        }
        Condition c = p.or();
        if (p.pos < p.tokens.size()) {
            throw new ConditionException("condition '" + text + "': unexpected '" + p.tokens.get(p.pos)
                    + "' after a complete expression (missing 'and'/'or'?)");
        }
        return c;
    }

    /**
     * Resolves identifier references against the identifiers the rule defines: every plain
     * reference must exist, and every {@code x of pattern} must name at least one identifier.
     */
    public static Condition bind(Condition c, Set<String> identifiers) throws ConditionException {
        if (c instanceof Condition.Ref r) {
            if (!identifiers.contains(r.name())) {
                throw new ConditionException("condition refers to '" + r.name() + "', which is not defined in detection"
                        + " (defined: " + String.join(", ", identifiers.stream().sorted().toList()) + ")");
            }
            return r;
        }
        if (c instanceof Condition.Not n) {
            return new Condition.Not(bind(n.term(), identifiers));
        }
        if (c instanceof Condition.And a) {
            List<Condition> terms = new ArrayList<>();
            for (Condition t : a.terms()) {
                terms.add(bind(t, identifiers));
            }
            return new Condition.And(terms);
        }
        if (c instanceof Condition.Or o) {
            List<Condition> terms = new ArrayList<>();
            for (Condition t : o.terms()) {
                terms.add(bind(t, identifiers));
            }
            return new Condition.Or(terms);
        }
        Condition.Of of = (Condition.Of) c;
        List<String> names = new ArrayList<>();
        Pattern glob = of.pattern() == null ? null : globPattern(of.pattern());
        for (String id : identifiers.stream().sorted().toList()) {
            boolean matches = glob == null ? !id.startsWith("_") : glob.matcher(id).matches();
            if (matches) {
                names.add(id);
            }
        }
        if (names.isEmpty()) {
            throw new ConditionException("'" + (of.all() ? "all" : "1") + " of " + (of.pattern() == null ? "them" : of.pattern())
                    + "' matches no search identifier in detection");
        }
        return new Condition.Of(of.all(), of.pattern(), names);
    }

    private static Pattern globPattern(String glob) {
        List<String> quoted = new ArrayList<>();
        for (String part : glob.split("\\*", -1)) {
            quoted.add(part.isEmpty() ? "" : Pattern.quote(part));
        }
        return Pattern.compile(String.join(".*", quoted));
    }

    private static List<String> tokenize(String s) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c) || c == '(' || c == ')') {
                if (cur.length() > 0) {
                    out.add(cur.toString());
                    cur.setLength(0);
                }
                if (c == '(' || c == ')') {
                    out.add(String.valueOf(c));
                }
            } else {
                cur.append(c);
            }
        }
        if (cur.length() > 0) {
            out.add(cur.toString());
        }
        return out;
    }

    private String peek() {
        return pos < tokens.size() ? tokens.get(pos) : null;
    }

    private boolean isKeyword(String token, String keyword) {
        return token != null && token.toLowerCase(Locale.ROOT).equals(keyword);
    }

    private Condition or() throws ConditionException {
        List<Condition> terms = new ArrayList<>();
        terms.add(and());
        while (isKeyword(peek(), "or")) {
            pos++;
            terms.add(and());
        }
        return terms.size() == 1 ? terms.get(0) : new Condition.Or(terms);
    }

    private Condition and() throws ConditionException {
        List<Condition> terms = new ArrayList<>();
        terms.add(not());
        while (isKeyword(peek(), "and")) {
            pos++;
            terms.add(not());
        }
        return terms.size() == 1 ? terms.get(0) : new Condition.And(terms);
    }

    private Condition not() throws ConditionException {
        if (isKeyword(peek(), "not")) {
            pos++;
            enter();
            Condition negated = new Condition.Not(not());
            depth--;
            return negated;
        }
        return primary();
    }

    private void enter() throws ConditionException {
        if (++depth > MAX_NESTING) {
            throw new ConditionException("condition nests parentheses and 'not' more than " + MAX_NESTING
                    + " levels deep; split it into more search identifiers");
        }
    }

    private Condition primary() throws ConditionException {
        String t = peek();
        if (t == null) {
            throw new ConditionException("condition '" + text + "' ends where an identifier or '(' was expected");
        }
        if (t.equals("(")) {
            pos++;
            enter();
            Condition inner = or();
            if (!")".equals(peek())) {
                throw new ConditionException("condition '" + text + "': missing ')'");
            }
            pos++;
            depth--;
            return inner;
        }
        if (t.equals(")")) {
            throw new ConditionException("condition '" + text + "': unexpected ')'");
        }
        String lower = t.toLowerCase(Locale.ROOT);
        if (pos + 1 < tokens.size() && isKeyword(tokens.get(pos + 1), "of")) {
            boolean all;
            if (lower.equals("all")) {
                all = true;
            } else if (lower.equals("1") || lower.equals("any")) {
                all = false;
            } else {
                throw new ConditionException("condition '" + text + "': '" + t + " of' is not supported; use '1 of' or 'all of'");
            }
            pos += 2;
            String target = peek();
            if (target == null || target.equals("(") || target.equals(")") || isOperator(target)) {
                throw new ConditionException("condition '" + text + "': '" + t + " of' must be followed by 'them' or an identifier pattern");
            }
            pos++;
            return new Condition.Of(all, isKeyword(target, "them") ? null : target, List.of());
        }
        if (isOperator(t) || lower.equals("of") || lower.equals("them")) {
            throw new ConditionException("condition '" + text + "': unexpected '" + t + "' where an identifier was expected");
        }
        pos++;
        return new Condition.Ref(t);
    }

    private boolean isOperator(String t) {
        return isKeyword(t, "and") || isKeyword(t, "or") || isKeyword(t, "not");
    }

    /** A condition that cannot be parsed or refers to identifiers that do not exist. */
    public static final class ConditionException extends Exception {
        public ConditionException(String message) {
            super(message);
        }
    }
}
