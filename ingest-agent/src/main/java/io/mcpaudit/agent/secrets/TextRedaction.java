package io.mcpaudit.agent.secrets;

import io.mcpaudit.agent.mcp.Hashes;
import io.mcpaudit.event.RedactedText;
import java.nio.charset.StandardCharsets;

/**
 * Prepares untrusted or sensitive text to leave the agent: credentials redacted, then
 * capped to a size limit; the SHA-256 and byte size always describe the full original.
 */
public final class TextRedaction {
  public static final int DEFAULT_MAX_BYTES = 64 * 1024;

  private final CredentialRedactor redactor;
  private final int maxBytes;

  public TextRedaction(CredentialRedactor redactor, int maxBytes) {
    if (maxBytes < 64) {
      throw new IllegalArgumentException("the text cap must be at least 64 bytes, got " + maxBytes);
    }
    this.redactor = redactor;
    this.maxBytes = maxBytes;
  }

  public CredentialRedactor redactor() {
    return redactor;
  }

  public int maxBytes() {
    return maxBytes;
  }

  public RedactedText apply(String original) {
    byte[] originalBytes = original.getBytes(StandardCharsets.UTF_8);
    CredentialRedactor.Result redacted = redactor.redact(original);
    String kept = redacted.text();
    boolean truncated = false;
    if (kept.length() > maxBytes / 4 && utf8Length(kept) > maxBytes) {
      kept = truncateUtf8(kept, maxBytes);
      truncated = true;
    }
    return RedactedText.newBuilder()
        .setText(kept)
        .setSha256(Hashes.sha256Hex(originalBytes))
        .setOriginalBytes(originalBytes.length)
        .setTruncated(truncated)
        .setRedactions(redacted.kinds())
        .build();
  }

  /** Only redaction, no cap: for text that must stay whole (capture lines, launch commands). */
  public String redactOnly(String text) {
    return redactor.redact(text).text();
  }

  static int utf8Length(String text) {
    int bytes = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x80) {
        bytes += 1;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
        bytes += 4;
        i++;
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }

  /** The longest prefix whose UTF-8 form fits in {@code maxBytes}, never splitting a character. */
  static String truncateUtf8(String text, int maxBytes) {
    int bytes = 0;
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      int width;
      int chars = 1;
      if (c < 0x80) {
        width = 1;
      } else if (c < 0x800) {
        width = 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
        width = 4;
        chars = 2;
      } else {
        width = 3;
      }
      if (bytes + width > maxBytes) {
        break;
      }
      bytes += width;
      i += chars;
    }
    return text.substring(0, i);
  }
}
