package io.mcpaudit.streams.detect;

import io.mcpaudit.event.Alert;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Runs one {@link Detector} against its store: load the key's state, apply the event, save, forward
 * alerts keyed by dedup key. A STREAM_TIME punctuator drives time-based detections and forgets idle
 * keys, so a replayed capture gives the same alerts every time.
 *
 * <p>The punctuator does not read every key each time: keys with a pending timer
 * ({@link Detector#wakeAt}) sit in an in-memory index, rebuilt by one full pass after a start, and
 * idle keys are looked for by a full pass only once per {@link #SWEEP_DIVISOR}th of the
 * retention. Reading (and decoding) every session's state every 30 s of stream time used to cost
 * more than all the detection.
 *
 * <p>The states of recently seen keys are kept decoded in memory ({@link #CACHED_KEYS} per task):
 * decoding a key's state on every event was a fifth of the pipeline's time. The store stays the
 * record: every change is put into it (a {@link io.mcpaudit.streams.state.WriteAtCommitStore}, which
 * serializes it at the task's next commit, so the changelog and exactly-once are untouched); the
 * cache is dropped when the processor is (re)initialized and a key's entry when its detector
 * throws.
 */
public final class DetectorProcessor<S> implements Processor<String, Detected, String, Alert> {
  private static final Duration PUNCTUATE_EVERY = Duration.ofSeconds(30);
  /** Idle keys are swept this many times per retention period (a key lives at most 1/24 longer). */
  private static final int SWEEP_DIVISOR = 24;
  private static final int CACHED_KEYS = 20_000;

  private final Detector<S> detector;
  private ProcessorContext<String, Alert> context;
  private KeyValueStore<String, S> store;
  private DetectionContext detection;
  /** Keys with a timer, by wake time; and each key's wake time. Null until the first full pass. */
  private TreeMap<Long, Set<String>> timers;
  private final Map<String, Long> wakeOf = new HashMap<>();
  private long nextSweepMillis = Long.MIN_VALUE;
  /** Decoded states of recently used keys, least recently used first. */
  private final LinkedHashMap<String, S> cache = new LinkedHashMap<>(1024, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, S> eldest) {
      return size() > CACHED_KEYS;
    }
  };

  public DetectorProcessor(Detector<S> detector) {
    this.detector = detector;
  }

  @Override
  public void init(ProcessorContext<String, Alert> context) {
    this.context = context;
    this.store = context.getStateStore(detector.name());
    this.detection = InventoryLookup.from(context);
    cache.clear();
    timers = null;
    wakeOf.clear();
    context.schedule(PUNCTUATE_EVERY, PunctuationType.STREAM_TIME, this::onStreamTime);
  }

  @Override
  public void process(Record<String, Detected> record) {
    if (record.value() == null || !record.value().hasEvent()) {
      return;
    }
    String key = detector.keyOf(record.value());
    if (key == null) {
      return;
    }
    Outcome<S> outcome;
    try {
      outcome = detector.onEvent(load(key), record.value(), detection);
    } catch (RuntimeException e) {
      // The detector may have changed the state in place before it failed. The next event of the
      // key reads the store again: the last committed state, or, if the key was saved since the
      // last commit, that same object (the store keeps it until the commit), change included.
      cache.remove(key);
      throw e;
    }
    save(key, outcome.state());
    for (Alert alert : outcome.alerts()) {
      context.forward(new Record<>(alert.getDedupKey(), alert, alert.getLastSeen().toEpochMilli()));
    }
  }

  private void onStreamTime(long streamTimeMillis) {
    Instant now = Instant.ofEpochMilli(streamTimeMillis);
    if (timers == null || streamTimeMillis >= nextSweepMillis) {
      sweep(now);
      return;
    }
    while (!timers.isEmpty() && timers.firstKey() <= streamTimeMillis) {
      for (String key : timers.pollFirstEntry().getValue()) {
        wakeOf.remove(key);
        S state = load(key);
        if (state != null) {
          wake(key, state, now);
        }
      }
    }
  }

  /** Every key: timers due, idle keys forgotten, and the timer index rebuilt. */
  private void sweep(Instant now) {
    timers = new TreeMap<>();
    wakeOf.clear();
    nextSweepMillis = now.plus(sweepEvery()).toEpochMilli();
    List<KeyValue<String, S>> entries = new ArrayList<>();
    try (KeyValueIterator<String, S> all = store.all()) {
      all.forEachRemaining(entries::add);
    }
    for (KeyValue<String, S> entry : entries) {
      S cached = cache.get(entry.key);
      wake(entry.key, cached != null ? cached : entry.value, now);
    }
  }

  private Duration sweepEvery() {
    Duration every = detector.retention().dividedBy(SWEEP_DIVISOR);
    return every.compareTo(PUNCTUATE_EVERY) < 0 ? PUNCTUATE_EVERY : every;
  }

  private void wake(String key, S current, Instant now) {
    // A detector may change a due state in place and return it: a due state is always saved.
    Instant wakeAt = detector.wakeAt(current);
    boolean due = wakeAt != null && !wakeAt.isAfter(now);
    Outcome<S> outcome;
    try {
      outcome = detector.onStreamTime(current, now, detection);
    } catch (RuntimeException e) {
      cache.remove(key);
      throw e;
    }
    S state = outcome.state();
    if (state != null && detector.lastActivity(state).plus(detector.retention()).isBefore(now)) {
      state = null;
    }
    if (state != current || due || !outcome.alerts().isEmpty()) {
      save(key, state);
    } else {
      index(key, state);
    }
    for (Alert alert : outcome.alerts()) {
      context.forward(new Record<>(alert.getDedupKey(), alert, now.toEpochMilli()));
    }
  }

  private S load(String key) {
    S state = cache.get(key);
    if (state == null) {
      state = store.get(key);
      if (state != null) {
        cache.put(key, state);
      }
    }
    return state;
  }

  private void save(String key, S state) {
    if (state == null) {
      store.delete(key);
      cache.remove(key);
    } else {
      store.put(key, state);
      cache.put(key, state);
    }
    index(key, state);
  }

  /** Keeps the key's entry in the timer index in step with its state. */
  private void index(String key, S state) {
    if (timers == null) {
      return;
    }
    Long previous = wakeOf.remove(key);
    if (previous != null) {
      Set<String> keys = timers.get(previous);
      if (keys != null && keys.remove(key) && keys.isEmpty()) {
        timers.remove(previous);
      }
    }
    Instant wake = state == null ? null : detector.wakeAt(state);
    if (wake != null) {
      wakeOf.put(key, wake.toEpochMilli());
      timers.computeIfAbsent(wake.toEpochMilli(), t -> new HashSet<>()).add(key);
    }
  }
}
