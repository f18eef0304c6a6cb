package io.mcpaudit.rules.sigma;

import com.google.re2j.Pattern;
import java.util.ArrayList;
import java.util.List;

/**
 * A Sigma string value: literal text with {@code *} and {@code ?} wildcards, where a backslash
 * escapes a wildcard or another backslash and is literal before anything else.
 */
public record SigmaString(List<Part> parts) {

    /** A piece of a value: literal text or a wildcard. */
    public sealed interface Part permits Literal, AnyChars, OneChar {
    }

    public record Literal(String text) implements Part {
    }

    public record AnyChars() implements Part {
    }

    public record OneChar() implements Part {
    }

    public SigmaString {
        parts = List.copyOf(parts);
    }

    public static SigmaString parse(String raw) {
        List<Part> parts = new ArrayList<>();
        StringBuilder lit = new StringBuilder();
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '\\' && i + 1 < raw.length() && isSpecial(raw.charAt(i + 1))) {
                lit.append(raw.charAt(++i));
            } else if (c == '*' || c == '?') {
                if (lit.length() > 0) {
                    parts.add(new Literal(lit.toString()));
                    lit.setLength(0);
                }
                parts.add(c == '*' ? new AnyChars() : new OneChar());
            } else {
                lit.append(c);
            }
        }
        if (lit.length() > 0) {
            parts.add(new Literal(lit.toString()));
        }
        return new SigmaString(parts);
    }

    /** A value taken literally, as produced by encoding modifiers. */
    public static SigmaString literal(String text) {
        return new SigmaString(text.isEmpty() ? List.of() : List.of(new Literal(text)));
    }

    private static boolean isSpecial(char c) {
        return c == '*' || c == '?' || c == '\\';
    }

    public SigmaString withLeadingAny() {
        if (!parts.isEmpty() && parts.get(0) instanceof AnyChars) {
            return this;
        }
        List<Part> p = new ArrayList<>();
        p.add(new AnyChars());
        p.addAll(parts);
        return new SigmaString(p);
    }

    public SigmaString withTrailingAny() {
        if (!parts.isEmpty() && parts.get(parts.size() - 1) instanceof AnyChars) {
            return this;
        }
        List<Part> p = new ArrayList<>(parts);
        p.add(new AnyChars());
        return new SigmaString(p);
    }

    public boolean hasWildcards() {
        return parts.stream().anyMatch(p -> !(p instanceof Literal));
    }

    /** The text with wildcards removed from both ends, when no wildcard remains inside. */
    public boolean isLiteralCore() {
        int from = 0;
        int to = parts.size();
        if (to > 0 && parts.get(0) instanceof AnyChars) {
            from++;
        }
        if (to > from && parts.get(to - 1) instanceof AnyChars) {
            to--;
        }
        for (int i = from; i < to; i++) {
            if (!(parts.get(i) instanceof Literal)) {
                return false;
            }
        }
        return to - from <= 1;
    }

    public boolean startsWithAny() {
        return !parts.isEmpty() && parts.get(0) instanceof AnyChars;
    }

    public boolean endsWithAny() {
        return !parts.isEmpty() && parts.get(parts.size() - 1) instanceof AnyChars;
    }

    /** The literal text of the value (wildcards dropped); meaningful when {@link #isLiteralCore}. */
    public String literalText() {
        StringBuilder b = new StringBuilder();
        for (Part p : parts) {
            if (p instanceof Literal l) {
                b.append(l.text());
            }
        }
        return b.toString();
    }

    /** An RE2 pattern matching the whole value. */
    public String toRegex() {
        StringBuilder b = new StringBuilder();
        for (Part p : parts) {
            if (p instanceof Literal l) {
                b.append(Pattern.quote(l.text()));
            } else if (p instanceof AnyChars) {
                b.append(".*");
            } else {
                b.append('.');
            }
        }
        return b.toString();
    }
}
