package io.mcpaudit.rules.content;

/**
 * The names of the hiding techniques the normalizer reports. Rules match them as values of the
 * {@code *.hidden} fields, so they are part of the rule language and must stay stable.
 */
public final class HiddenFinding {
    /** Unicode tag characters (U+E0000–U+E007F) outside an emoji flag sequence. */
    public static final String TAG_CHARS = "hidden.tag_chars";
    /** Bidirectional embedding, override or isolate controls (U+202A–U+202E, U+2066–U+2069). */
    public static final String BIDI = "hidden.bidi";
    /** Zero-width or invisible formatting characters used inside words. */
    public static final String ZERO_WIDTH = "hidden.zero_width";
    /** Runs of variation selectors, which can carry arbitrary bytes invisibly. */
    public static final String VARIATION_SELECTORS = "hidden.variation_selectors";
    /** Any ANSI/VT escape sequence. */
    public static final String ANSI = "hidden.ansi";
    /** ANSI sequences that move the cursor or erase text, so a terminal shows something else. */
    public static final String ANSI_CURSOR = "hidden.ansi_cursor";
    /** ANSI SGR 8 (concealed text). */
    public static final String ANSI_CONCEAL = "hidden.ansi_conceal";
    /** ANSI operating-system commands (window titles, hyperlinks, clipboard). */
    public static final String ANSI_OSC = "hidden.ansi_osc";
    /** C0 control characters other than tab and line breaks (backspace overwrites text). */
    public static final String CONTROL = "hidden.control";
    /** Non-empty HTML comments, which renderers hide but models read. */
    public static final String HTML_COMMENT = "hidden.html_comment";
    /** Markdown link-reference comments such as {@code [//]: # (text)}. */
    public static final String MARKDOWN_COMMENT = "hidden.markdown_comment";
    /** A base64 blob that decodes to readable text. */
    public static final String BASE64_TEXT = "hidden.base64_text";

    private HiddenFinding() {
    }
}
