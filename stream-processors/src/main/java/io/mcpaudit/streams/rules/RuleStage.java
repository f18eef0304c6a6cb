package io.mcpaudit.streams.rules;

import io.mcpaudit.event.Alert;
import io.mcpaudit.event.AuditEvent;
import io.mcpaudit.rules.correlation.CorrelationStore;
import java.time.Instant;
import java.util.List;

/**
 * The rule pack as the topology runs it: evaluates every stateless and correlation rule on an
 * event (its state behind {@link CorrelationStore}) and turns matches into alerts.
 * Implementations may swap their rules at any time (hot reload) without the topology knowing.
 */
public interface RuleStage {
  List<Alert> evaluate(AuditEvent event, CorrelationStore state);

  /** Closes correlation windows and absences whose time has passed, by event time. */
  List<Alert> advance(Instant streamTime, CorrelationStore state);

  /** A stage with no rules. */
  static RuleStage none() {
    return new RuleStage() {
      @Override
      public List<Alert> evaluate(AuditEvent event, CorrelationStore state) {
        return List.of();
      }

      @Override
      public List<Alert> advance(Instant streamTime, CorrelationStore state) {
        return List.of();
      }
    };
  }
}
