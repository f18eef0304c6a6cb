package io.mcpaudit.rules.sigma;

import java.util.List;
import java.util.Map;

/** The {@code detection} section: named searches and the condition(s) combining them. */
public record Detection(Map<String, SearchIdentifier> identifiers, List<String> conditions, int conditionLine) {
    public Detection {
        identifiers = Map.copyOf(identifiers);
        conditions = List.copyOf(conditions);
    }
}
