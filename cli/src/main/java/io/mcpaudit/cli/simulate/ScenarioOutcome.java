package io.mcpaudit.cli.simulate;

import io.mcpaudit.event.Alert;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one scenario of a run raised, collected from the alerts the pipeline published. An alert
 * belongs to the run when it names one of the run's sessions or events: a repeat the pipeline
 * folded into an alert it had already opened (same dedup key within its window) keeps the
 * earlier session but lists the repeat's events among its evidence.
 */
public final class ScenarioOutcome {
  private final ScenarioRun.Prepared prepared;
  private final Map<String, List<Alert>> byCategory = new LinkedHashMap<>();

  public ScenarioOutcome(ScenarioRun.Prepared prepared) {
    this.prepared = prepared;
  }

  public AttackScenario scenario() {
    return prepared.scenario();
  }

  /** Records the alert if it belongs to this scenario's run; says whether it did. */
  public boolean offer(Alert alert) {
    boolean ours = prepared.sessions().contains(alert.getSessionId())
        || alert.getEvidenceEventIds().stream().anyMatch(prepared.eventIds()::contains);
    if (ours) {
      List<Alert> alerts = byCategory.computeIfAbsent(alert.getCategory(), c -> new ArrayList<>());
      alerts.removeIf(a -> a.getAlertId().equals(alert.getAlertId()));
      alerts.add(alert);
    }
    return ours;
  }

  public List<String> detected() {
    return prepared.scenario().expect().stream().filter(byCategory::containsKey).toList();
  }

  public List<String> missed() {
    return prepared.scenario().expect().stream().filter(c -> !byCategory.containsKey(c)).toList();
  }

  public boolean complete() {
    return missed().isEmpty();
  }

  /** Every category this run raised, expected or not, with its alerts' latest versions. */
  public Map<String, List<Alert>> alerts() {
    return byCategory;
  }
}
