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
                        Instant time, List<String> evidence, String kind, String summary, List<Hit> hits,
                        String dedupGroup, boolean repeat) {
    public RuleAlert {
        evidence = List.copyOf(evidence);
        hits = List.copyOf(hits);
    }

    public RuleAlert(String ruleId, String title, String category, Severity severity, String session,
                     Instant time, List<String> evidence, String kind, String summary, List<Hit> hits) {
        this(ruleId, title, category, severity, session, time, evidence, kind, summary, hits, null, false);
    }

    /**
     * This alert under its rule's {@code mcpaudit.dedup} group (the key values), and whether it
     * repeats one already raised for that group within the window.
     */
    public RuleAlert deduplicated(String group, boolean isRepeat) {
        return new RuleAlert(ruleId, title, category, severity, session, time, evidence, kind, summary, hits, group,
                isRepeat);
    }
}
