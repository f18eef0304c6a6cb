package io.mcpaudit.streams.detect.tool;

import java.text.Normalizer;
import java.util.Locale;

/** Tool-name comparison for shadowing: the same name in other clothes (case, separators, homoglyphs, one typo). */
public final class ToolNames {
  private ToolNames() {}

  /** Lower case, NFKC, separators removed, common digit/letter confusables folded. */
  public static String skeleton(String name) {
    String folded = Normalizer.normalize(name, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
    StringBuilder out = new StringBuilder(folded.length());
    for (int i = 0; i < folded.length(); i++) {
      char c = folded.charAt(i);
      switch (c) {
        case '_', '-', '.', ' ', '/' -> { }
        case '0' -> out.append('o');
        case '1', '!' -> out.append('l');
        case '3' -> out.append('e');
        case '5' -> out.append('s');
        case 'а' -> out.append('a'); // Cyrillic a
        case 'е' -> out.append('e'); // Cyrillic e
        case 'о' -> out.append('o'); // Cyrillic o
        case 'р' -> out.append('p'); // Cyrillic er
        case 'с' -> out.append('c'); // Cyrillic es
        case 'і' -> out.append('i'); // Cyrillic i
        default -> out.append(c == 'i' ? 'l' : c);
      }
    }
    return out.toString();
  }

  /** Same skeleton, or one edit apart for names long enough that one edit is not a different word. */
  public static boolean lookAlike(String a, String b) {
    String sa = skeleton(a);
    String sb = skeleton(b);
    if (sa.equals(sb)) {
      return true;
    }
    return Math.min(sa.length(), sb.length()) >= 6 && withinOneEdit(sa, sb);
  }

  private static boolean withinOneEdit(String a, String b) {
    if (Math.abs(a.length() - b.length()) > 1) {
      return false;
    }
    int i = 0;
    int j = 0;
    boolean edited = false;
    while (i < a.length() && j < b.length()) {
      if (a.charAt(i) == b.charAt(j)) {
        i++;
        j++;
        continue;
      }
      if (edited) {
        return false;
      }
      edited = true;
      if (a.length() > b.length()) {
        i++;
      } else if (b.length() > a.length()) {
        j++;
      } else {
        i++;
        j++;
      }
    }
    return true;
  }
}
