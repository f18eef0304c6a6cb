package io.mcpaudit.agent.stdio;

import io.mcpaudit.agent.mcp.Hashes;
import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * Cuts a copy of a stdio byte stream into messages at each newline (MCP's stdio
 * framing). Lines up to the size limit are handed over whole; longer ones only by
 * size and SHA-256, so an enormous message cannot exhaust the agent's memory.
 * Used by one relay thread.
 */
final class NewlineFramer {
  /** A complete line: its bytes (null when too large to keep), size, and hash when the bytes were not kept. */
  record Line(byte[] bytes, long size, String sha256) {}

  interface LineSink {
    void line(Line line);
  }

  private final int maxKept;
  private final LineSink sink;
  private ByteArrayOutputStream buffer = new ByteArrayOutputStream(1024);
  private MessageDigest overflowDigest;
  private long overflowSize;

  NewlineFramer(int maxKept, LineSink sink) {
    this.maxKept = maxKept;
    this.sink = sink;
  }

  void accept(byte[] bytes, int offset, int length) {
    int start = offset;
    int end = offset + length;
    for (int i = offset; i < end; i++) {
      if (bytes[i] == '\n') {
        append(bytes, start, i - start);
        complete();
        start = i + 1;
      }
    }
    append(bytes, start, end - start);
  }

  /** The stream ended: a last line without a newline still counts. */
  void finish() {
    if (buffer.size() > 0 || overflowDigest != null) {
      complete();
    }
  }

  private void append(byte[] bytes, int offset, int length) {
    if (length == 0) {
      return;
    }
    if (overflowDigest != null) {
      overflowDigest.update(bytes, offset, length);
      overflowSize += length;
      return;
    }
    if (buffer.size() + length > maxKept) {
      overflowDigest = Hashes.sha256();
      byte[] kept = buffer.toByteArray();
      overflowDigest.update(kept);
      overflowDigest.update(bytes, offset, length);
      overflowSize = kept.length + (long) length;
      buffer = new ByteArrayOutputStream(1024);
      return;
    }
    buffer.write(bytes, offset, length);
  }

  private void complete() {
    if (overflowDigest != null) {
      // The trailing \r of a CRLF line is part of the hash here; such lines are rare and oversized anyway.
      sink.line(new Line(null, overflowSize, HexFormat.of().formatHex(overflowDigest.digest())));
      overflowDigest = null;
      overflowSize = 0;
      return;
    }
    byte[] line = buffer.toByteArray();
    buffer.reset();
    int length = line.length;
    if (length > 0 && line[length - 1] == '\r') {
      length--;
    }
    if (isBlank(line, length)) {
      return;
    }
    sink.line(new Line(length == line.length ? line : java.util.Arrays.copyOf(line, length), length, null));
  }

  private static boolean isBlank(byte[] line, int length) {
    for (int i = 0; i < length; i++) {
      byte b = line[i];
      if (b != ' ' && b != '\t' && b != '\r') {
        return false;
      }
    }
    return true;
  }
}
