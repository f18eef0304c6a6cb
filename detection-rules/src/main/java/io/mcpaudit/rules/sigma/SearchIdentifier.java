package io.mcpaudit.rules.sigma;

import java.util.List;

/**
 * A named search of a rule's {@code detection}: a map (all entries must match), a list of maps
 * (any map must match) or a list of keywords (any must occur somewhere in the event).
 *
 * @param alternatives OR-linked alternatives, each an AND-linked list of field specs
 */
public record SearchIdentifier(String name, List<List<FieldSpec>> alternatives, int line) {
    public SearchIdentifier {
        alternatives = alternatives.stream().map(List::copyOf).toList();
    }
}
