package io.mcpaudit.rules.engine;

import io.mcpaudit.rules.extension.Severity;
import io.mcpaudit.rules.sigma.match.Hit;
import java.time.Instant;
import java.util.List;

/**
 * An alert raised by a rule. It explains itself: what kind of rule fired, what matched (with
 * excerpts) and the ids of the events that are its evidence.
 *
 * @param kind {@code match}, {@code correlation}, {@code first_seen}, {@code absence} or {@code ordering}
 * @param summary one line saying why, readable without the rule source
 */
public record RuleAlert(String ruleId, String title, String category, Severity severity, String session,
                        Instant time, List<String> evidence, String kind, String summary, List<Hit> hits) {
    public RuleAlert {
        evidence = List.copyOf(evidence);
        hits = List.copyOf(hits);
    }
}
