package io.mcpaudit.rules;

import io.mcpaudit.rules.correlation.CorrelationRule;
import io.mcpaudit.rules.sigma.CompiledRule;
import io.mcpaudit.rules.sigma.RuleDefinition;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The loaded, linked rules: detection rules, correlation rules, and which of them alert on their
 * own. Immutable; a rule change produces a new rule set, never a change to this one.
 */
public final class RuleSet {
    private final List<CompiledRule> rules;
    private final List<CorrelationRule> correlations;
    private final Set<String> standalone;
    private final Map<String, RuleDefinition> byRef = new HashMap<>();
    private final Map<String, CompiledRule> compiledById = new HashMap<>();

    RuleSet(List<CompiledRule> rules, List<CorrelationRule> correlations, Set<String> standalone) {
        this.rules = List.copyOf(rules);
        this.correlations = List.copyOf(correlations);
        this.standalone = Set.copyOf(standalone);
        for (CompiledRule r : rules) {
            index(r.definition());
            compiledById.put(r.id(), r);
        }
        correlations.forEach(this::index);
    }

    private void index(RuleDefinition d) {
        byRef.put(d.meta().id(), d);
        if (d.meta().name() != null) {
            byRef.put(d.meta().name(), d);
        }
    }

    public static RuleSet empty() {
        return new RuleSet(List.of(), List.of(), Set.of());
    }

    /** Every detection rule, including helper rules of correlations and detector rules. */
    public List<CompiledRule> rules() {
        return rules;
    }

    public List<CorrelationRule> correlations() {
        return correlations;
    }

    /** Rules that name a stream-processor detector (their thresholds and fixtures are data here). */
    public List<CompiledRule> detectorRules() {
        return rules.stream().filter(r -> r.extension().detector().isPresent()).toList();
    }

    /** A rule or correlation by id or name. */
    public Optional<RuleDefinition> definition(String idOrName) {
        return Optional.ofNullable(byRef.get(idOrName));
    }

    /** A detection rule by id or name. */
    public Optional<CompiledRule> rule(String idOrName) {
        RuleDefinition d = byRef.get(idOrName);
        return d == null ? Optional.empty() : Optional.ofNullable(compiledById.get(d.meta().id()));
    }

    public Optional<CorrelationRule> correlation(String idOrName) {
        return byRef.get(idOrName) instanceof CorrelationRule c ? Optional.of(c) : Optional.empty();
    }

    /**
     * Whether a rule raises alerts on its own. Rules referenced by a correlation do not, unless
     * a correlation referencing them sets {@code generate: true} (Sigma's default).
     */
    public boolean isStandalone(String ruleId) {
        return standalone.contains(ruleId);
    }

    /** A copy in which {@code ruleId} alerts on its own, to test a rule that normally only feeds others. */
    public RuleSet withStandalone(String ruleId) {
        Set<String> s = new java.util.HashSet<>(standalone);
        s.add(ruleId);
        return new RuleSet(rules, correlations, s);
    }

    public int size() {
        return rules.size() + correlations.size();
    }
}
