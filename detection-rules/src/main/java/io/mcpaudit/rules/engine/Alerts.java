package io.mcpaudit.rules.engine;

import io.mcpaudit.rules.correlation.GroupKey;
import io.mcpaudit.rules.event.EventFields;
import io.mcpaudit.rules.event.RuleEvent;
import io.mcpaudit.rules.sigma.CompiledRule;
import io.mcpaudit.rules.sigma.match.Hit;
import java.time.Instant;
import java.util.List;

/** Builds alerts and reads their evidence and session; shared by the engine and its evaluators. */
final class Alerts {
    /** How long a step-bounded entry waits when the rule gives no time bound. */
    static final long STEP_ONLY_TTL_MILLIS = 24L * 3600 * 1000;

    private Alerts() {
    }

    static List<String> evidenceOf(RuleEvent event) {
        return event.eventId().map(List::of).orElse(List.of());
    }

    static String session(RuleEvent event) {
        return GroupKey.first(event, EventFields.SESSION_ID);
    }

    static RuleAlert alert(CompiledRule rule, String kind, String session, Instant time, List<String> evidence,
                           String summary, List<Hit> hits) {
        return new RuleAlert(rule.id(), rule.title(), rule.category().map(c -> c.id()).orElse(""), rule.severity(),
                session, time, evidence, kind, summary, hits);
    }
}
