package io.mcpaudit.rules.content;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.TreeSet;

/**
 * Turns untrusted text (tool results, resources, prompts, tool descriptions) into what a model
 * would read, and reports how it was hidden. Every step is a single left-to-right pass, so the
 * cost is linear in the input whatever the input contains.
 */
public final class ContentNormalizer {
    private static final int MIN_BASE64_RUN = 24;
    /** Bounds the work spent on decoding blobs in a huge, adversarial input. */
    private static final int MAX_BASE64_BLOBS = 64;
    private static final int MAX_DECODED_CHARS = 64 * 1024;
    private static final int WAVING_BLACK_FLAG = 0x1F3F4;

    public NormalizedContent normalize(String input) {
        TreeSet<String> findings = new TreeSet<>();
        List<String> revealed = new ArrayList<>();
        String s = decodeJsonEscapes(input);
        s = stripTerminalSequences(s, findings);
        if (!isPlainAscii(s)) {
            // Printable ASCII is already NFKC and holds no invisible characters.
            s = removeInvisibles(s, findings, revealed);
            s = Normalizer.normalize(s, Normalizer.Form.NFKC);
        }
        s = surfaceComments(s, findings, revealed);
        s = appendDecodedBase64(s, findings, revealed);
        return new NormalizedContent(s, findings, revealed);
    }

    /**
     * Decodes the string escapes of JSON text ({@code \\n}, {@code \\"}, {@code \\uXXXX} …).
     * Tool arguments and input schemas often arrive as JSON text, where line breaks, ESC and
     * invisible characters are escaped and would otherwise never be seen as what they are.
     * Only text that is JSON (starts with '{' or '[') is decoded: prose and source code that
     * merely mention an escape such as "\\u200b" must not look like hidden text.
     */
    static String decodeJsonEscapes(String s) {
        String t = s.stripLeading();
        if (t.isEmpty() || t.charAt(0) != '{' && t.charAt(0) != '[' || s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        int i = 0;
        int n = s.length();
        while (i < n) {
            int escape = s.indexOf('\\', i);
            if (escape < 0 || escape + 1 >= n) {
                out.append(s, i, n);
                break;
            }
            // Everything up to the next backslash is copied as it is, in one piece.
            out.append(s, i, escape);
            i = escape;
            char c = '\\';
            char e = s.charAt(i + 1);
            if (e == 'u' && i + 6 <= n && isHex4(s, i + 2)) {
                out.append((char) Integer.parseInt(s.substring(i + 2, i + 6), 16));
                i += 6;
                continue;
            }
            // \b and \f are left alone: decoding them would invent control characters.
            switch (e) {
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case '"', '\\', '/' -> out.append(e);
                default -> out.append(c).append(e);
            }
            i += 2;
        }
        return out.toString();
    }

    private static boolean isHex4(String s, int from) {
        for (int k = from; k < from + 4; k++) {
            if (Character.digit(s.charAt(k), 16) < 0) {
                return false;
            }
        }
        return true;
    }

    /** Removes ANSI/VT escape sequences and C0 controls, classifying what they could do. */
    static String stripTerminalSequences(String s, TreeSet<String> findings) {
        if (s.indexOf('\u001b') < 0 && s.indexOf('\u009b') < 0 && !hasControl(s)) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        int i = 0;
        int n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            if (c >= 0x20 && c != 0x7f && c != '\u009b' || c == '\t' || c == '\n' || c == '\r') {
                // A run of ordinary characters is copied in one piece.
                int run = i + 1;
                while (run < n && isOrdinary(s.charAt(run))) {
                    run++;
                }
                out.append(s, i, run);
                i = run;
                continue;
            }
            if (c == '\u001b' && i + 1 < n && s.charAt(i + 1) == '[' || c == '\u009b') {
                int start = c == '\u009b' ? i + 1 : i + 2;
                int j = start;
                while (j < n && s.charAt(j) >= 0x20 && s.charAt(j) <= 0x3f) {
                    j++;
                }
                while (j < n && s.charAt(j) >= 0x20 && s.charAt(j) <= 0x2f) {
                    j++;
                }
                findings.add(HiddenFinding.ANSI);
                if (j < n && s.charAt(j) >= 0x40 && s.charAt(j) <= 0x7e) {
                    classifyCsi(s.substring(start, j), s.charAt(j), findings);
                    j++;
                }
                i = j;
            } else if (c == '\u001b' && i + 1 < n && s.charAt(i + 1) == ']') {
                findings.add(HiddenFinding.ANSI);
                findings.add(HiddenFinding.ANSI_OSC);
                int j = i + 2;
                while (j < n && s.charAt(j) != '\u0007' && !(s.charAt(j) == '\u001b' && j + 1 < n && s.charAt(j + 1) == '\\')) {
                    j++;
                }
                i = j >= n ? n : s.charAt(j) == '\u0007' ? j + 1 : j + 2;
            } else if (c == '\u001b') {
                findings.add(HiddenFinding.ANSI);
                i = Math.min(n, i + 2);
            } else if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c == 0x7f) {
                findings.add(HiddenFinding.CONTROL);
                i++;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    /** Not the start of a terminal sequence and not a control character to drop. */
    private static boolean isOrdinary(char c) {
        return c >= 0x20 && c != 0x7f && c != '\u009b' || c == '\t' || c == '\n' || c == '\r';
    }

    private static boolean hasControl(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c == 0x7f) {
                return true;
            }
        }
        return false;
    }

