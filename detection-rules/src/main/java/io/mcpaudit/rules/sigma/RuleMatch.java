package io.mcpaudit.rules.sigma;

import io.mcpaudit.rules.sigma.match.Hit;
import java.util.List;

/** A rule that matched one event, with what matched (for the alert's explanation). */
public record RuleMatch(CompiledRule rule, List<Hit> hits) {
    public RuleMatch {
        hits = List.copyOf(hits);
    }
}
