package io.mcpaudit.rules.event;

import java.util.List;
import java.util.Optional;

/**
 * Fields the engine computes from an event rather than reads from it (for example the hiding
 * findings of untrusted text), and alternate forms of carried text that rules should also see.
 */
public interface DerivedFields {

    /** Values of a derived field, or empty when {@code field} is not one this source derives. */
    Optional<List<Object>> derive(String field, RuleEvent event);

    /** Other forms of a carried string value (such as its normalized text) to match as well. */
    List<String> alternateForms(String field, String value, RuleEvent event);

    /** No derived fields: events are matched exactly as carried. */
    DerivedFields NONE = new DerivedFields() {
        @Override
        public Optional<List<Object>> derive(String field, RuleEvent event) {
            return Optional.empty();
        }

        @Override
        public List<String> alternateForms(String field, String value, RuleEvent event) {
            return List.of();
        }
    };
}