    private static void classifyCsi(String params, char fin, TreeSet<String> findings) {
        if (fin == 'm') {
            for (String p : params.split("[;:]")) {
                if (p.equals("8")) {
                    findings.add(HiddenFinding.ANSI_CONCEAL);
                }
            }
        } else {
            // Everything but SGR can move the cursor, erase or rewrite what the user sees.
            findings.add(HiddenFinding.ANSI_CURSOR);
        }
    }

    /** Removes invisible code points; tag characters and variation-selector payloads are decoded. */
    static String removeInvisibles(String s, TreeSet<String> findings, List<String> revealed) {
        if (isPlainAscii(s) || !mayHideSomething(s)) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        StringBuilder tagRun = new StringBuilder();
        List<Integer> selectorRun = new ArrayList<>();
        int prev = -1;
        int i = 0;
        while (i < s.length()) {
            if (!mayHide(s.charAt(i))) {
                // A run of visible text is copied in one piece; it ends every pending run.
                int run = i + 1;
                while (run < s.length() && !mayHide(s.charAt(run))) {
                    run++;
                }
                flushTags(tagRun, out, revealed);
                flushSelectors(selectorRun, out, findings, revealed);
                out.append(s, i, run);
                prev = s.codePointBefore(run);
                i = run;
                continue;
            }
            int cp = s.codePointAt(i);
            int next = i + Character.charCount(cp) < s.length() ? s.codePointAt(i + Character.charCount(cp)) : -1;
            if (cp >= 0xE0000 && cp <= 0xE007F) {
                int flagEnd = prev == WAVING_BLACK_FLAG && tagRun.length() == 0 ? emojiFlagEnd(s, i) : -1;
                if (flagEnd > 0) {
                    i = flagEnd;
                    continue;
                }
                if (cp >= 0xE0020 && cp <= 0xE007E) {
                    tagRun.append((char) (cp - 0xE0000));
                }
                findings.add(HiddenFinding.TAG_CHARS);
                i += Character.charCount(cp);
                continue;
            }
            flushTags(tagRun, out, revealed);
            if (isVariationSelector(cp)) {
                selectorRun.add(cp);
                i += Character.charCount(cp);
                continue;
            }
            flushSelectors(selectorRun, out, findings, revealed);
            if (isBidiControl(cp)) {
                findings.add(HiddenFinding.BIDI);
            } else if (isBidiMark(cp)) {
                // Directional marks are routine in right-to-left text; removed, not reported.
            } else if (isAlwaysHiddenZeroWidth(cp, i)) {
                findings.add(HiddenFinding.ZERO_WIDTH);
            } else if (isJoinerOrSoftHyphen(cp)) {
                // ZWJ/ZWNJ/soft hyphens are legitimate in emoji, Persian, Indic scripts and
                // typesetting; inside a Latin word they only serve to split a keyword.
                if (isAsciiLetter(prev) && isAsciiLetter(next)) {
                    findings.add(HiddenFinding.ZERO_WIDTH);
                }
            } else {
                out.appendCodePoint(cp);
                prev = cp;
            }
            i += Character.charCount(cp);
        }
        flushTags(tagRun, out, revealed);
        flushSelectors(selectorRun, out, findings, revealed);
        return out.toString();
    }

