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
 * are ASCII or caseless letters (Han, kana, hangul) and compared case-folded, so the filter holds
 * for case-sensitive and case-insensitive patterns alike.
 */
public final class RegexPrefilter {
    private static final int MAX_EXACT = 64;
    private static final int MAX_EXACT_LENGTH = 32;
    /** Shorter literals filter almost nothing and only cost a search. */
    private static final int MIN_LITERAL = 3;
    /**
     * Chains take shorter words too ("to", "ai"): frequent alone, but a chain asks for them at a
     * given distance from the other anchors, which few of their occurrences are.
     */
    private static final int MIN_CHAIN_LITERAL = 2;

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

    /**
     * The longest a match can be, in UTF-16 units: {@code fixed} units, plus {@code runes} code
     * points (one unit each, two in a text with surrogate pairs), plus {@code spaces} times the
     * longest run of whitespace in the text (each unbounded repeat of whitespace, such as
     * {@code \\s+}, can take at most that run). {@code null} stands for unbounded.
     */
    public record Len(int fixed, int runes, int spaces) {
        static final Len ZERO = new Len(0, 0, 0);
        static final Len RUNE = new Len(0, 1, 0);
        /** Ignore lengths beyond this; such patterns are treated as unbounded. */
        private static final int CAP = 1 << 20;

        static Len plus(Len a, Len b) {
            return a == null || b == null || a.fixed + b.fixed + 2 * (a.runes + b.runes) > CAP ? null
                    : new Len(a.fixed + b.fixed, a.runes + b.runes, a.spaces + b.spaces);
        }

        static Len max(Len a, Len b) {
            return a == null || b == null ? null
                    : new Len(Math.max(a.fixed, b.fixed), Math.max(a.runes, b.runes), Math.max(a.spaces, b.spaces));
        }

        static Len times(Len a, int n) {
            return a == null || (long) (a.fixed + 2 * a.runes) * n > CAP ? null : new Len(a.fixed * n, a.runes * n, a.spaces * n);
        }

        /**
         * The bound for a text whose longest whitespace run is {@code whitespaceRun} units and
         * which holds surrogate pairs or not.
         */
        public int bound(int whitespaceRun, boolean surrogates) {
            return fixed + runes * (surrogates ? 2 : 1) + spaces * whitespaceRun;
        }
    }

    /**
     * Where matches can be in a text: every match contains an occurrence of one of
     * {@code anchors} (case-folded), starts at most {@code before} units before it and ends at
     * most {@code after} units after the occurrence's start. Lets a long text be searched only
     * around the (usually few) anchor occurrences instead of from end to end.
     */
    public record Window(List<String> anchors, Len before, Len after) {
        /** Whether the match's length after the anchor is bounded (else {@code after} is null). */
        public boolean bounded() {
            return after != null;
        }
    }

    /** What a sub-pattern matches: exactly one of a few strings, or only texts meeting a requirement. */
    private record Info(Set<String> exact, Requirement req, Len len, boolean spaceOnly) {
        static Info any(Len len) {
            return new Info(null, ALL, len, false);
        }

        static Info exactly(Set<String> strings) {
            int max = 0;
            for (String x : strings) {
                max = Math.max(max, x.length());
            }
            return new Info(strings, null, new Len(max, 0, 0), false);
        }

        Info withLen(Len l) {
            return new Info(exact, req, l, spaceOnly);
        }

        Requirement requirement() {
            return exact != null ? fromExact(exact) : req;
        }
    }

    private final String re;
    private int pos;
    private int depth;
    /** The items of each top-level branch, for {@link #window(String)}. */
    private final List<List<Info>> topBranches = new ArrayList<>();
    /** Where each top-level branch starts in the pattern text. */
    private final List<Integer> topStarts = new ArrayList<>();

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

    /**
     * The anchor window of {@code regex}, when every match has a bounded length around literals
     * it must contain; empty when it has none (unbounded repeats other than of whitespace, or no
     * literal of at least two characters in every branch).
     */
    public static java.util.Optional<Window> window(String regex) {
        List<Window> all = windows(regex);
        return all.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(all.get(0));
    }

