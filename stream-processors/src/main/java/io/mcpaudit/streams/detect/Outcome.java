package io.mcpaudit.streams.detect;

import io.mcpaudit.event.Alert;
import java.util.List;

/** A detector's answer to one event: its new state for the key ({@code null} forgets the key) and any alerts. */
public record Outcome<S>(S state, List<Alert> alerts) {
  public Outcome {
    alerts = List.copyOf(alerts);
  }

  public static <S> Outcome<S> quiet(S state) {
    return new Outcome<>(state, List.of());
  }

  public static <S> Outcome<S> of(S state, List<Alert> alerts) {
    return new Outcome<>(state, alerts);
  }
}
