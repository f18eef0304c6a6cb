package io.mcpaudit.rules.sigma.match;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import io.mcpaudit.rules.event.RuleEvent;
import io.mcpaudit.rules.event.ValueText;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;

/**
 * The {@code re} modifier: an RE2/J search anywhere in the value (linear time), behind a
 * literal prefilter that spares the regex engine the texts it could never match. On long texts,
 * a pattern whose matches have a bounded length around literals they must contain (its
 * {@link RegexPrefilter.Window}) is searched only in windows around those literals: RE2/J's NFA
 * costs about a microsecond per character on patterns such as {@code \\b(ignore|…)\\b.{0,40}…},
 * and the anchor words are rare.
 */
public final class RegexMatcher implements ValueMatcher {
    /** Below this length the whole text is searched: windows would not save anything. */
    static final int WINDOWED_FROM = 256;
    /** Context kept on each side of a window, so that {@code \\b}, {@code ^} and {@code $} see the neighbouring code point. */
    private static final int MARGIN = 2;

    private final Pattern pattern;
    private final RegexPrefilter.Requirement prefilter;
    private final RegexPrefilter.Window window;
    /** Other anchor windows, tried when the first one's anchors are frequent in a text. */
    private final List<RegexPrefilter.Window> fallbackWindows;
    /**
     * The top-level alternatives searched one by one, when the pattern has several: each gets
     * its own prefilter and window, and a text matches when any of them matches (the leftmost
     * start of the whole pattern is the leftmost of theirs).
     */
    private final List<RegexMatcher> branches;

    public RegexMatcher(Pattern pattern) {
        this(pattern, true);
    }

    private RegexMatcher(Pattern pattern, boolean split) {
        this.pattern = pattern;
        this.prefilter = RegexPrefilter.of(pattern.pattern());
        // Multi-line mode changes what ^ and $ mean inside a window only at line starts, which
        // the margins cover; the window is sound for every flag combination.
        List<RegexPrefilter.Window> windows = RegexPrefilter.windows(pattern.pattern());
        this.window = windows.isEmpty() ? null : windows.get(0);
        this.fallbackWindows = windows.size() < 2 ? List.of() : windows.subList(1, Math.min(windows.size(), 3));
        List<String> alternatives = split ? RegexPrefilter.topLevelBranches(pattern.pattern()) : List.of();
        this.branches = alternatives.size() < 2 ? List.of()
                : alternatives.stream().map(b -> new RegexMatcher(Pattern.compile(b, pattern.flags()), false)).toList();
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
        String folded = null;
        if (!(prefilter instanceof RegexPrefilter.All)) {
            folded = event.caseFolded(text);
            if (!prefilter.test(folded)) {
                return -1;
            }
        }
        if (window != null && text.length() >= WINDOWED_FROM) {
            if (folded == null) {
                folded = event.caseFolded(text);
            }
            // Lower-casing keeps indexes only when it keeps the length (it never shortens text).
            if (folded.length() == text.length()) {
                return findInWindows(text, folded, event.shape(text));
            }
        }
        Matcher m = pattern.matcher(text);
        return m.find() ? m.start() : -1;
    }

    /**
     * Searches the windows around anchor occurrences (nearby occurrences share one window, up to
     * a few window lengths). Each window must meet the literal prefilter on its own before the
     * regex runs: the required words of a long text are usually all somewhere in it, but rarely
     * within one window. A match found in a window is a match of the whole text when the window
     * holds its context (a code point on each side); one that touches the cut end of a window is
     * re-checked on the whole text.
     */
    private int findInWindows(String text, String folded, RuleEvent.TextShape shape) {
        // Anchors frequent in this text would make windows cover most of it: try the next best.
        RegexPrefilter.Window w = window;
        int n = text.length();
        BitSet occ = occurrences(w, folded);
        for (RegexPrefilter.Window other : fallbackWindows) {
            if ((long) occ.cardinality() * span(w, shape) <= n / 4) {
                break;
            }
            BitSet alt = occurrences(other, folded);
            if ((long) alt.cardinality() * span(other, shape) < (long) occ.cardinality() * span(w, shape)) {
                w = other;
                occ = alt;
            }
        }
        if (occ.isEmpty()) {
            return -1;
        }
        int before = w.before().bound(shape.longestWhitespaceRun(), shape.surrogates()) + MARGIN;
        int after = w.after().bound(shape.longestWhitespaceRun(), shape.surrogates()) + MARGIN;
        int cap = Math.max(4 * (before + after), WINDOWED_FROM);
        boolean filter = !(prefilter instanceof RegexPrefilter.All);
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
            if (filter && !prefilter.test(folded.substring(from, to))) {
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

    private static int span(RegexPrefilter.Window w, RuleEvent.TextShape shape) {
        return w.before().bound(shape.longestWhitespaceRun(), shape.surrogates())
                + w.after().bound(shape.longestWhitespaceRun(), shape.surrogates());
    }

    /** Start offsets of every anchor occurrence in the folded text. */
    private static BitSet occurrences(RegexPrefilter.Window w, String folded) {
        BitSet out = new BitSet(folded.length());
        for (String a : w.anchors()) {
            for (int at = folded.indexOf(a); at >= 0; at = folded.indexOf(a, at + 1)) {
                out.set(at);
            }
        }
        return out;
    }

    /** The literal requirement checked before the regex runs (for tests and diagnostics). */
    public RegexPrefilter.Requirement prefilter() {
        return prefilter;
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