    /**
     * Every anchor window of {@code regex}, most selective first (longest shortest literal,
     * then fewest literals). A pattern with several top-level branches has one candidate: the
     * union of each branch's best.
     */
    public static List<Window> windows(String regex) {
        try {
            RegexPrefilter p = new RegexPrefilter(regex);
            p.alternation();
            if (p.pos != regex.length() || p.topBranches.isEmpty()) {
                return List.of();
            }
            if (p.topBranches.size() == 1) {
                return branchWindows(p.topBranches.get(0));
            }
            Set<String> anchors = new LinkedHashSet<>();
            Len before = Len.ZERO;
            Len after = Len.ZERO;
            for (List<Info> branch : p.topBranches) {
                List<Window> w = branchWindows(branch);
                if (w.isEmpty()) {
                    return List.of();
                }
                anchors.addAll(w.get(0).anchors());
                before = Len.max(before, w.get(0).before());
                after = Len.max(after, w.get(0).after());
            }
            return List.of(new Window(List.copyOf(anchors), before, after));
        } catch (RuntimeException e) {
            return List.of();
        }
    }

    /**
     * The proximity chains of a pattern with one top-level branch: its items that must contain
     * one of some literals of at least {@value #MIN_CHAIN_LITERAL} characters, in order, with the most
     * units each two neighbours can span; an unbounded stretch between two such items (such as
     * {@code .*}) ends one chain and starts the next. Empty when the pattern has no two such
     * items within a bounded span, or several top-level branches, or is not understood.
     */
    public static List<ProximityChain> chains(String regex, LiteralIndex index) {
        try {
            RegexPrefilter p = new RegexPrefilter(regex);
            p.alternation();
            if (p.pos != regex.length() || p.topBranches.size() != 1) {
                return List.of();
            }
            List<Info> items = p.topBranches.get(0);
            List<ProximityChain> out = new ArrayList<>();
            List<ProximityChain.Anchor> anchors = new ArrayList<>();
            List<Len> gaps = new ArrayList<>();
            int previousFrom = -1;
            // Items of the current chain's first anchor, for its window.
            int firstFrom = -1;
            int firstTo = -1;
            boolean firstExact = false;
            int i = 0;
            while (i < items.size()) {
                // An anchor: a run of exact items multiplied out, or one inexact item whose
                // requirement names literals one of which every match of the item contains.
                int from = i;
                List<String> literals;
                boolean exact = items.get(i).exact() != null;
                if (exact) {
                    ExactRun run = exactRun(items, i);
                    literals = List.copyOf(run.info().exact());
                    i = run.end();
                } else {
                    literals = anchorLiterals(items.get(i).req());
                    i++;
                }
                if (literals.isEmpty() || literals.stream().anyMatch(x -> x.length() < MIN_CHAIN_LITERAL)) {
                    continue;
                }
                Len gap = previousFrom < 0 ? null : lenOf(items, previousFrom, i);
                if (gap == null || anchors.size() == 64) {
                    if (anchors.size() >= 2) {
                        out.add(chain(items, anchors, gaps, firstFrom, firstTo, firstExact, index));
                    }
                    anchors = new ArrayList<>();
                    gaps = new ArrayList<>();
                    firstFrom = from;
                    firstTo = i;
                    firstExact = exact;
                } else {
                    gaps.add(gap);
                }
                anchors.add(new ProximityChain.Anchor(literals));
                previousFrom = from;
            }
            if (anchors.size() >= 2) {
                out.add(chain(items, anchors, gaps, firstFrom, firstTo, firstExact, index));
            }
            return List.copyOf(out);
        } catch (RuntimeException e) {
            return List.of();
        }
    }

    /**
     * A chain with its window. Its first literal starts where its item starts when the item is
     * exact (a run of literals), else somewhere inside it: so at most the length of everything
     * before the item (or up to its end) after the match start. The match ends at most the length
     * of everything from the item's start after the literal's start.
     */
    private static ProximityChain chain(List<Info> items, List<ProximityChain.Anchor> anchors, List<Len> gaps,
            int firstFrom, int firstTo, boolean firstExact, LiteralIndex index) {
        return new ProximityChain(anchors, gaps, lenOf(items, 0, firstExact ? firstFrom : firstTo),
                lenOf(items, firstFrom, items.size()), index);
    }

