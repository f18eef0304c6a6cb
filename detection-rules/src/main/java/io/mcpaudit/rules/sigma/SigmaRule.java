package io.mcpaudit.rules.sigma;

import io.mcpaudit.rules.extension.McpAuditExtension;
import java.util.Map;
import java.util.Optional;

/**
 * A parsed (not yet compiled) Sigma detection rule with its mcp-audit extension block. A rule
 * that only names a stream-processor detector may have no {@code detection}.
 */
public record SigmaRule(RuleMeta meta, Map<String, String> logsource, Optional<Detection> detection, McpAuditExtension extension)
        implements RuleDefinition {
    public SigmaRule {
        logsource = Map.copyOf(logsource);
    }
}
