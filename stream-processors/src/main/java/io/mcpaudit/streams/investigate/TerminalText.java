package io.mcpaudit.streams.investigate;

/**
 * Untrusted text made safe to print on an analyst's terminal. Tool results, arguments, server and
 * tool names come from MCP servers and clients: an ANSI escape in them could clear the screen,
 * rewrite earlier lines or retitle the window, and a bidi override could show text in another
 * order than it is stored. Every control character (C0 and C1, DEL) and every bidi control is
 * printed as its {@code \\uXXXX} escape instead, so it is visible and does nothing.
 */
public final class TerminalText {

  private TerminalText() {}

  /** {@code text} with every control character escaped except line feeds (the renderer's own). */
  public static String printable(String text) {
    return escape(text, true);
  }

  /** {@code text} on one line: line feeds escaped too. */
  public static String oneLine(String text) {
    return escape(text, false);
  }

  private static String escape(String text, boolean keepLineFeeds) {
    int i = 0;
    int n = text.length();
    while (i < n && !unsafe(text.charAt(i), keepLineFeeds)) {
      i++;
    }
    if (i == n) {
      return text;
    }
    StringBuilder out = new StringBuilder(n + 16).append(text, 0, i);
    for (; i < n; i++) {
      char c = text.charAt(i);
      if (unsafe(c, keepLineFeeds)) {
        out.append(String.format("\\u%04X", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static boolean unsafe(char c, boolean keepLineFeeds) {
    if (c == '\n') {
      return !keepLineFeeds;
    }
    return c < 0x20 || (c >= 0x7f && c <= 0x9f)
        || (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069')
        || c == '\u200e' || c == '\u200f' || c == '\u061c';
  }
}