    /** The most units items {@code from} to {@code to} (exclusive) can match; null if unbounded. */
    private static Len lenOf(List<Info> items, int from, int to) {
        Len len = Len.ZERO;
        for (int k = from; k < to && len != null; k++) {
            len = Len.plus(len, items.get(k).len());
        }
        return len;
    }

    /**
     * Literals one of which every text meeting {@code r} contains, when there are such (of an
     * AND, the term with the longest shortest literal); else an empty list.
     */
    private static List<String> anchorLiterals(Requirement r) {
        if (r instanceof Literal l) {
            return List.of(l.text());
        }
        if (r instanceof AnyLiteral any) {
            return any.literals();
        }
        if (r instanceof Or or) {
            Set<String> out = new LinkedHashSet<>();
            for (Requirement t : or.terms()) {
                List<String> sub = anchorLiterals(t);
                if (sub.isEmpty()) {
                    return List.of();
                }
                out.addAll(sub);
            }
            return List.copyOf(out);
        }
        if (r instanceof And and) {
            List<String> best = List.of();
            int bestShortest = 0;
            for (Requirement t : and.terms()) {
                List<String> sub = anchorLiterals(t);
                int shortest = sub.stream().mapToInt(String::length).min().orElse(0);
                if (shortest > bestShortest) {
                    best = sub;
                    bestShortest = shortest;
                }
            }
            return best;
        }
        return List.of();
    }

    /**
     * The top-level alternatives of {@code regex} as separate patterns ({@code a|b(c|d)} gives
     * {@code a} and {@code b(c|d)}), or just the pattern when it has one branch, when the analysis
     * does not follow it, or when it sets flags inline (a flag group applies across {@code |}).
     */
    public static List<String> topLevelBranches(String regex) {
        try {
            if (regex.matches("(?s).*\\(\\?[a-zA-Z-]+[):].*")) {
                return List.of(regex);
            }
            RegexPrefilter p = new RegexPrefilter(regex);
            p.alternation();
            if (p.pos != regex.length() || p.topStarts.size() < 2) {
                return List.of(regex);
            }
            List<String> out = new ArrayList<>();
            for (int i = 0; i < p.topStarts.size(); i++) {
                int end = i + 1 < p.topStarts.size() ? p.topStarts.get(i + 1) - 1 : regex.length();
                out.add(regex.substring(p.topStarts.get(i), end));
            }
            return out;
        } catch (RuntimeException e) {
            return List.of(regex);
        }
    }

    /**
     * The start windows of a pattern with one top-level branch: like {@link #windows}, but only
     * the stretch before the anchor must be bounded; {@link Window#after()} is null when the
     * match can run on without bound after it (as {@code eyJ[A-Za-z0-9_-]{10,}…} can). Every
     * match starts at most {@code before} units before an anchor occurrence, so anchored attempts
     * there decide the text.
     */
    public static List<Window> startWindows(String regex) {
        try {
            RegexPrefilter p = new RegexPrefilter(regex);
            p.alternation();
            if (p.pos != regex.length() || p.topBranches.size() != 1) {
                return List.of();
            }
            return branchWindows(p.topBranches.get(0), false);
        } catch (RuntimeException e) {
            return List.of();
        }
    }

    /** Every run of exact items (or literal-bound item) of one top-level branch that can anchor it, best first. */
    private static List<Window> branchWindows(List<Info> items) {
        return branchWindows(items, true);
    }

