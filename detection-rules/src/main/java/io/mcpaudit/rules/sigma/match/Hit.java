package io.mcpaudit.rules.sigma.match;

/**
 * Why a search matched: the search identifier, the field (empty for keywords), the rule value
 * that matched and a short excerpt of the event value around the match.
 */
public record Hit(String identifier, String field, String ruleValue, String excerpt) {

    /** Stands for "matched" when no explanation was asked for, to avoid building excerpts. */
    static final Hit NONE = new Hit("", "", "", "");

    private static final int BEFORE = 40;
    private static final int AFTER = 80;

    /** A one-line excerpt of {@code text} around {@code index}. */
    public static String excerpt(String text, int index) {
        if (text == null) {
            return "null";
        }
        int at = Math.max(0, Math.min(index, text.length()));
        int from = Math.max(0, at - BEFORE);
        int to = Math.min(text.length(), at + AFTER);
        String s = text.substring(from, to).replaceAll("\\s+", " ");
        return (from > 0 ? "…" : "") + s + (to < text.length() ? "…" : "");
    }
}
