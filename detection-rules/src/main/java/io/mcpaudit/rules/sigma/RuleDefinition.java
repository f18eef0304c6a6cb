package io.mcpaudit.rules.sigma;

import io.mcpaudit.rules.extension.McpAuditExtension;

/** One YAML document of a rule file: a detection rule ({@link SigmaRule}) or a correlation rule. */
public interface RuleDefinition {
    RuleMeta meta();

    McpAuditExtension extension();
}