    private static List<Window> branchWindows(List<Info> items, boolean boundedAfter) {
        Len total = Len.ZERO;
        for (Info i : items) {
            total = Len.plus(total, i.len());
        }
        if (total == null && boundedAfter) {
            return List.of();
        }
        List<Window> out = new ArrayList<>();
        Len before = Len.ZERO;
        int i = 0;
        while (i < items.size() && before != null) {
            Info item = items.get(i);
            if (item.exact() == null) {
                // An inexact item whose requirement is one of some literals still anchors: the
                // literal lies somewhere inside the item's (bounded) span.
                List<String> lits = anchorLiterals(item.req());
                Len through = Len.plus(before, item.len());
                if (through != null && !lits.isEmpty() && lits.stream().allMatch(x -> x.length() >= 2)) {
                    out.add(new Window(List.copyOf(lits), through, lenFrom(items, i)));
                }
                before = Len.plus(before, item.len());
                i++;
                continue;
            }
            ExactRun run = exactRun(items, i);
            if (run.info().exact().stream().allMatch(x -> x.length() >= 2)) {
                out.add(new Window(List.copyOf(run.info().exact()), before, lenFrom(items, i)));
            }
            before = Len.plus(before, lenOf(items, i, run.end()));
            i = run.end();
        }
        out.sort(java.util.Comparator.comparingInt((Window w) -> -w.anchors().stream().mapToInt(String::length).min().orElse(0))
                .thenComparingInt(w -> w.anchors().size()));
        return List.copyOf(out);
    }

    /** A run of exact items multiplied out, and the index after its last item. */
    private record ExactRun(Info info, int end) {
    }

    /**
     * The run of exact items starting at {@code from}, as far as their strings still multiply
     * out into a few literals ({@link #concat} stays exact).
     */
    private static ExactRun exactRun(List<Info> items, int from) {
        Info run = items.get(from);
        int end = from + 1;
        while (end < items.size() && items.get(end).exact() != null) {
            Info joined = concat(run, items.get(end));
            if (joined.exact() == null) {
                break;
            }
            run = joined;
            end++;
        }
        return new ExactRun(run, end);
    }

    private static Len lenFrom(List<Info> items, int from) {
        Len after = Len.ZERO;
        for (int k = from; k < items.size(); k++) {
            after = Len.plus(after, items.get(k).len());
        }
        return after;
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
        Len len = Len.ZERO;
        boolean spaceOnly = true;
        for (Info b : branches) {
            len = Len.max(len, b.len());
            spaceOnly &= b.spaceOnly();
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
            return Info.exactly(union).withLen(len);
        }
        List<Requirement> terms = new ArrayList<>();
        for (Info b : branches) {
            Requirement r = b.requirement();
            if (r instanceof All) {
                return new Info(null, ALL, len, spaceOnly);
            }
            terms.add(r);
        }
        return new Info(null, new Or(terms), len, false);
    }

    /**
     * A concatenation: runs of exact pieces are multiplied out into literals ("y","o","u" give
     * "you"); each inexact piece ends the current run and adds its own requirement.
     */
    private Info concatenation() {
        if (depth == 0) {
            topStarts.add(pos);
        }
        List<Info> items = new ArrayList<>();
        while (pos < re.length() && re.charAt(pos) != '|' && re.charAt(pos) != ')') {
            items.add(repeated(atom()));
        }
        if (depth == 0) {
            topBranches.add(items);
        }
        Len len = Len.ZERO;
        boolean spaceOnly = !items.isEmpty();
        for (Info i : items) {
            len = Len.plus(len, i.len());
            spaceOnly &= i.spaceOnly();
        }
        Info info = requirementOf(items);
        return items.size() == 1 ? items.get(0) : new Info(info.exact(), info.req(), len, spaceOnly);
    }

