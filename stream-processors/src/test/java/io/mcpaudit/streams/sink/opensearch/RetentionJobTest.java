package io.mcpaudit.streams.sink.opensearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mcpaudit.streams.sink.opensearch.RetentionJob.IndexFacts;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The retention job's decisions, without a cluster: when to roll over, what has expired. */
class RetentionJobTest {
  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  private static final RetentionPolicy POLICY = RetentionPolicy.forDataStream("mcp-events")
      .withRollover(Duration.ofHours(24), 1_000, 1_000_000).withRetention(Duration.ofDays(30));

  @Test
  void theWriteIndexRollsOverOnAgeDocumentsOrBytesWhicheverComesFirst() {
    assertThat(RetentionJob.rolloverReason(write(Duration.ofHours(23), 999, 999_999), POLICY, NOW)).isEmpty();
    assertThat(RetentionJob.rolloverReason(write(Duration.ofHours(25), 1, 1), POLICY, NOW))
        .hasValueSatisfying(r -> assertThat(r).contains("25h old").contains("limit 1d"));
    assertThat(RetentionJob.rolloverReason(write(Duration.ofHours(1), 1_000, 1), POLICY, NOW))
        .hasValueSatisfying(r -> assertThat(r).contains("1000 documents"));
    assertThat(RetentionJob.rolloverReason(write(Duration.ofHours(1), 10, 1_000_000), POLICY, NOW))
        .hasValueSatisfying(r -> assertThat(r).contains("1000000 bytes"));
  }

  @Test
  void anEmptyWriteIndexIsNeverRolledOverHoweverOld() {
    assertThat(RetentionJob.rolloverReason(write(Duration.ofDays(90), 0, 208), POLICY, NOW)).isEmpty();
  }

  @Test
  void aBackingIndexExpiresWhenItsNewestDocumentIsOlderThanTheRetention() {
    IndexFacts oldDocsRecentIndex = new IndexFacts("a", NOW.minus(Duration.ofDays(1)), 5, 100,
        Optional.of(NOW.minus(Duration.ofDays(31))));
    IndexFacts oldIndexRecentDocs = new IndexFacts("b", NOW.minus(Duration.ofDays(90)), 5, 100,
        Optional.of(NOW.minus(Duration.ofDays(29))));
    assertThat(RetentionJob.expired(oldDocsRecentIndex, POLICY, NOW)).isTrue();
    assertThat(RetentionJob.expired(oldIndexRecentDocs, POLICY, NOW)).isFalse();
  }

  @Test
  void anEmptyBackingIndexExpiresByItsCreationDate() {
    assertThat(RetentionJob.expired(new IndexFacts("e", NOW.minus(Duration.ofDays(31)), 0, 208, Optional.empty()),
        POLICY, NOW)).isTrue();
    assertThat(RetentionJob.expired(new IndexFacts("e", NOW.minus(Duration.ofDays(2)), 0, 208, Optional.empty()),
        POLICY, NOW)).isFalse();
  }

  @Test
  void theOutcomeSaysWhatHappenedInOneLine() {
    RetentionJob.Outcome outcome = new RetentionJob.Outcome("mcp-events", true,
        Optional.of(new RetentionJob.Rollover(".ds-mcp-events-000002", ".ds-mcp-events-000003", "write index is 25h old")),
        List.of(new RetentionJob.Deletion(".ds-mcp-events-000001", Instant.parse("2026-01-01T00:00:00Z"))),
        Duration.ofDays(30));
    assertThat(outcome.describe()).isEqualTo("mcp-events: rolled over .ds-mcp-events-000002 -> .ds-mcp-events-000003"
        + " (write index is 25h old); deleted .ds-mcp-events-000001 (last document 2026-01-01T00:00:00Z,"
        + " retention 30d)");
    assertThat(new RetentionJob.Outcome("mcp-events", false, Optional.empty(), List.of(), Duration.ofDays(30))
        .describe()).contains("no such data stream");
  }

  @Test
  void aPolicyWithNonsenseThresholdsIsRefusedWithTheReason() {
    assertThatThrownBy(() -> POLICY.withRetention(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("retention for mcp-events must be positive");
    assertThatThrownBy(() -> POLICY.withRollover(Duration.ofHours(1), 0, 1)).hasMessageContaining("docs 0");
    assertThatThrownBy(() -> RetentionPolicy.forDataStream(" ")).hasMessageContaining("data stream");
  }

  private static IndexFacts write(Duration age, long docs, long bytes) {
    return new IndexFacts("w", NOW.minus(age), docs, bytes, Optional.of(NOW));
  }
}
