package io.mcpaudit.rules.sigma.match;

import java.util.Arrays;
import java.util.BitSet;

/**
 * Where each literal of a {@link LiteralIndex} occurs in one text: per literal, its end
 * positions (exclusive), latest first. Made by {@link LiteralIndex#scan}; not thread-safe.
 */
public final class LiteralScan {
    private final int[] lengths;
    /** Per literal: its latest hit, or -1. */
    private final int[] head;
    private int[] end = new int[16];
    /** Per hit: the same literal's previous hit, or -1. */
    private int[] previous = new int[16];
    private int hits;

    LiteralScan(int[] lengths) {
        this.lengths = lengths;
        this.head = new int[lengths.length];
        Arrays.fill(head, -1);
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

    /** Whether the literal occurs at all. */
    public boolean has(int literal) {
        return literal < head.length && head[literal] >= 0;
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
            for (int h = head[id]; h >= 0; h = previous[h]) {
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

    /** Sets, in {@code into}, the end position of every occurrence of the literals. */
    public void ends(int[] literals, BitSet into) {
        for (int id : literals) {
            if (id < head.length) {
                for (int h = head[id]; h >= 0; h = previous[h]) {
                    into.set(end[h]);
                }
            }
        }
    }

    /** Sets, in {@code into}, the start position of every occurrence of the literals. */
    public void starts(int[] literals, BitSet into) {
        for (int id : literals) {
            if (id < head.length) {
                for (int h = head[id]; h >= 0; h = previous[h]) {
                    into.set(end[h] - lengths[id]);
                }
            }
        }
    }

    /** Whether this scan knows the literal (it was registered before the scan). */
    public boolean covers(int literal) {
        return literal < head.length;
    }
}
