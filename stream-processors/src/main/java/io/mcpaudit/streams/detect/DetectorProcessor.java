package io.mcpaudit.streams.detect;

import io.mcpaudit.event.Alert;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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
 */
public final class DetectorProcessor<S> implements Processor<String, Detected, String, Alert> {
  private static final Duration PUNCTUATE_EVERY = Duration.ofSeconds(30);

  private final Detector<S> detector;
  private ProcessorContext<String, Alert> context;
  private KeyValueStore<String, S> store;
  private DetectionContext detection;

  public DetectorProcessor(Detector<S> detector) {
    this.detector = detector;
  }

  @Override
  public void init(ProcessorContext<String, Alert> context) {
    this.context = context;
    this.store = context.getStateStore(detector.name());
    this.detection = InventoryLookup.from(context);
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
    Outcome<S> outcome = detector.onEvent(store.get(key), record.value(), detection);
    save(key, outcome.state());
    for (Alert alert : outcome.alerts()) {
      context.forward(new Record<>(alert.getDedupKey(), alert, alert.getLastSeen().toEpochMilli()));
    }
  }

  private void onStreamTime(long streamTimeMillis) {
    Instant now = Instant.ofEpochMilli(streamTimeMillis);
    List<KeyValue<String, S>> entries = new ArrayList<>();
    try (KeyValueIterator<String, S> all = store.all()) {
      all.forEachRemaining(entries::add);
    }
    for (KeyValue<String, S> entry : entries) {
      Outcome<S> outcome = detector.onStreamTime(entry.value, now, detection);
      S state = outcome.state();
      if (state != null && detector.lastActivity(state).plus(detector.retention()).isBefore(now)) {
        state = null;
      }
      if (state != entry.value) {
        save(entry.key, state);
      }
      for (Alert alert : outcome.alerts()) {
        context.forward(new Record<>(alert.getDedupKey(), alert, streamTimeMillis));
      }
    }
  }

  private void save(String key, S state) {
    if (state == null) {
      store.delete(key);
    } else {
      store.put(key, state);
    }
  }
}
