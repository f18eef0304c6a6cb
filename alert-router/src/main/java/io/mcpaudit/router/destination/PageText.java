package io.mcpaudit.router.destination;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/** Fitting text into vendors' field limits without breaking characters, and keys into their length limits. */
final class PageText {
  private PageText() {}

  /** At most {@code max} characters, ending in an ellipsis when cut; never splits a surrogate pair. */
  static String truncate(String text, int max) {
    if (text == null) {
      return null;
    }
    if (text.length() <= max) {
      return text;
    }
    int end = max - 1;
    if (Character.isHighSurrogate(text.charAt(end - 1))) {
      end--;
    }
    return text.substring(0, end) + "…";
  }

  /** The key itself when it fits, else {@code sha256:<hex>} of it (stable, so the vendor still deduplicates). */
  static String fitKey(String key, int max) {
    if (key.length() <= max) {
      return key;
    }
    return "sha256:" + sha256(key);
  }

  static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static String lower(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT);
  }
}
