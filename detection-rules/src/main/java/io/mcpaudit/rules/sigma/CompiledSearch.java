package io.mcpaudit.rules.sigma;

import io.mcpaudit.rules.event.RuleEvent;
import io.mcpaudit.rules.sigma.match.FieldMatcher;
import io.mcpaudit.rules.sigma.match.Hit;
import java.util.ArrayList;
import java.util.List;

/** A compiled search identifier: OR over alternatives, AND over each alternative's fields. */
final class CompiledSearch {
    private final String name;
    private final List<List<FieldMatcher>> alternatives;

    CompiledSearch(String name, List<List<FieldMatcher>> alternatives) {
        this.name = name;
        this.alternatives = alternatives.stream().map(List::copyOf).toList();
    }

    boolean matches(RuleEvent event) {
        for (List<FieldMatcher> all : alternatives) {
            boolean ok = true;
            for (FieldMatcher f : all) {
                if (!f.matches(event)) {
                    ok = false;
                    break;
                }
            }
            if (ok) {
                return true;
            }
        }
        return false;
    }

    /** The hits of the first matching alternative, or an empty list. */
    List<Hit> explain(RuleEvent event) {
        for (List<FieldMatcher> all : alternatives) {
            List<Hit> hits = new ArrayList<>();
            for (FieldMatcher f : all) {
                Hit h = f.explain(event, name);
                if (h == null) {
                    hits = null;
                    break;
                }
                hits.add(h);
            }
            if (hits != null) {
                return hits;
            }
        }
        return List.of();
    }
}
