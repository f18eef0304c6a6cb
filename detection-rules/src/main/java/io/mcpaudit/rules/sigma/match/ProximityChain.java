package io.mcpaudit.rules.sigma.match;

import io.mcpaudit.rules.event.RuleEvent;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

/**
 * A necessary condition for the rules' dominant pattern shape, "words, a gap of at most N
 * characters, words, a gap, words": every match holds an occurrence of each anchor's literals,
 * in pattern order, each within a bounded distance of the previous one. The text's
 * {@link LiteralScan} tells where every anchor's literals end; a sweep then looks for such a chain. Texts that hold
 * all the words, but never near each other and in order (most long tool results and
 * descriptions), are rejected without running the regex, whose NFA costs about a microsecond
 * per character on these patterns.
 *
 * <p>Distances are in UTF-16 units of the case-folded text, which must have the length of the
 * original (lower-casing that lengthens text moves positions; callers skip the check then).
 */
public final class ProximityChain {
    /** Literals one pattern item must contain, one of them per match. */
    record Anchor(List<String> literals) {
        int minLength() {
            return literals.stream().mapToInt(String::length).min().orElse(0);
        }
    }

    private final List<Anchor> anchors;
    /**
     * {@code gaps.get(k)}: the most units from the start of anchor {@code k}'s item to the end of
     * anchor {@code k + 1}'s item, which bounds how far apart their literals can start.
     */
    private final List<RegexPrefilter.Len> gaps;
    /** Per anchor: the ids of its literals in the pack's {@link LiteralIndex}. */
    private final int[][] ids;
    private final int[] minLength;

    /**
     * Where a match can lie around a start of the first anchor's literal (see {@link #starts}):
     * at most {@code before} units before it, ending at most {@code after} units after it; null
     * when unbounded.
     */
    private final RegexPrefilter.Len before;
    private final RegexPrefilter.Len after;

    ProximityChain(List<Anchor> anchors, List<RegexPrefilter.Len> gaps, RegexPrefilter.Len before, RegexPrefilter.Len after,
            LiteralIndex index) {
        if (anchors.size() < 2 || anchors.size() > 64 || gaps.size() != anchors.size() - 1) {
            throw new IllegalArgumentException("a chain has 2 to 64 anchors and one gap between each two");
        }
        this.anchors = List.copyOf(anchors);
        this.gaps = List.copyOf(gaps);
        this.ids = anchors.stream().map(a -> index.ids(a.literals())).toArray(int[][]::new);
        this.minLength = anchors.stream().mapToInt(Anchor::minLength).toArray();
        this.before = before;
        this.after = after;
    }

    List<Anchor> anchors() {
        return anchors;
    }

    /**
     * False when no chain of anchor occurrences fits the pattern's distances in the scanned
     * text, so the pattern cannot match; true when one does (the regex decides).
     */
    public boolean test(LiteralScan scan, RuleEvent.TextShape shape) {
        return !starts(scan, shape).isEmpty();
    }

    /** Whether {@link #starts} can place windows: the pattern's length is bounded around the first anchor. */
    public boolean windowed() {
        return before != null && after != null;
    }

    /** Whether matches start a bounded number of units before a position given by {@link #starts}. */
    public boolean startBounded() {
        return before != null;
    }

    /** Most units a match can start before a position given by {@link #starts}. */
    RegexPrefilter.Len before() {
        return before;
    }

    /** Most units a match can end after a position given by {@link #starts}. */
    RegexPrefilter.Len after() {
        return after;
    }

    /**
     * For every chain of anchor occurrences that fits the pattern's distances, where its first
     * literal starts; empty when there is none (no match possible).
     */
    public BitSet starts(LiteralScan scan, RuleEvent.TextShape shape) {
        int n = anchors.size();
        for (int k = 0; k < n; k++) {
            if (!scan.hasAny(ids[k])) {
                return new BitSet();
            }
        }
        // Forwards: the end positions of anchor k that some chain of anchors 0..k reaches.
        int[][] reach = new int[n][];
        int[] low = new int[n];
        int[] high = new int[n];
        reach[0] = scan.sortedEnds(ids[0]);
        for (int k = 0; k + 1 < n; k++) {
            // Literal k lies inside item k and literal k+1 inside item k+1, which starts where
            // item k ends: start(k+1) >= start(k) + len(k), and end(k+1) <= start(k) + gap.
            // In end positions e = start + len: len(k+1) <= e(k+1) - e(k) <= gap - len(k).
            int gap = gaps.get(k).bound(shape.longestWhitespaceRun(), shape.surrogates());
            low[k] = minLength[k + 1];
            high[k] = gap - minLength[k];
            int[] from = reach[k];
            int[] to = scan.sortedEnds(ids[k + 1]);
            int[] next = new int[to.length];
            int m = 0;
            int j = -1;
            for (int q : to) {
                // The latest reached end at least `low` before q.
                while (j + 1 < from.length && from[j + 1] <= q - low[k]) {
                    j++;
                }
                if (j >= 0 && q - from[j] <= high[k]) {
                    next[m++] = q;
                }
            }
            if (m == 0) {
                return new BitSet();
            }
            reach[k + 1] = Arrays.copyOf(next, m);
        }
        // Backwards: keep the occurrences that lead to a complete chain.
        int[] valid = reach[n - 1];
        for (int k = n - 2; k >= 0; k--) {
            int[] keep = new int[reach[k].length];
            int m = 0;
            int j = 0;
            for (int p : reach[k]) {
                // The earliest valid end at least `low` after p.
                while (j < valid.length && valid[j] < p + low[k]) {
                    j++;
                }
                if (j < valid.length && valid[j] - p <= high[k]) {
                    keep[m++] = p;
                }
            }
            valid = Arrays.copyOf(keep, m);
        }
        BitSet validEnds = new BitSet();
        for (int e : valid) {
            validEnds.set(e);
        }
        BitSet out = new BitSet();
        scan.startsEndingAt(ids[0], validEnds, out);
        return out;
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        for (int k = 0; k < anchors.size(); k++) {
            if (k > 0) {
                RegexPrefilter.Len g = gaps.get(k - 1);
                s.append(" ~").append(g.fixed()).append('+').append(g.runes()).append("r+").append(g.spaces()).append("ws~ ");
            }
            List<String> lits = anchors.get(k).literals();
            s.append(lits.size() <= 4 ? lits : lits.subList(0, 4) + "…(" + lits.size() + ")");
        }
        return s.toString();
    }
}
