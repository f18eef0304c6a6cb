package io.mcpaudit.router.alert;

/**
 * Where an alert was read, and its original bytes, so that a page that cannot be delivered goes
 * to the dead-letter topic exactly as it arrived.
 *
 * @param source {@code topic/partition@offset}, or {@code file:line} for alerts read from a file
 * @param key    the record key as read (null for file input)
 * @param value  the record value as read (null for file input)
 */
public record Origin(String source, byte[] key, byte[] value) {
  public static Origin of(String source) {
    return new Origin(source, null, null);
  }
}
