package io.mcpaudit.streams.sink.opensearch;

import java.time.Duration;

/**
 * When {@link RetentionJob} rolls a data stream over and how long it keeps its backing indices.
 * The defaults match the ISM policy shipped in {@code deploy/opensearch/ism/mcp-events-policy.json}.
 *
 * @param dataStream    the data stream to manage
 * @param rolloverAge   roll over once the write index is at least this old
 * @param rolloverDocs  … or holds at least this many documents
 * @param rolloverBytes … or its primary store is at least this large
 * @param retention     delete a backing index (never the write index) once its newest document is older than this
 */
public record RetentionPolicy(String dataStream, Duration rolloverAge, long rolloverDocs, long rolloverBytes,
                              Duration retention) {

  public static final Duration DEFAULT_ROLLOVER_AGE = Duration.ofDays(1);
  public static final long DEFAULT_ROLLOVER_DOCS = 20_000_000L;
  public static final long DEFAULT_ROLLOVER_BYTES = 20L * 1024 * 1024 * 1024;
  public static final Duration DEFAULT_RETENTION = Duration.ofDays(30);

  public RetentionPolicy {
    if (dataStream == null || dataStream.isBlank()) {
      throw new IllegalArgumentException("retention needs the name of a data stream");
    }
    if (rolloverAge == null || rolloverAge.isNegative() || rolloverAge.isZero()) {
      throw new IllegalArgumentException("rollover age for " + dataStream + " must be positive, got " + rolloverAge);
    }
    if (rolloverDocs <= 0 || rolloverBytes <= 0) {
      throw new IllegalArgumentException("rollover thresholds for " + dataStream + " must be positive (docs "
          + rolloverDocs + ", bytes " + rolloverBytes + ")");
    }
    if (retention == null || retention.isNegative() || retention.isZero()) {
      throw new IllegalArgumentException("retention for " + dataStream + " must be positive, got " + retention);
    }
  }

  /** The {@code mcp-events} data stream: daily or 20 M documents or 20 GiB, kept 30 days. */
  public static RetentionPolicy defaults() {
    return forDataStream(IndexSetup.EVENTS);
  }

  /** The default thresholds for another data stream. */
  public static RetentionPolicy forDataStream(String dataStream) {
    return new RetentionPolicy(dataStream, DEFAULT_ROLLOVER_AGE, DEFAULT_ROLLOVER_DOCS, DEFAULT_ROLLOVER_BYTES,
        DEFAULT_RETENTION);
  }

  public RetentionPolicy withRollover(Duration age, long docs, long bytes) {
    return new RetentionPolicy(dataStream, age, docs, bytes, retention);
  }

  public RetentionPolicy withRetention(Duration keep) {
    return new RetentionPolicy(dataStream, rolloverAge, rolloverDocs, rolloverBytes, keep);
  }
}