    private static Info requirementOf(List<Info> items) {
        List<Requirement> reqs = new ArrayList<>();
        Info run = Info.exactly(Set.of(""));
        for (Info item : items) {
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
        return new Info(null, terms.isEmpty() ? ALL : terms.size() == 1 ? terms.get(0) : new And(terms), null, false);
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
        return new Info(null, terms.isEmpty() ? ALL : terms.size() == 1 ? terms.get(0) : new And(terms), Len.plus(a.len(), b.len()), false);
    }

    private Info repeated(Info atom) {
        Info result = atom;
        while (pos < re.length()) {
            char c = re.charAt(pos);
            int min;
            // The most repetitions, -1 for unbounded.
            int max;
            if (c == '*') {
                min = 0;
                max = -1;
                pos++;
            } else if (c == '+') {
                min = 1;
                max = -1;
                pos++;
            } else if (c == '?') {
                min = -1;
                max = 1;
                pos++;
            } else if (c == '{' && repeatEnd(pos) > 0) {
                int end = repeatEnd(pos);
                String body = re.substring(pos + 1, end);
                min = Integer.parseInt(body.contains(",") ? body.substring(0, body.indexOf(',')) : body);
                String upper = body.contains(",") ? body.substring(body.indexOf(',') + 1) : body;
                max = upper.isEmpty() ? -1 : Integer.parseInt(upper);
                pos = end + 1;
            } else {
                return result;
            }
            Len len = max >= 0 ? Len.times(result.len(), max)
                    : result.spaceOnly() && result.len() != null && result.len().spaces() == 0 ? new Len(0, 0, 1) : null;
            boolean spaceOnly = result.spaceOnly();
            if (pos < re.length() && re.charAt(pos) == '?') {
                pos++;
            }
            if (min == -1) {
                if (result.exact() != null && result.exact().size() < MAX_EXACT) {
                    Set<String> opt = new LinkedHashSet<>(result.exact());
                    opt.add("");
                    result = Info.exactly(opt);
                } else {
                    result = Info.any(null);
                }
            } else if (min == 0) {
                result = Info.any(null);
            } else {
                result = new Info(null, result.requirement(), null, false);
            }
            result = new Info(result.exact(), result.req(), len, spaceOnly);
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
                return Info.any(Len.RUNE);
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
        depth++;
        try {
            return groupBody();
        } finally {
            depth--;
        }
    }

    private Info groupBody() {
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
        boolean spaces = !negated;
        boolean first = true;
        while (pos < re.length() && (re.charAt(pos) != ']' || first)) {
            first = false;
            char c = re.charAt(pos);
            if (c == '\\' && pos + 1 < re.length()) {
                char e = re.charAt(pos + 1);
                pos += 2;
                spaces &= e == 's' || e == 't' || e == 'n' || e == 'r' || e == 'f' || e == ' ';
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
                spaces = false;
                pos = re.indexOf(":]", pos) + 2;
            } else if (pos + 2 < re.length() && re.charAt(pos + 1) == '-' && re.charAt(pos + 2) != ']') {
                simple = false;
                spaces = false;
                pos += 3;
            } else {
                if (c > 0x7e) {
                    simple = false;
                }
                spaces &= c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
                members.add(String.valueOf(Character.toLowerCase(c)));
                pos++;
            }
        }
        if (pos >= re.length()) {
            pos = start;
            throw new IllegalArgumentException("unterminated class");
        }
        pos++;
        Info info = simple && members.size() <= 8 && !members.isEmpty() ? Info.exactly(members) : Info.any(Len.RUNE);
        return new Info(info.exact(), info.req(), Len.RUNE, spaces);
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
            return acc.withLen(new Len(0, quoted.length(), 0));
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
        boolean space = e == 's' || e == 't' || e == 'n' || e == 'r' || e == 'f';
        return new Info(null, ALL, Len.RUNE, space);
    }

    private static boolean isEscapedLiteral(char e) {
        return !Character.isLetterOrDigit(e) && e < 0x7f;
    }

    private static Info literal(char c) {
        boolean space = c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
        if (c > 0x7e && caseless(c)) {
            // Han, kana, hangul and the like: no case, so the folded text holds them as written.
            return Info.exactly(Set.of(String.valueOf(c)));
        }
        if (c > 0x7e || c < 0x20) {
            return new Info(null, ALL, Len.RUNE, space);
        }
        Info info = Info.exactly(Set.of(String.valueOf(Character.toLowerCase(c))));
        return space ? new Info(info.exact(), null, info.len(), true) : info;
    }

    /**
     * A letter outside ASCII that lower-casing and regex case folding both leave alone: it has no
     * other case (Cyrillic or Greek letters do, and their folding orbits differ from
     * lower-casing in places, so they stay out of literals).
     */
    private static boolean caseless(char c) {
        return Character.isLetter(c) && !Character.isSurrogate(c) && Character.toLowerCase(c) == c
                && Character.toUpperCase(c) == c && Character.toTitleCase(c) == c;
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
