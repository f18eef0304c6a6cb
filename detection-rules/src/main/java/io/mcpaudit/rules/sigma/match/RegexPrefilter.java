package io.mcpaudit.rules.sigma.match;

import io.mcpaudit.rules.content.LiteralSet;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The literal substrings a regular expression cannot match without, as an AND/OR formula
 * (after Russ Cox, "Regular Expression Matching with a Trigram Index"). Checking them with
 * substring searches first lets the rare texts that could match reach the regex engine, and
 * rejects the rest at memory speed: RE2/J's NFA is linear but slow on patterns with bounded
 * repeats such as {@code .{0,80}}.
 *
 * <p>The analysis is conservative: whatever it does not understand requires nothing. Literals
 * are ASCII and compared case-folded, so the filter holds for case-sensitive and
 * case-insensitive patterns alike.
 */
public final class RegexPrefilter {
    private static final int MAX_EXACT = 64;
    private static final int MAX_EXACT_LENGTH = 32;
    /** Shorter literals filter almost nothing and only cost a search. */
    private static final int MIN_LITERAL = 3;

    /** A condition on the case-folded text. */
    public sealed interface Requirement {
        boolean test(String folded);
    }

    /** No requirement: the text must go to the regex. */
    public record All() implements Requirement {
        @Override
        public boolean test(String folded) {
            return true;
        }
    }

    public record Literal(String text) implements Requirement {
        @Override
        public boolean test(String folded) {
            return folded.contains(text);
        }
    }

    public record And(List<Requirement> terms) implements Requirement {
        @Override
        public boolean test(String folded) {
            for (Requirement r : terms) {
                if (!r.test(folded)) {
                    return false;
                }
            }
            return true;
        }
    }

    /**
     * Any of several literals. Up to {@link #AUTOMATON_FROM} of them, one substring search each
     * is faster than an automaton pass (measured, see docs/rules.md); above, one pass wins.
     */
    public record AnyLiteral(List<String> literals, LiteralSet set) implements Requirement {
        static final int AUTOMATON_FROM = 24;

        static AnyLiteral of(List<String> literals) {
            return new AnyLiteral(List.copyOf(literals), literals.size() >= AUTOMATON_FROM ? LiteralSet.of(literals, false) : null);
        }

        @Override
        public boolean test(String folded) {
            if (set != null) {
                return set.containsAny(folded);
            }
            for (String l : literals) {
                if (folded.contains(l)) {
                    return true;
                }
            }
            return false;
        }
    }

    public record Or(List<Requirement> terms) implements Requirement {
        @Override
        public boolean test(String folded) {
            for (Requirement r : terms) {
                if (r.test(folded)) {
                    return true;
                }
            }
            return false;
        }
    }

    private static final Requirement ALL = new All();

    /** What a sub-pattern matches: exactly one of a few strings, or only texts meeting a requirement. */
    private record Info(Set<String> exact, Requirement req) {
        static Info any() {
            return new Info(null, ALL);
        }

        static Info exactly(Set<String> strings) {
            return new Info(strings, null);
        }

        Requirement requirement() {
            return exact != null ? fromExact(exact) : req;
        }
    }

    private final String re;
    private int pos;

    private RegexPrefilter(String re) {
        this.re = re;
    }

    /** The requirement of {@code regex}; {@link All} when nothing useful can be derived. */
    public static Requirement of(String regex) {
        try {
            RegexPrefilter p = new RegexPrefilter(regex);
            Info info = p.alternation();
            if (p.pos != regex.length()) {
                return ALL;
            }
            return simplify(info.requirement());
        } catch (RuntimeException e) {
            // A pattern the analysis does not follow simply gets no prefilter.
            return ALL;
        }
    }

    /** Folds text the way the literals were folded (lower case, plus the two non-ASCII letters that fold to ASCII). */
    public static String fold(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        return lower.indexOf('\u017f') >= 0 ? lower.replace('\u017f', 's') : lower;
    }

    private Info alternation() {
        List<Info> branches = new ArrayList<>();
        branches.add(concatenation());
        while (pos < re.length() && re.charAt(pos) == '|') {
            pos++;
            branches.add(concatenation());
        }
        if (branches.size() == 1) {
            return branches.get(0);
        }
        Set<String> union = new LinkedHashSet<>();
        for (Info b : branches) {
            if (b.exact() == null || union.size() + b.exact().size() > MAX_EXACT) {
                union = null;
                break;
            }
            union.addAll(b.exact());
        }
        if (union != null) {
            return Info.exactly(union);
        }
        List<Requirement> terms = new ArrayList<>();
        for (Info b : branches) {
            Requirement r = b.requirement();
            if (r instanceof All) {
                return Info.any();
            }
            terms.add(r);
        }
        return new Info(null, new Or(terms));
    }

