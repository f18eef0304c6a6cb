package io.mcpaudit.streams.dedup;

import io.mcpaudit.event.Alert;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.function.Function;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Folds repeats of one finding (same dedup key) within the rule's dedup window into one alert:
 * the first occurrence gets a deterministic id, later ones re-emit it with count, last-seen time
 * and evidence updated, so an idempotent sink keeps one document per finding and window.
 */
public final class AlertDedupProcessor implements Processor<String, Alert, String, Alert> {
  public static final String STORE = "alert-dedup";
  private static final int MAX_EVIDENCE = 50;
  private static final int KEEP_FIRST_EVIDENCE = 10;

  private final Function<String, Duration> windowForRule;
  private ProcessorContext<String, Alert> context;
  private KeyValueStore<String, Alert> store;

  public AlertDedupProcessor(Function<String, Duration> windowForRule) {
    this.windowForRule = windowForRule;
  }

  @Override
  public void init(ProcessorContext<String, Alert> context) {
    this.context = context;
    this.store = context.getStateStore(STORE);
    context.schedule(Duration.ofMinutes(1), PunctuationType.STREAM_TIME, this::forgetClosedWindows);
  }

  @Override
  public void process(Record<String, Alert> record) {
    Alert incoming = record.value();
    if (incoming == null) {
      return; // A tombstone only moves stream time forward (offline replays use it to close windows).
    }
    Alert open = store.get(incoming.getDedupKey());
    Duration window = windowForRule.apply(incoming.getRuleId());
    Alert result;
    if (open != null && !incoming.getFirstSeen().isAfter(open.getFirstSeen().plus(window))) {
      result = merge(open, incoming);
    } else {
      result = Alert.newBuilder(incoming).setAlertId(alertId(incoming)).build();
    }
    store.put(result.getDedupKey(), result);
    context.forward(record.withKey(result.getDedupKey()).withValue(result));
  }

  private void forgetClosedWindows(long streamTimeMillis) {
    List<String> closed = new ArrayList<>();
    try (KeyValueIterator<String, Alert> all = store.all()) {
      all.forEachRemaining(entry -> {
        Duration window = windowForRule.apply(entry.value.getRuleId());
        if (entry.value.getLastSeen().plus(window).toEpochMilli() < streamTimeMillis) {
          closed.add(entry.key);
        }
      });
    }
    closed.forEach(store::delete);
  }

  private static Alert merge(Alert open, Alert repeat) {
    LinkedHashSet<String> all = new LinkedHashSet<>(open.getEvidenceEventIds());
    all.addAll(repeat.getEvidenceEventIds());
    // Past the cap keep the first events (how it started) and the latest (what it does now).
    List<String> ids = new ArrayList<>(all);
    List<String> evidence = ids.size() <= MAX_EVIDENCE ? ids
        : new ArrayList<>(ids.subList(0, KEEP_FIRST_EVIDENCE));
    if (ids.size() > MAX_EVIDENCE) {
      evidence.addAll(ids.subList(ids.size() - (MAX_EVIDENCE - KEEP_FIRST_EVIDENCE), ids.size()));
    }
    return Alert.newBuilder(open)
        .setCount(open.getCount() + repeat.getCount())
        .setFirstSeen(repeat.getFirstSeen().isBefore(open.getFirstSeen()) ? repeat.getFirstSeen() : open.getFirstSeen())
        .setLastSeen(repeat.getLastSeen().isAfter(open.getLastSeen()) ? repeat.getLastSeen() : open.getLastSeen())
        .setEvidenceEventIds(evidence)
        .build();
  }

  /** Same finding, same window start → same id, however often the pipeline replays it. */
  static String alertId(Alert alert) {
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      sha256.update((alert.getDedupKey() + "|" + alert.getFirstSeen().toEpochMilli()).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(sha256.digest(), 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
