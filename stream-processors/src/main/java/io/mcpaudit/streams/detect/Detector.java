package io.mcpaudit.streams.detect;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * One stateful detection, as plain logic over one key's state: the topology runs it in a
 * {@link DetectorProcessor} with one changelogged store named after it. Keeping the logic free of
 * Kafka types lets it be tested directly and replayed deterministically.
 *
 * @param <S> the state kept per key (a JSON-serializable record)
 */
public interface Detector<S> {
  /** Processor and store name, e.g. {@code session-hijack}. */
  String name();

  Class<S> stateType();

  /** The key this detector's state is kept under for the event, or {@code null} to skip the event. */
  String keyOf(Detected input);

  Outcome<S> onEvent(S state, Detected input, DetectionContext context);

  /** Event time of the last activity in the state: idle keys are forgotten after {@link #retention()}. */
  Instant lastActivity(S state);

  default Duration retention() {
    return Duration.ofHours(24);
  }

  /**
   * The earliest stream time at which {@link #onStreamTime} could change this state or raise an
   * alert, or {@code null} when it never would (only {@link #retention()} then applies). The
   * processor calls {@code onStreamTime} only for keys whose time has come.
   */
  default Instant wakeAt(S state) {
    return null;
  }

  /** Called as stream time advances, for detections that are about something not happening in time. */
  default Outcome<S> onStreamTime(S state, Instant streamTime, DetectionContext context) {
    return Outcome.quiet(state);
  }

  default List<String> describe() {
    return List.of(name());
  }
}
