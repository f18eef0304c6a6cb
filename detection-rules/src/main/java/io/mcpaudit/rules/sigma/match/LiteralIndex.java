package io.mcpaudit.rules.sigma.match;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Every literal the regex prefilters, proximity chains and anchor windows of a rule pack need,
 * found in one pass per text: an Aho-Corasick automaton turned into a full transition table
 * over the literals' alphabet (a few dozen character classes), so the pass costs one table
 * lookup per character however many rules and literals there are. Before it, each rule searched
 * each of its literals on its own: the same texts were scanned hundreds of times per event.
 *
 * <p>Literals shorter than {@value #EAGER_FROM} characters ("to", "ai") would flood the pass with
 * hits that few rules ever ask about, and literals outside ASCII (a few rules for other scripts)
 * would each add a character class and widen every row of the table: both are searched only
 * when a rule asks, once per text. The table stays small enough for the processor's cache,
 * which is what the pass's speed depends on.
 *
 * <p>Literals are registered while rules compile and get stable ids; the automaton is built on
 * the first scan and rebuilt when literals were added since (rules compiled later, as on a hot
 * reload). Literals and scanned texts are case-folded by the caller. Thread-safe.
 */
public final class LiteralIndex {
    private static final int ASCII = 128;
    /** Literals at least this long are found by the automaton; shorter ones on request. */
    static final int EAGER_FROM = 3;

    private final Map<String, Integer> ids = new HashMap<>();
    private final List<String> literals = new ArrayList<>();
    private volatile Automaton automaton;
    /** How many literals are registered (read without the lock on every scan). */
    private volatile int count;

    /** The id of a (case-folded, non-empty) literal, registering it if new. */
    public synchronized int id(String literal) {
        if (literal.isEmpty()) {
            throw new IllegalArgumentException("empty literal");
        }
        return ids.computeIfAbsent(literal, l -> {
            literals.add(l);
            count = literals.size();
            return literals.size() - 1;
        });
    }

    /** Ids of several literals, in order. */
    public int[] ids(List<String> literals) {
        int[] out = new int[literals.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = id(literals.get(i));
        }
        return out;
    }

    /** How many literals are registered (ids run from 0 to one less). */
    public int size() {
        return count;
    }

    /** Length of the literal with this id. */
    public int length(int id) {
        return automaton().lengths[id];
    }

    /** Every occurrence of every registered literal in {@code folded}. */
    public LiteralScan scan(String folded) {
        return automaton().scan(folded);
    }

    private Automaton automaton() {
        Automaton a = automaton;
        if (a == null || a.lengths.length != count) {
            synchronized (this) {
                a = automaton;
                if (a == null || a.lengths.length != literals.size()) {
                    a = new Automaton(List.copyOf(literals));
                    automaton = a;
                }
            }
        }
        return a;
    }

    /** The automaton for a fixed list of literals. */
    private static final class Automaton {
        final int[] lengths;
        /** Per literal: itself when searched on request, else null. */
        private final String[] lazy;
        /** Bits of the literals searched on request. */
        private final long[] lazyMask;
        /** Character class of each ASCII character (0: in no literal); other characters below. */
        private final int[] asciiClass = new int[ASCII];
        /** The other characters of the literals, sorted, and their classes. */
        private final char[] otherChars;
        private final int[] otherClasses;
        private final int classes;
        /**
         * {@code next[state * classes + class]}: the full transition function. States are
         * numbered breadth first (the shallow states a text mostly moves between sit together),
         * with the states where literals end last, from {@link #firstOutput} on.
         */
        private final char[] next;
        /** Per state: ids of every literal ending there (directly or as a suffix), or null. */
        private final int[][] out;
        private final int firstOutput;

        Automaton(List<String> literals) {
            lengths = literals.stream().mapToInt(String::length).toArray();
            lazy = literals.stream().map(l -> l.length() < EAGER_FROM || !l.chars().allMatch(ch -> ch < ASCII) ? l : null)
                    .toArray(String[]::new);
            lazyMask = new long[(lazy.length + 63) / 64];
            for (int id = 0; id < lazy.length; id++) {
                if (lazy[id] != null) {
                    lazyMask[id >> 6] |= 1L << id;
                }
            }
            int c = 1;
            java.util.TreeSet<Character> other = new java.util.TreeSet<>();
            for (int id = 0; id < literals.size(); id++) {
                String l = literals.get(id);
                if (lazy[id] != null) {
                    continue;
                }
                for (int k = 0; k < l.length(); k++) {
                    char ch = l.charAt(k);
                    if (ch >= ASCII) {
                        other.add(ch);
                    } else if (asciiClass[ch] == 0) {
                        asciiClass[ch] = c++;
                    }
                }
            }
            otherChars = new char[other.size()];
            otherClasses = new int[other.size()];
            int o = 0;
            for (char ch : other) {
                otherChars[o] = ch;
                otherClasses[o++] = c++;
            }
            classes = c;
            // The trie, with goto transitions only (-1: none).
            List<int[]> trie = new ArrayList<>();
            List<List<Integer>> ends = new ArrayList<>();
            trie.add(newRow());
            ends.add(new ArrayList<>());
            for (int id = 0; id < literals.size(); id++) {
                String l = literals.get(id);
                if (lazy[id] != null) {
                    continue;
                }
                int state = 0;
                for (int k = 0; k < l.length(); k++) {
                    int cls = classOf(l.charAt(k));
                    if (trie.get(state)[cls] < 0) {
                        trie.get(state)[cls] = trie.size();
                        trie.add(newRow());
                        ends.add(new ArrayList<>());
                    }
                    state = trie.get(state)[cls];
                }
                ends.get(state).add(id);
            }
            int states = trie.size();
            int[] table = new int[states * classes];
            int[][] outputs = new int[states][];
            int[] fail = new int[states];
            int[] order = new int[states];
            int ordered = 0;
            order[ordered++] = 0;
            // Breadth first: a state's failure target is shallower, so its row is complete.
            ArrayDeque<Integer> queue = new ArrayDeque<>();
            for (int cls = 0; cls < classes; cls++) {
                int t = trie.get(0)[cls];
                table[cls] = Math.max(t, 0);
                if (t > 0) {
                    fail[t] = 0;
                    queue.add(t);
                }
            }
            while (!queue.isEmpty()) {
                int s = queue.poll();
                order[ordered++] = s;
                List<Integer> here = new ArrayList<>(ends.get(s));
                if (outputs[fail[s]] != null) {
                    for (int id : outputs[fail[s]]) {
                        here.add(id);
                    }
                }
                outputs[s] = here.isEmpty() ? null : here.stream().mapToInt(Integer::intValue).toArray();
                for (int cls = 0; cls < classes; cls++) {
                    int t = trie.get(s)[cls];
                    if (t > 0) {
                        fail[t] = table[fail[s] * classes + cls];
                        table[s * classes + cls] = t;
                        queue.add(t);
                    } else {
                        table[s * classes + cls] = table[fail[s] * classes + cls];
                    }
                }
            }
            // Renumber: breadth-first order, states without output first.
            int[] renamed = new int[states];
            int k = 0;
            for (int s : order) {
                if (outputs[s] == null) {
                    renamed[s] = k++;
                }
            }
            firstOutput = k;
            for (int s : order) {
                if (outputs[s] != null) {
                    renamed[s] = k++;
                }
            }
            if (states > Character.MAX_VALUE) {
                throw new IllegalStateException("more than 65535 automaton states: " + states);
            }
            next = new char[states * classes];
            out = new int[states][];
            for (int s = 0; s < states; s++) {
                out[renamed[s]] = outputs[s];
                for (int cls = 0; cls < classes; cls++) {
                    next[renamed[s] * classes + cls] = (char) renamed[table[s * classes + cls]];
                }
            }
        }

        private int[] newRow() {
            int[] row = new int[classes];
            Arrays.fill(row, -1);
            return row;
        }

        private int classOf(char ch) {
            if (ch < ASCII) {
                return asciiClass[ch];
            }
            int at = Arrays.binarySearch(otherChars, ch);
            return at >= 0 ? otherClasses[at] : 0;
        }

        LiteralScan scan(String text) {
            LiteralScan scan = new LiteralScan(text, lengths, lazy, lazyMask);
            char[] table = next;
            int width = classes;
            boolean other = otherChars.length > 0;
            int state = 0;
            // One lookup per character; its cost is the table's distance in the cache hierarchy.
            for (int i = 0, n = text.length(); i < n; i++) {
                char ch = text.charAt(i);
                int cls = ch < ASCII ? asciiClass[ch] : other ? classOf(ch) : 0;
                state = table[state * width + cls];
                if (state >= firstOutput) {
                    for (int id : out[state]) {
                        scan.add(id, i + 1);
                    }
                }
            }
            return scan;
        }
    }
}
