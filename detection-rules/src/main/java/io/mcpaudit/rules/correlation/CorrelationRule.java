package io.mcpaudit.rules.correlation;

import io.mcpaudit.rules.extension.McpAuditExtension;
import io.mcpaudit.rules.sigma.RuleDefinition;
import io.mcpaudit.rules.sigma.RuleMeta;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A Sigma correlation rule: counts or sequences matches of other rules (referenced by id or
 * name) per group within a time span.
 *
 * @param aliases alias field name to (rule name or id to the field it stands for in that rule's events)
 * @param generate whether the referenced rules also alert on their own
 */
public record CorrelationRule(
        RuleMeta meta,
        CorrelationType type,
        List<String> rules,
        List<String> groupBy,
        Duration timespan,
        CountCondition condition,
        Map<String, Map<String, String>> aliases,
        boolean generate,
        McpAuditExtension extension) implements RuleDefinition {

    public CorrelationRule {
        rules = List.copyOf(rules);
        groupBy = List.copyOf(groupBy);
        aliases = Map.copyOf(aliases);
    }
}
