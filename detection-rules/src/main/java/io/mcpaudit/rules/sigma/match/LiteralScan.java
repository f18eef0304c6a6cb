package io.mcpaudit.rules.sigma.match;

import io.mcpaudit.rules.event.RuleEvent;
import java.util.Arrays;
import java.util.BitSet;

/**
 * Where each literal of a {@link LiteralIndex} occurs in one text: which literals occur (a bit
 * per literal) and the end position (exclusive) of every occurrence. Made by
 * {@link LiteralIndex#scan}; short literals are searched when first asked about. Not
 * thread-safe.
 *
 * <p>Most texts are short and hold a dozen hits: looking a literal's hits up by walking all of
 * them costs less than building a per-literal index (an array as long as the pack has
 * literals) for every text. Past {@link #INDEXED_FROM} hits, the index is built once.
 */
public final class LiteralScan {
    private static final int INDEXED_FROM = 48;
    private static final int[] NONE = new int[0];

    private final String text;
    private final int[] lengths;
    private final String[] lazy;
    /** Bits of the short literals not searched yet. */
    private final long[] pending;
    /** Bits of the literals that occur. */
    private final long[] present;
    private int[] literal = new int[16];
    private int[] end = new int[16];
    private int hits;
    /** Built on demand for texts with many hits: per literal its latest hit plus one, per hit the previous one plus one. */
    private int[] head;
    private int[] previous;

    LiteralScan(String text, int[] lengths, String[] lazy, long[] lazyMask) {
        this.text = text;
        this.lengths = lengths;
        this.lazy = lazy;
        this.pending = lazyMask.clone();
        this.present = new long[lazyMask.length];
    }

    /**
     * The scan of {@code text} by {@code index}, made once per text and event for every matcher
     * that shares the index; rescanned when it predates some of the first {@code literalsNeeded}
     * literals (registered later, as on a hot reload).
     */
    static LiteralScan of(LiteralIndex index, String text, String folded, RuleEvent event, int literalsNeeded) {
        LiteralScan scan = (LiteralScan) event.perText(index, text);
        if (scan == null || !scan.covers(literalsNeeded - 1)) {
            scan = index.scan(folded);
            event.perText(index, text, scan);
        }
        return scan;
    }

    void add(int id, int endExclusive) {
        if (hits == end.length) {
            end = Arrays.copyOf(end, hits * 2);
            literal = Arrays.copyOf(literal, hits * 2);
        }
        end[hits] = endExclusive;
        literal[hits++] = id;
        present[id >> 6] |= 1L << id;
        if (head != null) {
            link(hits - 1);
        }
    }

    /** Whether the literal occurs at all. */
    public boolean has(int id) {
        if (id >= lengths.length) {
            return false;
        }
        searchIfPending(id);
        return (present[id >> 6] & (1L << id)) != 0;
    }

    /** Whether any of the literals occurs. */
    public boolean hasAny(int[] ids) {
        for (int id : ids) {
            if (has(id)) {
                return true;
            }
        }
        return false;
    }

    /** Whether any of the literals occurs wholly inside {@code [from, to)}. */
    public boolean hasAnyWithin(int[] ids, int from, int to) {
        for (int id : ids) {
            for (int e : endsOf(id)) {
                if (e <= to && e - lengths[id] >= from) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The end positions of every occurrence of the literals, ascending, without repeats. */
    public int[] sortedEnds(int[] ids) {
        if (ids.length == 1) {
            return endsOf(ids[0]);
        }
        int count = 0;
        int[][] each = new int[ids.length][];
        for (int k = 0; k < ids.length; k++) {
            each[k] = endsOf(ids[k]);
            count += each[k].length;
        }
        int[] out = new int[count];
        int k = 0;
        for (int[] e : each) {
            System.arraycopy(e, 0, out, k, e.length);
            k += e.length;
        }
        Arrays.sort(out);
        int m = 0;
        for (int i = 0; i < out.length; i++) {
            if (m == 0 || out[i] != out[m - 1]) {
                out[m++] = out[i];
            }
        }
        return m == out.length ? out : Arrays.copyOf(out, m);
    }

    /** Sets, in {@code into}, the start position of every occurrence of the literals. */
    public void starts(int[] ids, BitSet into) {
        for (int id : ids) {
            for (int e : endsOf(id)) {
                into.set(e - lengths[id]);
            }
        }
    }

    /** Sets, in {@code into}, the start of every occurrence of the literals that ends at a position in {@code ends}. */
    public void startsEndingAt(int[] ids, BitSet ends, BitSet into) {
        for (int id : ids) {
            for (int e : endsOf(id)) {
                if (ends.get(e)) {
                    into.set(e - lengths[id]);
                }
            }
        }
    }

    /** Where the first occurrence (leftmost start) of any of the literals starts, or -1. */
    public int firstStart(int[] ids) {
        int best = -1;
        for (int id : ids) {
            int[] e = endsOf(id);
            if (e.length > 0 && (best < 0 || e[0] - lengths[id] < best)) {
                best = e[0] - lengths[id];
            }
        }
        return best;
    }

    /** Whether this scan knows the literal (it was registered before the scan). */
    public boolean covers(int id) {
        return id < lengths.length;
    }

    /** The end positions of one literal's occurrences, ascending. */
    private int[] endsOf(int id) {
        if (!has(id)) {
            return NONE;
        }
        if (hits < INDEXED_FROM) {
            int count = 0;
            for (int h = 0; h < hits; h++) {
                if (literal[h] == id) {
                    count++;
                }
            }
            int[] out = new int[count];
            int k = 0;
            for (int h = 0; h < hits; h++) {
                if (literal[h] == id) {
                    out[k++] = end[h];
                }
            }
            return out;
        }
        if (head == null) {
            head = new int[lengths.length];
            previous = new int[end.length];
            for (int h = 0; h < hits; h++) {
                link(h);
            }
        }
        int count = 0;
        for (int h = head[id] - 1; h >= 0; h = previous[h] - 1) {
            count++;
        }
        int[] out = new int[count];
        // The list runs latest first.
        for (int h = head[id] - 1; h >= 0; h = previous[h] - 1) {
            out[--count] = end[h];
        }
        return out;
    }

    private void link(int h) {
        if (previous.length < end.length) {
            previous = Arrays.copyOf(previous, end.length);
        }
        previous[h] = head[literal[h]];
        head[literal[h]] = h + 1;
    }

    private void searchIfPending(int id) {
        if ((pending[id >> 6] & (1L << id)) != 0) {
            pending[id >> 6] &= ~(1L << id);
            String l = lazy[id];
            for (int at = text.indexOf(l); at >= 0; at = text.indexOf(l, at + 1)) {
                add(id, at + l.length());
            }
        }
    }
}