    /**
     * A concatenation: runs of exact pieces are multiplied out into literals ("y","o","u" give
     * "you"); each inexact piece ends the current run and adds its own requirement.
     */
    private Info concatenation() {
        List<Requirement> reqs = new ArrayList<>();
        Info run = Info.exactly(Set.of(""));
        while (pos < re.length() && re.charAt(pos) != '|' && re.charAt(pos) != ')') {
            Info item = repeated(atom());
            if (item.exact() != null) {
                Info joined = concat(run, item);
                if (joined.exact() != null) {
                    run = joined;
                    continue;
                }
                reqs.add(run.requirement());
                run = item;
            } else {
                reqs.add(run.requirement());
                reqs.add(item.requirement());
                run = Info.exactly(Set.of(""));
            }
        }
        if (reqs.isEmpty()) {
            return run;
        }
        reqs.add(run.requirement());
        List<Requirement> terms = new ArrayList<>();
        for (Requirement r : reqs) {
            if (r instanceof And and) {
                terms.addAll(and.terms());
            } else if (!(r instanceof All)) {
                terms.add(r);
            }
        }
        return new Info(null, terms.isEmpty() ? ALL : terms.size() == 1 ? terms.get(0) : new And(terms));
    }

    private static Info concat(Info a, Info b) {
        if (a.exact() != null && b.exact() != null && a.exact().size() * b.exact().size() <= MAX_EXACT) {
            Set<String> out = new LinkedHashSet<>();
            boolean tooLong = false;
            for (String x : a.exact()) {
                for (String y : b.exact()) {
                    out.add(x + y);
                    tooLong |= x.length() + y.length() > MAX_EXACT_LENGTH;
                }
            }
            if (!tooLong) {
                return Info.exactly(out);
            }
        }
        List<Requirement> terms = new ArrayList<>();
        for (Requirement r : List.of(a.requirement(), b.requirement())) {
            if (r instanceof And and) {
                terms.addAll(and.terms());
            } else if (!(r instanceof All)) {
                terms.add(r);
            }
        }
        return new Info(null, terms.isEmpty() ? ALL : terms.size() == 1 ? terms.get(0) : new And(terms));
    }

    private Info repeated(Info atom) {
        Info result = atom;
        while (pos < re.length()) {
            char c = re.charAt(pos);
            int min;
            if (c == '*') {
                min = 0;
                pos++;
            } else if (c == '+') {
                min = 1;
                pos++;
            } else if (c == '?') {
                min = -1;
                pos++;
            } else if (c == '{' && repeatEnd(pos) > 0) {
                int end = repeatEnd(pos);
                String body = re.substring(pos + 1, end);
                min = Integer.parseInt(body.contains(",") ? body.substring(0, body.indexOf(',')) : body);
                pos = end + 1;
            } else {
                return result;
            }
            if (pos < re.length() && re.charAt(pos) == '?') {
                pos++;
            }
            if (min == -1) {
                if (result.exact() != null && result.exact().size() < MAX_EXACT) {
                    Set<String> opt = new LinkedHashSet<>(result.exact());
                    opt.add("");
                    result = Info.exactly(opt);
                } else {
                    result = Info.any();
                }
            } else if (min == 0) {
                result = Info.any();
            } else {
                result = new Info(null, result.requirement());
            }
        }
        return result;
    }

    /** Index of the '}' closing a valid {n}, {n,} or {n,m} at {@code open}, else -1 (a literal brace). */
    private int repeatEnd(int open) {
        int close = re.indexOf('}', open);
        if (close < 0) {
            return -1;
        }
        return re.substring(open + 1, close).matches("[0-9]{1,4}(,[0-9]{0,4})?") ? close : -1;
    }

    private Info atom() {
        char c = re.charAt(pos);
        switch (c) {
            case '(':
                return group();
            case '[':
                return charClass();
            case '.':
                pos++;
                return Info.any();
            case '^':
            case '$':
                pos++;
                return Info.exactly(Set.of(""));
            case '\\':
                return escape();
            default:
                pos++;
                return literal(c);
        }
    }

