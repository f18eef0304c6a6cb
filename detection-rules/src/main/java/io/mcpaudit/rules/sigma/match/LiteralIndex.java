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
 * hits that few rules ever ask about; they are searched only when a rule asks, once per text.
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

    /** The id of a (case-folded, non-empty) literal, registering it if new. */
    public synchronized int id(String literal) {
        if (literal.isEmpty()) {
            throw new IllegalArgumentException("empty literal");
        }
        return ids.computeIfAbsent(literal, l -> {
            literals.add(l);
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
        if (a == null || a.lengths.length != literalCount()) {
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

    private synchronized int literalCount() {
        return literals.size();
    }

    /** The automaton for a fixed list of literals. */
    private static final class Automaton {
        final int[] lengths;
        /** Per literal: itself when searched on request, else null. */
        private final String[] lazy;
        /** Character class of each ASCII character (0: in no literal); other characters below. */
        private final int[] asciiClass = new int[ASCII];
        /** The other characters of the literals, sorted, and their classes. */
        private final char[] otherChars;
        private final int[] otherClasses;
        private final int classes;
        /** {@code next[state * classes + class]}: the full transition function. */
        private final int[] next;
        /** Per state: ids of every literal ending there (directly or as a suffix), or null. */
        private final int[][] out;

        Automaton(List<String> literals) {
            lengths = literals.stream().mapToInt(String::length).toArray();
            lazy = literals.stream().map(l -> l.length() < EAGER_FROM ? l : null).toArray(String[]::new);
            int c = 1;
            java.util.TreeSet<Character> other = new java.util.TreeSet<>();
            for (String l : literals) {
                if (l.length() < EAGER_FROM) {
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
            next = new int[states * classes];
            out = new int[states][];
            int[] fail = new int[states];
            // Breadth first: a state's failure target is shallower, so its row is complete.
            ArrayDeque<Integer> queue = new ArrayDeque<>();
            for (int cls = 0; cls < classes; cls++) {
                int t = trie.get(0)[cls];
                next[cls] = Math.max(t, 0);
                if (t > 0) {
                    fail[t] = 0;
                    queue.add(t);
                }
            }
            out[0] = null;
            while (!queue.isEmpty()) {
                int s = queue.poll();
                List<Integer> here = new ArrayList<>(ends.get(s));
                if (out[fail[s]] != null) {
                    for (int id : out[fail[s]]) {
                        here.add(id);
                    }
                }
                out[s] = here.isEmpty() ? null : here.stream().mapToInt(Integer::intValue).toArray();
                for (int cls = 0; cls < classes; cls++) {
                    int t = trie.get(s)[cls];
                    if (t > 0) {
                        fail[t] = next[fail[s] * classes + cls];
                        next[s * classes + cls] = t;
                        queue.add(t);
                    } else {
                        next[s * classes + cls] = next[fail[s] * classes + cls];
                    }
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
            LiteralScan scan = new LiteralScan(text, lengths, lazy);
            int state = 0;
            boolean other = otherChars.length > 0;
            for (int i = 0, n = text.length(); i < n; i++) {
                char ch = text.charAt(i);
                int cls = ch < ASCII ? asciiClass[ch] : other ? classOf(ch) : 0;
                state = next[state * classes + cls];
                int[] found = out[state];
                if (found != null) {
                    for (int id : found) {
                        scan.add(id, i + 1);
                    }
                }
            }
            return scan;
        }
    }
}
