package io.mcpaudit.rules.sigma;

import io.mcpaudit.rules.event.DerivedFields;
import io.mcpaudit.rules.sigma.match.FieldMatcher;
import io.mcpaudit.rules.sigma.match.LiteralIndex;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Compiles parsed Sigma rules: binds the condition and builds a matcher for every field entry. */
public final class RuleCompiler {
    private final DerivedFields derivedFields;
    /** The literals of every regex this compiler compiled, scanned for in one pass per text. */
    private final LiteralIndex literals = new LiteralIndex();

    public RuleCompiler(DerivedFields derivedFields) {
        this.derivedFields = derivedFields;
    }

    /** A compiler with the standard derived fields (normalized content, hidden findings, targets). */
    public RuleCompiler() {
        this(CompiledRule.standardDerivedFields());
    }

    /** Compiles a rule; every problem found is added to {@code problems} as (line, message). */
    public CompiledRule compile(SigmaRule rule, List<InvalidRuleException> problems) {
        if (rule.detection().isEmpty()) {
            return new CompiledRule(rule, null, Map.of(), derivedFields);
        }
        Detection d = rule.detection().get();
        int before = problems.size();
        Map<String, CompiledSearch> searches = new LinkedHashMap<>();
        for (SearchIdentifier id : d.identifiers().values()) {
            List<List<FieldMatcher>> alternatives = new ArrayList<>();
            for (List<FieldSpec> specs : id.alternatives()) {
                List<FieldMatcher> all = new ArrayList<>();
                for (FieldSpec spec : specs) {
                    try {
                        all.add(ValueCompiler.compile(spec, literals));
                    } catch (InvalidRuleException e) {
                        problems.add(e);
                    }
                }
                alternatives.add(all);
            }
            searches.put(id.name(), new CompiledSearch(id.name(), alternatives));
        }
        List<Condition> conditions = new ArrayList<>();
        for (String text : d.conditions()) {
            try {
                conditions.add(ConditionParser.bind(ConditionParser.parse(text), d.identifiers().keySet()));
            } catch (ConditionParser.ConditionException e) {
                problems.add(new InvalidRuleException(d.conditionLine(), e.getMessage()));
            }
        }
        if (problems.size() != before) {
            return null;
        }
        Condition condition = conditions.size() == 1 ? conditions.get(0) : new Condition.Or(conditions);
        return new CompiledRule(rule, condition, searches, derivedFields);
    }
}
