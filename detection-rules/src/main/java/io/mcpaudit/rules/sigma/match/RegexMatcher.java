package io.mcpaudit.rules.sigma.match;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import io.mcpaudit.rules.event.RuleEvent;
import io.mcpaudit.rules.event.ValueText;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;

/**
 * The {@code re} modifier: an RE2/J search anywhere in the value (linear time), behind literal
 * filters that spare the regex engine the texts it could never match. Every literal the filters
 * need is found by one pass over the text that the whole rule pack shares (a
 * {@link LiteralIndex}); then, in order:
 *
 * <ol>
 *   <li>the literal requirement ({@link RegexPrefilter}): words every match contains;
 *   <li>the {@link ProximityChain}s: those words in pattern order and within the pattern's
 *       distances of each other;
 *   <li>on long texts, the regex runs only in windows around complete chains, or around the
 *       occurrences of an anchor ({@link RegexPrefilter.Window}) for patterns without a chain.
 * </ol>
 *
 * RE2/J's NFA costs about a microsecond per character on patterns such as
 * {@code \\b(ignore|…)\\b.{0,40}…}; the filters decide most texts in a few table lookups per
 * character.
 */
public final class RegexMatcher implements ValueMatcher {
    /** Below this length the whole text is searched: windows would not save anything. */
    static final int WINDOWED_FROM = 256;
    /** Context kept on each side of a window, so that {@code \\b}, {@code ^} and {@code $} see the neighbouring code point. */
    private static final int MARGIN = 2;
    /** Most anchored tries per anchor occurrence; beyond, windows or the whole text are searched. */
    private static final int MAX_START_TRIES = 16;

    private final Pattern pattern;
    private final LiteralIndex index;
    private final IndexedRequirement prefilter;
    private final RegexPrefilter.Window window;
    /** Other anchor windows, tried when the first one's anchors are frequent in a text. */
    private final List<RegexPrefilter.Window> fallbackWindows;
    /** Per window (the first, then the fallbacks): ids of its anchors in the index. */
    private final int[][] windowIds;
    /**
     * The top-level alternatives searched one by one, when the pattern has several: each gets
     * its own filters, and a text matches when any of them matches (the leftmost start of the
     * whole pattern is the leftmost of theirs). A matcher with branches has no filters itself.
     */
    private final List<RegexMatcher> branches;
    /** Words that must occur in order and near each other (see {@link ProximityChain}). */
    private final List<ProximityChain> chains;
    /**
     * The anchor closest to the start of every match, when at most a few units can precede it:
     * the regex is then tried anchored at the few positions before each occurrence, and each
     * try stops as soon as the pattern fails. Unlike windows this needs no bound after the
     * anchor ({@code eyJ[A-Za-z0-9_-]{10,}…}), and it spares the NFA the text between tries.
     */
    private final RegexPrefilter.Window startWindow;
    private final int[] startIds;
    /**
     * The pattern anchored at the start of the input, and the same after one code point of
     * context (for tries that must see what precedes them). {@code \A} matters: RE2/J stops an
     * anchored search whose threads all died only when the program starts with it; a plain
     * {@code lookingAt()} runs on to the end of the input.
     */
    private final Pattern atStart;
    private final Pattern afterContext;
    /** Whether any literal filter applies (else the text goes straight to the regex). */
    private final boolean filtered;
    /** How many literals the index held once this matcher's were in: a scan must know them all. */
    private final int literalsNeeded;

    /** A matcher with literal filters of its own (tests and single patterns). */
    public RegexMatcher(Pattern pattern) {
        this(pattern, new LiteralIndex());
    }

    /** A matcher whose literals join {@code index}, shared with the other rules compiled with it. */
    public RegexMatcher(Pattern pattern, LiteralIndex index) {
        this(pattern, index, true);
    }