    /**
     * End index of an emoji subdivision flag's tag sequence (2–7 tag letters or digits closed by
     * CANCEL TAG) starting at {@code i}, or -1. Anything longer is not a flag but a payload.
     */
    private static int emojiFlagEnd(String s, int i) {
        int count = 0;
        int j = i;
        while (j < s.length()) {
            int cp = s.codePointAt(j);
            if (cp == 0xE007F) {
                return count >= 2 && count <= 7 ? j + 2 : -1;
            }
            boolean tagAlnum = cp >= 0xE0030 && cp <= 0xE0039 || cp >= 0xE0061 && cp <= 0xE007A;
            if (!tagAlnum || ++count > 7) {
                return -1;
            }
            j += 2;
        }
        return -1;
    }

    /**
     * Whether {@code s} holds a UTF-16 unit of any code point {@link #removeInvisibles} removes:
     * most non-ASCII text (accents, dashes, quotes, emoji) holds none and is kept as it is.
     */
    private static boolean mayHideSomething(String s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            if (mayHide(s.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    /** Whether the UTF-16 unit belongs to a code point {@link #removeInvisibles} treats specially. */
    private static boolean mayHide(char c) {
        return c >= 0x00AD && (c == 0x00AD || c == 0x061C || c == 0x180E || c >= 0x200B && c <= 0x200F
                || c >= 0x202A && c <= 0x202E || c >= 0x2060 && c <= 0x2069 || c >= 0xFE00 && c <= 0xFE0F || c == 0xFEFF
                // The high surrogate of U+E0000–U+E03FF: tag characters and the supplementary variation selectors.
                || c == 0xDB40);
    }

    private static boolean isPlainAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) > 0x7e) {
                return false;
            }
        }
        return true;
    }

    private static void flushTags(StringBuilder tagRun, StringBuilder out, List<String> revealed) {
        if (tagRun.length() > 0) {
            // Spaces keep the decoded words from gluing onto the visible ones around them.
            out.append(' ').append(tagRun).append(' ');
            revealed.add(tagRun.toString());
            tagRun.setLength(0);
        }
    }

    /**
     * A lone FE0F after an emoji is ordinary; a run of selectors encodes bytes (FE00–FE0F for
     * 0–15, E0100–E01EF for 16–255), a known way to smuggle text inside one visible character.
     */
    private static void flushSelectors(List<Integer> run, StringBuilder out, TreeSet<String> findings, List<String> revealed) {
        if (run.isEmpty()) {
            return;
        }
        boolean supplementary = run.stream().anyMatch(cp -> cp >= 0xE0100);
        if (run.size() >= 2 || supplementary) {
            findings.add(HiddenFinding.VARIATION_SELECTORS);
            byte[] bytes = new byte[run.size()];
            for (int k = 0; k < run.size(); k++) {
                int cp = run.get(k);
                bytes[k] = (byte) (cp >= 0xE0100 ? cp - 0xE0100 + 16 : cp - 0xFE00);
            }
            String decoded = printableUtf8(bytes);
            if (decoded != null) {
                out.append(' ').append(decoded).append(' ');
                revealed.add(decoded);
            }
        }
        run.clear();
    }

    private static boolean isVariationSelector(int cp) {
        return cp >= 0xFE00 && cp <= 0xFE0F || cp >= 0xE0100 && cp <= 0xE01EF;
    }

    private static boolean isBidiControl(int cp) {
        return cp >= 0x202A && cp <= 0x202E || cp >= 0x2066 && cp <= 0x2069;
    }

    private static boolean isBidiMark(int cp) {
        return cp == 0x200E || cp == 0x200F || cp == 0x061C;
    }

    private static boolean isAlwaysHiddenZeroWidth(int cp, int index) {
        return cp == 0x200B || cp == 0x2060 || cp == 0x180E || cp >= 0x2061 && cp <= 0x2064
                || cp == 0xFEFF && index > 0;
    }

    private static boolean isJoinerOrSoftHyphen(int cp) {
        return cp == 0x200C || cp == 0x200D || cp == 0x00AD || cp == 0xFEFF;
    }

    private static boolean isAsciiLetter(int cp) {
        return cp >= 'a' && cp <= 'z' || cp >= 'A' && cp <= 'Z';
    }

    /** Replaces HTML and Markdown comments by their bodies, so hidden text becomes visible. */
    static String surfaceComments(String s, TreeSet<String> findings, List<String> revealed) {
        String out = s;
        if (out.contains("<!--")) {
            StringBuilder b = new StringBuilder(out.length());
            int i = 0;
            while (true) {
                int open = out.indexOf("<!--", i);
                if (open < 0) {
                    b.append(out, i, out.length());
                    break;
                }
                int close = out.indexOf("-->", open + 4);
                int end = close < 0 ? out.length() : close;
                String body = out.substring(open + 4, end).strip();
                b.append(out, i, open).append(' ').append(body).append(' ');
                if (!body.isEmpty()) {
                    findings.add(HiddenFinding.HTML_COMMENT);
                    revealed.add(body);
                }
                i = close < 0 ? out.length() : close + 3;
            }
            out = b.toString();
        }
        if (out.contains("]: #")) {
            out = surfaceMarkdownComments(out, findings, revealed);
        }
        return out;
    }

    private static String surfaceMarkdownComments(String s, TreeSet<String> findings, List<String> revealed) {
        StringBuilder b = new StringBuilder(s.length());
        for (String line : s.split("\n", -1)) {
            String t = line.strip();
            int marker = t.indexOf("]: #");
            if (t.startsWith("[") && marker > 0 && marker < 40) {
                String body = t.substring(marker + 4).strip();
                if (body.length() >= 2 && (body.charAt(0) == '(' || body.charAt(0) == '"' || body.charAt(0) == '\'')) {
                    body = body.substring(1, body.length() - 1).strip();
                }
                if (!body.isEmpty()) {
                    findings.add(HiddenFinding.MARKDOWN_COMMENT);
                    revealed.add(body);
                }
                line = body;
            }
            if (b.length() > 0) {
                b.append('\n');
            }
            b.append(line);
        }
        return b.toString();
    }

    /** Appends the text of base64 blobs that decode to readable UTF-8. */
    static String appendDecodedBase64(String s, TreeSet<String> findings, List<String> revealed) {
        StringBuilder appended = null;
        int blobs = 0;
        int decodedChars = 0;
        int i = 0;
        int n = s.length();
        while (i < n && blobs < MAX_BASE64_BLOBS && decodedChars < MAX_DECODED_CHARS) {
            if (!isBase64Char(s.charAt(i))) {
                i++;
                continue;
            }
            int start = i;
            boolean url = false;
            while (i < n && isBase64Char(s.charAt(i))) {
                url |= s.charAt(i) == '-' || s.charAt(i) == '_';
                i++;
            }
            int end = i;
            while (i < n && s.charAt(i) == '=' && i - end < 2) {
                i++;
            }
            if (end - start < MIN_BASE64_RUN) {
                continue;
            }
            blobs++;
            String decoded = decodeBase64Text(s.substring(start, end), url);
            if (decoded != null) {
                findings.add(HiddenFinding.BASE64_TEXT);
                revealed.add(decoded);
                decodedChars += decoded.length();
                if (appended == null) {
                    appended = new StringBuilder();
                }
                appended.append('\n').append(decoded);
            }
        }
        return appended == null ? s : s + appended;
    }

    private static boolean isBase64Char(char c) {
        return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
                || c == '+' || c == '/' || c == '-' || c == '_';
    }

    private static String decodeBase64Text(String run, boolean url) {
        // Padding is optional for the decoder; a length of 4k+1 can never be valid, so trim one.
        String body = run.length() % 4 == 1 ? run.substring(0, run.length() - 1) : run;
        try {
            byte[] bytes = url ? Base64.getUrlDecoder().decode(body) : Base64.getDecoder().decode(body);
            return printableUtf8(bytes);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The bytes as text when they are valid UTF-8 and nearly all printable, else null. */
    static String printableUtf8(byte[] bytes) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
        if (text.length() < 4) {
            return null;
        }
        int printable = 0;
        int letters = 0;
        for (int k = 0; k < text.length(); k++) {
            char c = text.charAt(k);
            if (c >= 0x20 && c != 0x7f || c == '\n' || c == '\t' || c == '\r') {
                printable++;
            }
            if (Character.isLetter(c) || c == ' ') {
                letters++;
            }
        }
        // Random bytes are rarely all printable; requiring letters also rejects decoded hashes.
        return printable * 100 >= text.length() * 95 && letters * 2 >= text.length() ? text : null;
    }
}
