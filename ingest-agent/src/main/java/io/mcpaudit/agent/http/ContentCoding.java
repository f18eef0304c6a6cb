package io.mcpaudit.agent.http;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;

/**
 * Undoes {@code Content-Encoding} on a copy of a whole body so that a compressed MCP
 * message can still be read. The relayed bytes are never touched.
 */
final class ContentCoding {
  private ContentCoding() {}

  /**
   * The decoded body; the body itself without an encoding; null when the encoding is unknown,
   * the bytes do not decode, or the result would exceed {@code max} bytes.
   */
  static byte[] decode(byte[] body, String contentEncoding, int max) {
    if (contentEncoding == null || contentEncoding.isBlank()) {
      return body;
    }
    String coding = contentEncoding.trim().toLowerCase(Locale.ROOT);
    try {
      return switch (coding) {
        case "identity" -> body;
        case "gzip", "x-gzip" -> read(new GZIPInputStream(new ByteArrayInputStream(body)), max);
        case "deflate" -> read(new InflaterInputStream(new ByteArrayInputStream(body)), max);
        default -> null;
      };
    } catch (IOException e) {
      return null;
    }
  }

  private static byte[] read(InputStream in, int max) throws IOException {
    try (in) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buffer = new byte[8192];
      int n;
      while ((n = in.read(buffer)) != -1) {
        if (out.size() + n > max) {
          return null;
        }
        out.write(buffer, 0, n);
      }
      return out.toByteArray();
    }
  }
}