    private RegexMatcher(Pattern pattern, LiteralIndex index, boolean split) {
        this.pattern = pattern;
        this.index = index;
        List<String> alternatives = split ? RegexPrefilter.topLevelBranches(pattern.pattern()) : List.of();
        this.branches = alternatives.size() < 2 ? List.of()
                : alternatives.stream().map(b -> new RegexMatcher(Pattern.compile(b, pattern.flags()), index, false)).toList();
        // Only a matcher without branches searches itself: it alone registers literals to scan for.
        boolean leaf = branches.isEmpty();
        this.prefilter = leaf ? IndexedRequirement.of(RegexPrefilter.of(pattern.pattern()), index) : IndexedRequirement.ALWAYS;
        // Multi-line mode changes what ^ and $ mean inside a window only at line starts, which
        // the margins cover; the window is sound for every flag combination.
        List<RegexPrefilter.Window> windows = leaf ? RegexPrefilter.windows(pattern.pattern()) : List.of();
        this.window = windows.isEmpty() ? null : windows.get(0);
        this.fallbackWindows = windows.size() < 2 ? List.of() : windows.subList(1, Math.min(windows.size(), 3));
        this.windowIds = windows.stream().limit(3).map(w -> index.ids(w.anchors())).toArray(int[][]::new);
        this.chains = leaf ? RegexPrefilter.chains(pattern.pattern(), index) : List.of();
        this.startWindow = !leaf ? null : RegexPrefilter.startWindows(pattern.pattern()).stream()
                .filter(w -> w.before().bound(0, false) <= MAX_START_TRIES)
                .min(java.util.Comparator.comparingInt((RegexPrefilter.Window w) -> w.before().bound(1, false)))
                .orElse(null);
        this.startIds = startWindow == null ? new int[0] : index.ids(startWindow.anchors());
        boolean anchoredTries = startWindow != null || chains.stream().anyMatch(ProximityChain::startBounded);
        this.atStart = anchoredTries ? Pattern.compile("\\A(?:" + pattern.pattern() + ")", pattern.flags()) : null;
        this.afterContext = anchoredTries ? Pattern.compile("\\A(?s:.)(?:" + pattern.pattern() + ")", pattern.flags()) : null;
        this.filtered = !(prefilter instanceof IndexedRequirement.Always) || !chains.isEmpty() || window != null
                || startWindow != null;
        this.literalsNeeded = index.size();
    }

    @Override
    public int find(Object value, RuleEvent event) {
        if (value == null) {
            return -1;
        }
        if (!branches.isEmpty()) {
            int best = -1;
            for (RegexMatcher b : branches) {
                int at = b.find(value, event);
                if (at >= 0 && (best < 0 || at < best)) {
                    best = at;
                }
            }
            return best;
        }
        String text = ValueText.of(value);
        if (!filtered) {
            Matcher m = pattern.matcher(text);
            return m.find() ? m.start() : -1;
        }
        String folded = event.caseFolded(text);
        LiteralScan scan = scan(text, folded, event);
        if (!prefilter.test(scan)) {
            return -1;
        }
        // Lower-casing keeps positions only when it keeps the length (it never shortens text).
        boolean positions = folded.length() == text.length();
        if (positions && !chains.isEmpty()) {
            RuleEvent.TextShape shape = event.shape(text);
            ProximityChain windowed = null;
            BitSet starts = null;
            ProximityChain first = null;
            BitSet firstStarts = null;
            for (ProximityChain chain : chains) {
                BitSet s = chain.starts(scan, shape);
                if (s.isEmpty()) {
                    return -1;
                }
                if (windowed == null && chain.windowed()) {
                    windowed = chain;
                    starts = s;
                }
                if (first == null && chain.startBounded()) {
                    first = chain;
                    firstStarts = s;
                }
            }
            if (first != null) {
                // Every match starts a few units before the first literal of a complete chain.
                int before = first.before().bound(shape.longestWhitespaceRun(), shape.surrogates());
                if (before <= MAX_START_TRIES) {
                    return tryAnchored(text, firstStarts, before);
                }
            }
            if (windowed != null && text.length() >= WINDOWED_FROM) {
                // Every match contains a complete chain: search around the chains only.
                return findAround(text, scan, starts,
                        windowed.before().bound(shape.longestWhitespaceRun(), shape.surrogates()) + MARGIN,
                        windowed.after().bound(shape.longestWhitespaceRun(), shape.surrogates()) + MARGIN);
            }
        }
        if (positions && startWindow != null) {
            RuleEvent.TextShape shape = event.shape(text);
            int before = startWindow.before().bound(shape.longestWhitespaceRun(), shape.surrogates());
            if (before <= MAX_START_TRIES) {
                return findAnchored(text, scan, before);
            }
        }
        if (positions && window != null && text.length() >= WINDOWED_FROM) {
            return findInWindows(text, scan, event.shape(text));
        }
        Matcher m = pattern.matcher(text);
        return m.find() ? m.start() : -1;
    }

    /** The text's scan by the shared index, made once per text and event for every matcher. */
    private LiteralScan scan(String text, String folded, RuleEvent event) {
        return LiteralScan.of(index, text, folded, event, literalsNeeded);
    }

