package io.mcpaudit.rules;

import io.mcpaudit.rules.correlation.CorrelationRule;
import io.mcpaudit.rules.extension.SequenceSpan;
import io.mcpaudit.rules.sigma.CompiledRule;
import io.mcpaudit.rules.sigma.RuleDefinition;
import io.mcpaudit.rules.sigma.RuleMeta;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Checks what only the whole rule set can tell: unique ids and names, correlation and
 * absence/ordering references, reference cycles, and a category on every alerting rule. A rule
 * that fails (or depends on one that fails) is left out and reported.
 */
final class RuleLinker {

    RuleSet link(List<CompiledRule> compiled, List<CorrelationRule> correlations, List<RuleProblem> problems) {
        Map<String, RuleDefinition> byRef = new HashMap<>();
        Map<String, CompiledRule> rules = new LinkedHashMap<>();
        Map<String, CorrelationRule> corrs = new LinkedHashMap<>();
        for (CompiledRule r : compiled) {
            if (register(r.definition(), byRef, problems)) {
                rules.put(r.id(), r);
            }
        }
        for (CorrelationRule c : correlations) {
            if (register(c, byRef, problems)) {
                corrs.put(c.meta().id(), c);
            }
        }
        boolean changed = true;
        while (changed) {
            changed = dropBroken(rules, corrs, byRef, problems);
        }
        Set<String> referenced = new HashSet<>();
        Set<String> generated = new HashSet<>();
        for (CorrelationRule c : corrs.values()) {
            for (String ref : c.rules()) {
                String id = byRef.get(ref).meta().id();
                referenced.add(id);
                if (c.generate()) {
                    generated.add(id);
                }
            }
        }
        for (CompiledRule r : rules.values()) {
            // The other rule of an absence/ordering check is a building block, like a correlation's.
            r.extension().absence().or(() -> r.extension().ordering())
                    .map(span -> byRef.get(span.rule()))
                    .ifPresent(d -> referenced.add(d.meta().id()));
        }
        Set<String> standalone = new HashSet<>();
        List<RuleDefinition> all = new ArrayList<>(rules.values().stream().map(CompiledRule::definition).toList());
        all.addAll(corrs.values());
        for (RuleDefinition d : all) {
            String id = d.meta().id();
            if (!referenced.contains(id) || generated.contains(id)) {
                standalone.add(id);
            }
        }
        for (RuleDefinition d : all) {
            if (standalone.contains(d.meta().id()) && d.extension().category().isEmpty()) {
                problems.add(problem(d.meta(), "rule raises alerts but has no mcpaudit.category; add one of the fixed categories"
                        + " (only rules used solely by a correlation may leave it out)"));
                rules.remove(d.meta().id());
                corrs.remove(d.meta().id());
            }
        }
        return new RuleSet(List.copyOf(rules.values()), List.copyOf(corrs.values()), standalone);
    }

    private static boolean register(RuleDefinition d, Map<String, RuleDefinition> byRef, List<RuleProblem> problems) {
        RuleMeta m = d.meta();
        RuleDefinition other = byRef.get(m.id());
        if (other != null) {
            problems.add(problem(m, "id " + m.id() + " is already used by '" + other.meta().title() + "' at " + other.meta().location()));
            return false;
        }
        if (m.name() != null && byRef.containsKey(m.name())) {
            problems.add(problem(m, "name '" + m.name() + "' is already used by '" + byRef.get(m.name()).meta().title() + "' at "
                    + byRef.get(m.name()).meta().location()));
            return false;
        }
        byRef.put(m.id(), d);
        if (m.name() != null) {
            byRef.put(m.name(), d);
        }
        return true;
    }

    /** Drops rules whose references do not resolve to a usable rule; true if any was dropped. */
    private static boolean dropBroken(Map<String, CompiledRule> rules, Map<String, CorrelationRule> corrs,
                                      Map<String, RuleDefinition> byRef, List<RuleProblem> problems) {
        for (CorrelationRule c : List.copyOf(corrs.values())) {
            Optional<String> error = correlationError(c, rules, corrs, byRef);
            if (error.isPresent()) {
                problems.add(problem(c.meta(), error.get()));
                unregister(c, byRef);
                corrs.remove(c.meta().id());
                return true;
            }
        }
        for (CompiledRule r : List.copyOf(rules.values())) {
            Optional<SequenceSpan> span = r.extension().absence().or(() -> r.extension().ordering());
            if (span.isPresent()) {
                RuleDefinition target = byRef.get(span.get().rule());
                String key = r.extension().absence().isPresent() ? "absence.followed_by" : "ordering.preceded_by";
                if (target == null || !rules.containsKey(target.meta().id())) {
                    problems.add(problem(r.definition().meta(), "mcpaudit." + key + " refers to '" + span.get().rule()
                            + "', which is not a loaded detection rule (give its id or name)"));
                    unregister(r.definition(), byRef);
                    rules.remove(r.id());
                    return true;
                }
            }
        }
        return false;
    }

    private static Optional<String> correlationError(CorrelationRule c, Map<String, CompiledRule> rules,
                                                     Map<String, CorrelationRule> corrs, Map<String, RuleDefinition> byRef) {
        for (String ref : c.rules()) {
            RuleDefinition d = byRef.get(ref);
            if (d == null || !(rules.containsKey(d.meta().id()) || corrs.containsKey(d.meta().id()))) {
                return Optional.of("correlation refers to '" + ref + "', which is not a loaded rule (give its id or name)");
            }
            if (d == c) {
                return Optional.of("correlation refers to itself");
            }
        }
        for (Map.Entry<String, Map<String, String>> alias : c.aliases().entrySet()) {
            for (String ruleRef : alias.getValue().keySet()) {
                RuleDefinition d = byRef.get(ruleRef);
                boolean listed = d != null && c.rules().stream().anyMatch(r -> byRef.get(r) == d);
                if (!listed) {
                    return Optional.of("alias '" + alias.getKey() + "' names rule '" + ruleRef + "', which is not among this correlation's rules");
                }
            }
        }
        if (reaches(c, c, corrs, byRef, new HashSet<>())) {
            return Optional.of("correlation references form a cycle through '" + c.meta().title() + "'");
        }
        return Optional.empty();
    }

    private static boolean reaches(CorrelationRule from, CorrelationRule target, Map<String, CorrelationRule> corrs,
                                   Map<String, RuleDefinition> byRef, Set<String> seen) {
        for (String ref : from.rules()) {
            RuleDefinition d = byRef.get(ref);
            if (d instanceof CorrelationRule next && corrs.containsKey(next.meta().id())) {
                if (next == target) {
                    return true;
                }
                if (seen.add(next.meta().id()) && reaches(next, target, corrs, byRef, seen)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static void unregister(RuleDefinition d, Map<String, RuleDefinition> byRef) {
        byRef.values().removeIf(v -> v == d);
    }

    private static RuleProblem problem(RuleMeta m, String message) {
        return new RuleProblem(m.file(), m.line(), message);
    }
}
