package io.mcpaudit.rules.sigma.match;

import io.mcpaudit.rules.event.RuleEvent;
import java.util.Arrays;
import java.util.BitSet;

/**
 * Where each literal of a {@link LiteralIndex} occurs in one text: per literal, its end
 * positions (exclusive), latest first. Made by {@link LiteralIndex#scan}; short literals are
 * searched when first asked about. Not thread-safe.
 */
public final class LiteralScan {
    /** Marks a short literal not searched yet. */
    private static final int PENDING = -2;

    private final String text;
    private final int[] lengths;
    private final String[] lazy;
    /** Per literal: its latest hit, -1 for none, or {@link #PENDING}. */
    private final int[] head;
    private int[] end = new int[16];
    /** Per hit: the same literal's previous hit, or -1. */
    private int[] previous = new int[16];
    private int hits;

    LiteralScan(String text, int[] lengths, String[] lazy) {
        this.text = text;
        this.lengths = lengths;
        this.lazy = lazy;
        this.head = new int[lengths.length];
        for (int id = 0; id < head.length; id++) {
            head[id] = lazy[id] == null ? -1 : PENDING;
        }
    }

    /** The head of a literal's hits, searching a short literal first if it was not yet. */
    private int head(int literal) {
        if (head[literal] == PENDING) {
            head[literal] = -1;
            String l = lazy[literal];
            for (int at = text.indexOf(l); at >= 0; at = text.indexOf(l, at + 1)) {
                add(literal, at + l.length());
            }
        }
        return head[literal];
    }

    void add(int literal, int endExclusive) {
        if (hits == end.length) {
            end = Arrays.copyOf(end, hits * 2);
            previous = Arrays.copyOf(previous, hits * 2);
        }
        end[hits] = endExclusive;
        previous[hits] = head[literal];
        head[literal] = hits++;
    }

    /**
     * The scan of {@code text} by {@code index}, made once per text and event for every matcher
     * that shares the index; rescanned when it predates literals up to {@code maxId}.
     */
    static LiteralScan of(LiteralIndex index, String text, String folded, RuleEvent event, int maxId) {
        LiteralScan scan = (LiteralScan) event.perText(index, text);
        if (scan == null || !scan.covers(maxId)) {
            scan = index.scan(folded);
            event.perText(index, text, scan);
        }
        return scan;
    }

    /** Where the first occurrence (leftmost start) of any of the literals starts, or -1. */
    public int firstStart(int[] literals) {
        int best = -1;
        for (int id : literals) {
            if (id < head.length) {
                for (int h = head(id); h >= 0; h = previous[h]) {
                    int start = end[h] - lengths[id];
                    if (best < 0 || start < best) {
                        best = start;
                    }
                }
            }
        }
        return best;
    }

    /** Whether the literal occurs at all. */
    public boolean has(int literal) {
        return literal < head.length && head(literal) >= 0;
    }

    /** Whether any of the literals occurs. */
    public boolean hasAny(int[] literals) {
        for (int id : literals) {
            if (has(id)) {
                return true;
            }
        }
        return false;
    }

    /** Whether any of the literals occurs wholly inside {@code [from, to)}. */
    public boolean hasAnyWithin(int[] literals, int from, int to) {
        for (int id : literals) {
            if (id >= head.length) {
                continue;
            }
            for (int h = head(id); h >= 0; h = previous[h]) {
                if (end[h] <= to && end[h] - lengths[id] >= from) {
                    return true;
                }
                if (end[h] - lengths[id] < from) {
                    break;
                }
            }
        }
        return false;
    }

    /** The end positions of every occurrence of the literals, ascending, without repeats. */
    public int[] sortedEnds(int[] literals) {
        int count = 0;
        for (int id : literals) {
            if (id < head.length) {
                for (int h = head(id); h >= 0; h = previous[h]) {
                    count++;
                }
            }
        }
        int[] out = new int[count];
        int k = 0;
        for (int id : literals) {
            if (id < head.length) {
                for (int h = head(id); h >= 0; h = previous[h]) {
                    out[k++] = end[h];
                }
            }
        }
        if (literals.length > 1) {
            Arrays.sort(out);
        } else {
            // One literal's hits are latest first.
            for (int a = 0, b = out.length - 1; a < b; a++, b--) {
                int t = out[a];
                out[a] = out[b];
                out[b] = t;
            }
        }
        int m = 0;
        for (int i = 0; i < out.length; i++) {
            if (m == 0 || out[i] != out[m - 1]) {
                out[m++] = out[i];
            }
        }
        return m == out.length ? out : Arrays.copyOf(out, m);
    }

    /** Sets, in {@code into}, the end position of every occurrence of the literals. */
    public void ends(int[] literals, BitSet into) {
        for (int id : literals) {
            if (id < head.length) {
                for (int h = head(id); h >= 0; h = previous[h]) {
                    into.set(end[h]);
                }
            }
        }
    }

    /** Sets, in {@code into}, the start position of every occurrence of the literals. */
    public void starts(int[] literals, BitSet into) {
        for (int id : literals) {
            if (id < head.length) {
                for (int h = head(id); h >= 0; h = previous[h]) {
                    into.set(end[h] - lengths[id]);
                }
            }
        }
    }

    /** Sets, in {@code into}, the start of every occurrence of the literals that ends at a position in {@code ends}. */
    public void startsEndingAt(int[] literals, BitSet ends, BitSet into) {
        for (int id : literals) {
            if (id < head.length) {
                for (int h = head(id); h >= 0; h = previous[h]) {
                    if (ends.get(end[h])) {
                        into.set(end[h] - lengths[id]);
                    }
                }
            }
        }
    }

    /** Whether this scan knows the literal (it was registered before the scan). */
    public boolean covers(int literal) {
        return literal < head.length;
    }
}