    private Info group() {
        pos++;
        if (re.startsWith("?", pos)) {
            int close = re.indexOf(')', pos);
            int colon = re.indexOf(':', pos);
            if (re.startsWith("?P<", pos) || re.startsWith("?<", pos)) {
                pos = re.indexOf('>', pos) + 1;
            } else if (colon >= 0 && (close < 0 || colon < close)) {
                pos = colon + 1;
            } else {
                // A flags-only group such as (?i) matches the empty string.
                pos = close + 1;
                return Info.exactly(Set.of(""));
            }
        }
        Info inner = alternation();
        if (pos >= re.length() || re.charAt(pos) != ')') {
            throw new IllegalArgumentException("unbalanced group");
        }
        pos++;
        return inner;
    }

    private Info charClass() {
        int start = pos;
        pos++;
        boolean negated = pos < re.length() && re.charAt(pos) == '^';
        Set<String> members = new LinkedHashSet<>();
        boolean simple = !negated;
        boolean first = true;
        while (pos < re.length() && (re.charAt(pos) != ']' || first)) {
            first = false;
            char c = re.charAt(pos);
            if (c == '\\' && pos + 1 < re.length()) {
                char e = re.charAt(pos + 1);
                pos += 2;
                if (isEscapedLiteral(e)) {
                    members.add(String.valueOf(Character.toLowerCase(e)));
                } else {
                    simple = false;
                    if (e == 'x' || e == 'p' || e == 'P') {
                        skipEscapeArgument();
                    }
                }
            } else if (c == '[' && re.startsWith("[:", pos)) {
                simple = false;
                pos = re.indexOf(":]", pos) + 2;
            } else if (pos + 2 < re.length() && re.charAt(pos + 1) == '-' && re.charAt(pos + 2) != ']') {
                simple = false;
                pos += 3;
            } else {
                if (c > 0x7e) {
                    simple = false;
                }
                members.add(String.valueOf(Character.toLowerCase(c)));
                pos++;
            }
        }
        if (pos >= re.length()) {
            pos = start;
            throw new IllegalArgumentException("unterminated class");
        }
        pos++;
        return simple && members.size() <= 8 && !members.isEmpty() ? Info.exactly(members) : Info.any();
    }

    private void skipEscapeArgument() {
        if (pos < re.length() && re.charAt(pos) == '{') {
            pos = re.indexOf('}', pos) + 1;
        } else if (re.charAt(pos - 1) == 'x') {
            pos = Math.min(re.length(), pos + 2);
        } else {
            pos = Math.min(re.length(), pos + 1);
        }
    }

    private Info escape() {
        if (pos + 1 >= re.length()) {
            throw new IllegalArgumentException("trailing backslash");
        }
        char e = re.charAt(pos + 1);
        pos += 2;
        if (e == 'Q') {
            int end = re.indexOf("\\E", pos);
            String quoted = end < 0 ? re.substring(pos) : re.substring(pos, end);
            pos = end < 0 ? re.length() : end + 2;
            Info acc = Info.exactly(Set.of(""));
            for (char q : quoted.toCharArray()) {
                acc = concat(acc, literal(q));
            }
            return acc;
        }
        if (isEscapedLiteral(e)) {
            return literal(e);
        }
        if (e == 'b' || e == 'B' || e == 'A' || e == 'z') {
            return Info.exactly(Set.of(""));
        }
        if (e == 'x' || e == 'p' || e == 'P') {
            skipEscapeArgument();
        }
        return Info.any();
    }

    private static boolean isEscapedLiteral(char e) {
        return !Character.isLetterOrDigit(e) && e < 0x7f;
    }

    private static Info literal(char c) {
        if (c > 0x7e || c < 0x20) {
            return Info.any();
        }
        return Info.exactly(Set.of(String.valueOf(Character.toLowerCase(c))));
    }

    private static Requirement fromExact(Set<String> exact) {
        List<String> lits = new ArrayList<>();
        for (String s : exact) {
            if (s.length() < MIN_LITERAL) {
                return ALL;
            }
            lits.add(s);
        }
        if (lits.size() == 1) {
            return new Literal(lits.get(0));
        }
        return AnyLiteral.of(lits);
    }

    private static Requirement simplify(Requirement r) {
        if (r instanceof And and) {
            List<Requirement> terms = new ArrayList<>();
            for (Requirement t : and.terms()) {
                Requirement s = simplify(t);
                if (!(s instanceof All)) {
                    terms.add(s);
                }
            }
            return terms.isEmpty() ? ALL : terms.size() == 1 ? terms.get(0) : new And(terms);
        }
        if (r instanceof Or or) {
            List<Requirement> terms = new ArrayList<>();
            for (Requirement t : or.terms()) {
                Requirement s = simplify(t);
                if (s instanceof All) {
                    return ALL;
                }
                terms.add(s);
            }
            return new Or(terms);
        }
        return r;
    }
}
