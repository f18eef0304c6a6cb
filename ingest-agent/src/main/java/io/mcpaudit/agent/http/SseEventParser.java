package io.mcpaudit.agent.http;

import io.mcpaudit.agent.mcp.Hashes;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * Cuts a copy of a {@code text/event-stream} into events as the HTML standard's parser
 * does: lines end at CR, LF or CRLF (also across chunk boundaries), {@code data} lines
 * are joined with LF, a blank line dispatches, comments and unknown fields are ignored,
 * and an event without data is not dispatched (the priming events MCP servers send to
 * set {@code Last-Event-ID}). Data larger than the limit is only sized and hashed, so
 * an endless event cannot exhaust memory. Used by one thread at a time.
 */
final class SseEventParser {
  /**
   * One dispatched event.
   *
   * @param type the {@code event} field, {@code message} when absent
   * @param id the {@code id} field of this event, or null
   * @param data the joined data, or null when larger than the limit
   * @param sha256 hash of the data when it was not kept, else null
   */
  record Event(String type, String id, byte[] data, long size, String sha256) {}

  interface Listener {
    void event(Event event);
  }

  private enum State { FIELD, VALUE_START, VALUE, COMMENT }

  private static final int MAX_FIELD = 16;
  private static final int MAX_OTHER_VALUE = 1024;
  private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

  private final int maxData;
  private final Listener listener;

  private State state = State.FIELD;
  private final ByteArrayOutputStream field = new ByteArrayOutputStream(MAX_FIELD);
  private boolean fieldTooLong;
  private final ByteArrayOutputStream otherValue = new ByteArrayOutputStream(64);
  private boolean dataField;
  private boolean pendingCr;
  private int bomIndex;
  private boolean bomChecked;

  private ByteArrayOutputStream data = new ByteArrayOutputStream(256);
  private MessageDigest overflow;
  private long dataSize;
  private boolean hasData;
  private String type;
  private String id;

  SseEventParser(int maxData, Listener listener) {
    this.maxData = maxData;
    this.listener = listener;
  }

  void accept(byte[] bytes, int offset, int length) {
    int end = offset + length;
    int i = offset;
    if (!bomChecked) {
      while (i < end && bomIndex < BOM.length) {
        if (bytes[i] != BOM[bomIndex]) {
          // Not a BOM after all: replay the bytes taken for one.
          bomChecked = true;
          int taken = bomIndex;
          bomIndex = 0;
          for (int k = 0; k < taken; k++) {
            consume(BOM[k]);
          }
          break;
        }
        bomIndex++;
        i++;
      }
      if (bomIndex == BOM.length) {
        bomChecked = true;
      }
    }
    for (; i < end; i++) {
      byte b = bytes[i];
      if (pendingCr) {
        pendingCr = false;
        if (b == '\n') {
          continue;
        }
      }
      if (state == State.VALUE && dataField && b != '\r' && b != '\n') {
        // The bulk of a stream: copy the run of data bytes up to the line end at once.
        int runEnd = i;
        while (runEnd < end && bytes[runEnd] != '\r' && bytes[runEnd] != '\n') {
          runEnd++;
        }
        appendData(bytes, i, runEnd - i);
        i = runEnd - 1;
        continue;
      }
      consume(b);
    }
  }

  /** The stream ended: an event not terminated by a blank line is discarded, as the standard says. */
  void finish() {
    resetEvent();
  }

  private void consume(byte b) {
    if (b == '\r' || b == '\n') {
      if (b == '\r') {
        pendingCr = true;
      }
      endOfLine();
      return;
    }
    switch (state) {
      case FIELD -> {
        if (b == ':') {
          if (field.size() == 0 && !fieldTooLong) {
            state = State.COMMENT;
          } else {
            startValue();
          }
        } else if (field.size() < MAX_FIELD) {
          field.write(b);
        } else {
          fieldTooLong = true;
        }
      }
      case VALUE_START -> {
        state = State.VALUE;
        if (b != ' ') {
          value(b);
        }
      }
      case VALUE -> value(b);
      case COMMENT -> { }
      default -> throw new IllegalStateException(state.name());
    }
  }

  private void startValue() {
    dataField = !fieldTooLong && isField("data");
    if (dataField) {
      if (hasData) {
        appendData(new byte[] {'\n'}, 0, 1);
      }
      hasData = true;
    }
    otherValue.reset();
    state = State.VALUE_START;
  }

  private void value(byte b) {
    if (dataField) {
      appendData(new byte[] {b}, 0, 1);
    } else if (otherValue.size() < MAX_OTHER_VALUE) {
      otherValue.write(b);
    }
  }

  private void endOfLine() {
    switch (state) {
      case FIELD -> {
        if (field.size() == 0 && !fieldTooLong) {
          dispatch();
        } else {
          // A field name alone: its value is empty.
          startValue();
          fieldComplete();
        }
      }
      case VALUE_START, VALUE -> fieldComplete();
      default -> { }
    }
    field.reset();
    fieldTooLong = false;
    dataField = false;
    state = State.FIELD;
  }

  private void fieldComplete() {
    if (dataField || fieldTooLong) {
      return;
    }
    String value = otherValue.toString(StandardCharsets.UTF_8);
    if (isField("event")) {
      type = value;
    } else if (isField("id") && value.indexOf('\0') < 0) {
      id = value;
    }
  }

  private boolean isField(String name) {
    byte[] bytes = name.getBytes(StandardCharsets.US_ASCII);
    if (field.size() != bytes.length) {
      return false;
    }
    return java.util.Arrays.equals(field.toByteArray(), bytes);
  }

  private void appendData(byte[] bytes, int offset, int length) {
    dataSize += length;
    if (overflow != null) {
      overflow.update(bytes, offset, length);
      return;
    }
    if (data.size() + (long) length > maxData) {
      overflow = Hashes.sha256();
      overflow.update(data.toByteArray());
      overflow.update(bytes, offset, length);
      data = new ByteArrayOutputStream(256);
      return;
    }
    data.write(bytes, offset, length);
  }

  private void dispatch() {
    if (hasData && dataSize > 0) {
      String eventType = type == null || type.isEmpty() ? "message" : type;
      if (overflow != null) {
        listener.event(new Event(eventType, id, null, dataSize, HexFormat.of().formatHex(overflow.digest())));
      } else {
        listener.event(new Event(eventType, id, data.toByteArray(), dataSize, null));
      }
    }
    resetEvent();
  }

  private void resetEvent() {
    data.reset();
    overflow = null;
    dataSize = 0;
    hasData = false;
    type = null;
    id = null;
  }
}