    /**
     * Searches the windows around anchor occurrences (nearby occurrences share one window, up to
     * a few window lengths). Each window must meet the literal prefilter on its own before the
     * regex runs: the required words of a long text are usually all somewhere in it, but rarely
     * within one window.
     */
    private int findInWindows(String text, LiteralScan scan, RuleEvent.TextShape shape) {
        // Anchors frequent in this text would make windows cover most of it: try the next best.
        RegexPrefilter.Window w = window;
        int n = text.length();
        BitSet occ = occurrences(0, scan);
        for (int k = 0; k < fallbackWindows.size(); k++) {
            if ((long) occ.cardinality() * span(w, shape) <= n / 4) {
                break;
            }
            RegexPrefilter.Window other = fallbackWindows.get(k);
            BitSet alt = occurrences(k + 1, scan);
            if ((long) alt.cardinality() * span(other, shape) < (long) occ.cardinality() * span(w, shape)) {
                w = other;
                occ = alt;
            }
        }
        if (occ.isEmpty()) {
            return -1;
        }
        return findAround(text, scan, occ, w.before().bound(shape.longestWhitespaceRun(), shape.surrogates()) + MARGIN,
                w.after().bound(shape.longestWhitespaceRun(), shape.surrogates()) + MARGIN);
    }

    /**
     * Searches windows from {@code before} units before to {@code after} units after each
     * position in {@code occ}, which every match must hold such a position for. A match found in
     * a window is a match of the whole text when the window holds its context (a code point on
     * each side); one that touches the cut end of a window is re-checked on the whole text.
     */
    private int findAround(String text, LiteralScan scan, BitSet occ, int before, int after) {
        int n = text.length();
        int cap = Math.max(4 * (before + after), WINDOWED_FROM);
        int at = occ.nextSetBit(0);
        while (at >= 0) {
            int from = Math.max(0, at - before);
            int to = Math.min(n, at + after);
            int next = occ.nextSetBit(at + 1);
            while (next >= 0 && next - before <= to && next + after - from <= cap) {
                to = Math.min(n, next + after);
                next = occ.nextSetBit(next + 1);
            }
            at = next;
            if (!prefilter.testWithin(scan, from, to)) {
                continue;
            }
            Matcher m = pattern.matcher(text.substring(from, to));
            int start = from == 0 ? 0 : MARGIN;
            if (m.find(start)) {
                if (to == n || m.end() <= to - from - MARGIN) {
                    return from + m.start();
                }
                // The match may run past the window: decide on the whole text.
                Matcher whole = pattern.matcher(text);
                return whole.find(from + m.start()) ? whole.start() : -1;
            }
        }
        return -1;
    }

    /**
     * Tries the pattern anchored at every position from {@code before} units before each start
     * anchor occurrence up to it, leftmost first: every match starts at one of them. A try at
     * position {@code s > 0} runs on the text from {@code s - 1} with one code point consumed
     * first, so that {@code \b}, {@code \B} and {@code ^} see the character before {@code s}.
     */
    private int findAnchored(String text, LiteralScan scan, int before) {
        BitSet occ = new BitSet();
        scan.starts(startIds, occ);
        return tryAnchored(text, occ, before);
    }

    /** Tries the pattern anchored from {@code before} units before each position in {@code occ} up to it. */
    private int tryAnchored(String text, BitSet occ, int before) {
        int tried = -1;
        for (int at = occ.nextSetBit(0); at >= 0; at = occ.nextSetBit(at + 1)) {
            for (int s = Math.max(tried + 1, at - before); s <= at; s++) {
                boolean found = s == 0 ? atStart.matcher(text).lookingAt()
                        : afterContext.matcher(new Suffix(text, s - 1)).lookingAt();
                if (found) {
                    return s;
                }
                tried = s;
            }
        }
        return -1;
    }

    /** The rest of a string from an offset, without copying it. */
    private record Suffix(String text, int offset) implements CharSequence {
        @Override
        public int length() {
            return text.length() - offset;
        }

        @Override
        public char charAt(int index) {
            return text.charAt(offset + index);
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return text.subSequence(offset + start, offset + end);
        }

        @Override
        public String toString() {
            return text.substring(offset);
        }
    }

    private static int span(RegexPrefilter.Window w, RuleEvent.TextShape shape) {
        return w.before().bound(shape.longestWhitespaceRun(), shape.surrogates())
                + w.after().bound(shape.longestWhitespaceRun(), shape.surrogates());
    }

    /** Start offsets of every occurrence of window {@code w}'s anchors. */
    private BitSet occurrences(int w, LiteralScan scan) {
        BitSet out = new BitSet();
        scan.starts(windowIds[w], out);
        return out;
    }

    /** The anchor window used on long texts, if the pattern has one. */
    public Optional<RegexPrefilter.Window> window() {
        return Optional.ofNullable(window);
    }

    @Override
    public String describe() {
        return "/" + pattern.pattern() + "/";
    }
}
