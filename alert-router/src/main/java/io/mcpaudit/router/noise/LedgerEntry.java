package io.mcpaudit.router.noise;

import java.time.Instant;

/**
 * What the router knows about paging one destination for one dedup key.
 *
 * @param at when the page was first attempted; the dedup window runs from here
 */
public record LedgerEntry(String destination, String dedupKey, Status status, Instant at, String alertId, long count) {
  public enum Status {
    /** Written before the request goes out; still there after a restart means the outcome is unknown. */
    PENDING,
    /** The destination accepted the page. */
    SENT,
    /** Permanently failed; the alert went to the dead-letter topic. */
    FAILED,
    /** A router stopped mid-delivery; the page was not repeated, and the alert went to the dead-letter topic. */
    UNKNOWN
  }

  public String key() {
    return key(destination, dedupKey);
  }

  public static String key(String destination, String dedupKey) {
    return destination + "|" + dedupKey;
  }

  public LedgerEntry with(Status newStatus) {
    return new LedgerEntry(destination, dedupKey, newStatus, at, alertId, count);
  }
}
