package io.mcpaudit.rules.sigma;

import io.mcpaudit.rules.content.UntrustedContentFields;
import io.mcpaudit.rules.event.DerivedFields;
import io.mcpaudit.rules.event.RuleEvent;
import io.mcpaudit.rules.extension.Category;
import io.mcpaudit.rules.extension.McpAuditExtension;
import io.mcpaudit.rules.extension.Severity;
import io.mcpaudit.rules.sigma.match.Hit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A Sigma rule ready to match events. Immutable and thread-safe; per-event caches live in the
 * {@link RuleEvent}, so pass the same {@code RuleEvent} to every rule evaluated on one event.
 */
public final class CompiledRule {
    private final SigmaRule definition;
    private final Condition condition;
    private final Map<String, CompiledSearch> searches;
    private final DerivedFields derivedFields;

    CompiledRule(SigmaRule definition, Condition condition, Map<String, CompiledSearch> searches, DerivedFields derivedFields) {
        this.definition = definition;
        this.condition = condition;
        this.searches = Map.copyOf(searches);
        this.derivedFields = derivedFields;
    }

    public SigmaRule definition() {
        return definition;
    }

    public String id() {
        return definition.meta().id();
    }

    public String title() {
        return definition.meta().title();
    }

    public McpAuditExtension extension() {
        return definition.extension();
    }

    public Optional<Category> category() {
        return definition.extension().category();
    }

    public Severity severity() {
        return definition.extension().severityFor(definition.meta().level());
    }

    /** False for rules that only name a stream-processor detector and carry no detection. */
    public boolean hasDetection() {
        return condition != null;
    }

    /** Matches a plain event (nested maps or flat dotted keys). */
    public boolean matches(Map<String, Object> event) {
        return matches(new RuleEvent(event, derivedFields));
    }

    public boolean matches(RuleEvent event) {
        return condition != null && condition.eval(name -> searches.get(name).matches(event));
    }

    /** The match with its explanation, or empty when the rule does not match. */
    public Optional<RuleMatch> evaluate(RuleEvent event) {
        if (!matches(event)) {
            return Optional.empty();
        }
        Set<String> positive = new LinkedHashSet<>();
        condition.positiveIdentifiers(false, positive::add);
        List<Hit> hits = new ArrayList<>();
        for (String name : positive) {
            hits.addAll(searches.get(name).explain(event));
        }
        return Optional.of(new RuleMatch(this, hits));
    }

    /** A {@link RuleEvent} for this rule's derived fields, to share across rules. */
    public RuleEvent event(Map<String, Object> source) {
        return new RuleEvent(source, derivedFields);
    }

    /** The standard derived fields: normalized untrusted text, hidden findings, network targets. */
    public static DerivedFields standardDerivedFields() {
        return new UntrustedContentFields();
    }

    @Override
    public String toString() {
        return id() + " (" + title() + ")";
    }
}
