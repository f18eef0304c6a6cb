package io.mcpaudit.streams.rules;

import io.mcpaudit.event.Alert;
import io.mcpaudit.event.AuditEvent;
import io.mcpaudit.event.Severity;
import io.mcpaudit.rules.RuleSet;
import io.mcpaudit.rules.correlation.CorrelationStore;
import io.mcpaudit.rules.engine.DetectionEngine;
import io.mcpaudit.rules.engine.RuleAlert;
import io.mcpaudit.rules.extension.Dedup;
import io.mcpaudit.rules.sigma.CompiledRule;
import io.mcpaudit.schema.ecs.AuditEventDocuments;
import io.mcpaudit.streams.alert.AlertDraft;
import io.mcpaudit.streams.alert.AlertSubject;
import io.mcpaudit.streams.alert.DetectorSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The rule pack (Sigma rules, correlations and the mcp-audit extensions) as the topology's rule
 * stage. Events are matched in their indexed-document form, the same field names analysts query.
 * The rule set can be swapped at any time ({@link #replace}); each stream task picks up the new
 * set on its next event, with its correlation state kept, so a rule change never restarts Kafka
 * Streams.
 */
public final class EngineRuleStage implements RuleStage {
  private volatile RuleSet rules;
  /** One engine per task's store, rebuilt when the rule set changes. Only stream threads call in. */
  private final Map<CorrelationStore, Engine> engines = new IdentityHashMap<>();

  private record Engine(RuleSet rules, DetectionEngine engine) {}

  public EngineRuleStage(RuleSet rules) {
    this.rules = rules;
  }

  /** Swaps in a new rule set (hot reload). */
  public void replace(RuleSet newRules) {
    this.rules = newRules;
  }

  public RuleSet rules() {
    return rules;
  }

  @Override
  public List<Alert> evaluate(AuditEvent event, CorrelationStore state) {
    List<Alert> alerts = new ArrayList<>();
    for (RuleAlert found : engineFor(state).process(AuditEventDocuments.toDocument(event))) {
      alerts.add(toAlert(found, AlertSubject.of(event)));
    }
    return alerts;
  }

  @Override
  public List<Alert> advance(Instant streamTime, CorrelationStore state) {
    List<Alert> alerts = new ArrayList<>();
    for (RuleAlert found : engineFor(state).advance(streamTime)) {
      String evidence = found.evidence().isEmpty() ? "" : found.evidence().get(found.evidence().size() - 1);
      alerts.add(toAlert(found, new AlertSubject(evidence, found.time().toEpochMilli(), found.session(), null, null,
          null)));
    }
    return alerts;
  }

  /** The dedup window a rule declares, for the alert dedup stage. */
  public Optional<Duration> dedupWindow(String ruleId) {
    return rules.rule(ruleId).flatMap(rule -> rule.extension().dedup()).map(Dedup::window);
  }

  private synchronized DetectionEngine engineFor(CorrelationStore state) {
    RuleSet current = rules;
    Engine engine = engines.get(state);
    if (engine == null || engine.rules() != current) {
      engine = new Engine(current, new DetectionEngine(current, state).keepingRepeats());
      engines.put(state, engine);
    }
    return engine.engine();
  }

  private static Alert toAlert(RuleAlert found, AlertSubject subject) {
    DetectorSpec spec = new DetectorSpec(found.ruleId(), found.category(), Severity.valueOf(found.severity().name()),
        found.title(), Map.of());
    AlertDraft draft = AlertDraft.of(spec, subject)
        .description(found.summary())
        .excerpt(found.hits().isEmpty() ? found.summary() : found.hits().get(0).excerpt())
        .evidence(found.evidence())
        .attribute("rule_kind", found.kind());
    // A rule's own dedup key (mcpaudit.dedup) decides what counts as the same finding; repeats
    // within its window reach the alert dedup stage under that key and update the open alert.
    return (found.dedupGroup() != null ? draft.dedupAcrossSessions(found.dedupGroup())
        : draft.dedupOn(found.kind().equals("match") ? "" : found.kind())).build();
  }

  /** Detector rules in the pack, as the specs the stateful detectors run with. */
  public static Map<String, DetectorSpec> detectorSpecs(RuleSet rules) {
    Map<String, DetectorSpec> specs = new java.util.LinkedHashMap<>();
    for (CompiledRule rule : rules.detectorRules()) {
      io.mcpaudit.rules.extension.DetectorSpec detector = rule.extension().detector().orElseThrow();
      Map<String, String> thresholds = new java.util.LinkedHashMap<>();
      detector.thresholds().forEach((k, v) -> thresholds.put(k, String.valueOf(v)));
      specs.put(detector.name(), new DetectorSpec(rule.id(), rule.category().map(c -> c.id()).orElse(detector.name()),
          Severity.valueOf(rule.severity().name()), rule.title(), thresholds));
    }
    return specs;
  }
}
