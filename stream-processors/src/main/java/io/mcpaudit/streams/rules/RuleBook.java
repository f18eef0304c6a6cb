package io.mcpaudit.streams.rules;

import io.mcpaudit.rules.LoadResult;
import io.mcpaudit.rules.RuleLoader;
import io.mcpaudit.rules.RuleProblem;
import io.mcpaudit.rules.RuleSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rule texts a pipeline runs, by rule id, and the rule set compiled from them. A changed rule
 * is accepted only if it compiles; otherwise it is rejected with its problems and the previous
 * version stays active, so one bad push never disables the pack. Not thread-safe: one watcher owns it.
 */
public final class RuleBook {
  private final RuleLoader loader = new RuleLoader();
  private final Map<String, String> texts = new LinkedHashMap<>();
  private RuleSet current = RuleSet.empty();

  /** What applying a change did: the active rule set and the problems that made it refuse (empty if accepted). */
  public record Change(RuleSet rules, List<RuleProblem> rejected) {
    public boolean accepted() {
      return rejected.isEmpty();
    }
  }

  public RuleSet current() {
    return current;
  }

  /** Adds or replaces one rule's YAML. */
  public Change put(String ruleId, String yaml) {
    Map<String, String> trial = new LinkedHashMap<>(texts);
    trial.put(ruleId, yaml);
    return tryApply(trial, ruleId);
  }

  /** Removes a rule (a tombstone on the rules topic). */
  public Change remove(String ruleId) {
    Map<String, String> trial = new LinkedHashMap<>(texts);
    if (trial.remove(ruleId) == null) {
      return new Change(current, List.of());
    }
    return tryApply(trial, ruleId);
  }

  private Change tryApply(Map<String, String> trial, String changedId) {
    Map<String, String> files = new LinkedHashMap<>();
    trial.forEach((id, yaml) -> files.put(fileName(id), yaml));
    LoadResult result = loader.load(files);
    List<RuleProblem> mine = result.problems().stream()
        .filter(p -> String.valueOf(p.file()).endsWith(fileName(changedId)))
        .toList();
    if (!mine.isEmpty()) {
      return new Change(current, mine);
    }
    texts.clear();
    texts.putAll(trial);
    current = result.ruleSet();
    return new Change(current, List.of());
  }

  private static String fileName(String ruleId) {
    return ruleId + ".yml";
  }
}
