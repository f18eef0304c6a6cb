package io.mcpaudit.rules.content;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;

/**
 * Finds any of many literal strings in one pass (Aho-Corasick), in time linear in the text
 * whatever the number of literals.
 *
 * <p>Written here rather than taken from a library: the best-known Java implementation on Maven
 * Central (org.ahocorasick, latest release 0.6.3) is no longer maintained and allocates a result
 * object per hit, while rules only need "does any literal occur, and where is the first one",
 * with case folding done on the fly. Below about 24 literals, one substring search per literal
 * is faster than any automaton (measured, see docs/rules.md), so callers only use this above
 * that. The automaton is immutable after construction and safe to share between threads.
 */
public final class LiteralSet {
    /** A literal found in a text: where it starts and which literal it was. */
    public record Hit(int start, int literal) {
    }

    private static final int ASCII = 128;

    private final boolean ignoreCase;
    private final List<String> literals;
    /** Dense transitions of the root for ASCII, the common case in rules and texts (0 = none). */
    private final int[] rootAscii = new int[ASCII];
    /** Per node: sorted transition characters and their targets. */
    private char[][] keys;
    private int[][] targets;
    private int[] fail;
    /** Per node: index of the shortest literal ending here (directly or by suffix), or -1. */
    private int[] output;
    private int size;

    private LiteralSet(List<String> literals, boolean ignoreCase) {
        this.ignoreCase = ignoreCase;
        this.literals = List.copyOf(literals);
        build();
    }

    /** Builds the set; with {@code ignoreCase} both literals and text are folded to lower case. */
    public static LiteralSet of(List<String> literals, boolean ignoreCase) {
        if (literals.isEmpty() || literals.stream().anyMatch(String::isEmpty)) {
            throw new IllegalArgumentException("literals must be non-empty strings");
        }
        return new LiteralSet(literals, ignoreCase);
    }

    public List<String> literals() {
        return literals;
    }

    private char fold(char c) {
        return ignoreCase ? Character.toLowerCase(c) : c;
    }

    private void build() {
        int capacity = 1;
        for (String l : literals) {
            capacity += l.length();
        }
        keys = new char[capacity][];
        targets = new int[capacity][];
        fail = new int[capacity];
        output = new int[capacity];
        Arrays.fill(output, -1);
        keys[0] = new char[0];
        targets[0] = new int[0];
        size = 1;
        for (int li = 0; li < literals.size(); li++) {
            String lit = literals.get(li);
            int node = 0;
            for (int k = 0; k < lit.length(); k++) {
                char c = fold(lit.charAt(k));
                int next = child(node, c);
                if (next < 0) {
                    next = addNode(node, c);
                }
                node = next;
            }
            if (output[node] < 0 || literals.get(output[node]).length() > lit.length()) {
                output[node] = li;
            }
        }
        Arrays.fill(rootAscii, 0);
        for (int k = 0; k < keys[0].length; k++) {
            if (keys[0][k] < ASCII) {
                rootAscii[keys[0][k]] = targets[0][k];
            }
        }
        linkFailures();
        built = true;
    }

    private int addNode(int parent, char c) {
        int node = size++;
        keys[node] = new char[0];
        targets[node] = new int[0];
        char[] ks = keys[parent];
        int pos = -Arrays.binarySearch(ks, c) - 1;
        char[] nk = new char[ks.length + 1];
        int[] nt = new int[ks.length + 1];
        System.arraycopy(ks, 0, nk, 0, pos);
        System.arraycopy(targets[parent], 0, nt, 0, pos);
        nk[pos] = c;
        nt[pos] = node;
        System.arraycopy(ks, pos, nk, pos + 1, ks.length - pos);
        System.arraycopy(targets[parent], pos, nt, pos + 1, ks.length - pos);
        keys[parent] = nk;
        targets[parent] = nt;
        return node;
    }

    private void linkFailures() {
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        for (int t : targets[0]) {
            fail[t] = 0;
            queue.add(t);
        }
        while (!queue.isEmpty()) {
            int node = queue.poll();
            for (int k = 0; k < keys[node].length; k++) {
                char c = keys[node][k];
                int child = targets[node][k];
                int f = fail[node];
                while (f > 0 && child(f, c) < 0) {
                    f = fail[f];
                }
                int g = child(f, c);
                fail[child] = g >= 0 && g != child ? g : 0;
                if (output[child] < 0) {
                    output[child] = output[fail[child]];
                }
                queue.add(child);
            }
        }
    }

    private boolean built;

    private int child(int node, char c) {
        if (node == 0 && c < ASCII && built) {
            int t = rootAscii[c];
            return t > 0 ? t : -1;
        }
        char[] ks = keys[node];
        if (ks.length <= 8) {
            // Most nodes have one or two children; a scan beats a binary search there.
            for (int k = 0; k < ks.length; k++) {
                if (ks[k] == c) {
                    return targets[node][k];
                }
            }
            return -1;
        }
        int pos = Arrays.binarySearch(ks, c);
        return pos >= 0 ? targets[node][pos] : -1;
    }

    /** The first literal (by end position) occurring in {@code text}, or null. */
    public Hit find(CharSequence text) {
        int node = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = ignoreCase ? Character.toLowerCase(text.charAt(i)) : text.charAt(i);
            int next;
            while ((next = child(node, c)) < 0 && node != 0) {
                node = fail[node];
            }
            node = next < 0 ? 0 : next;
            int out = output[node];
            if (out >= 0) {
                return new Hit(i + 1 - literals.get(out).length(), out);
            }
        }
        return null;
    }

    public boolean containsAny(CharSequence text) {
        return find(text) != null;
    }
}
