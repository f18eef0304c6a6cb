package io.mcpaudit.rules.sigma;

import java.util.List;
import java.util.function.Predicate;

/**
 * A parsed Sigma condition. After {@link ConditionParser#bind} every {@code x of pattern} has
 * been expanded to the identifiers it names, so evaluation only needs a truth value per name.
 */
public sealed interface Condition {

    boolean eval(Predicate<String> identifier);

    /** Visits the identifiers this condition can be satisfied by (not under a negation). */
    void positiveIdentifiers(boolean negated, java.util.function.Consumer<String> sink);

    record Ref(String name) implements Condition {
        @Override
        public boolean eval(Predicate<String> identifier) {
            return identifier.test(name);
        }

        @Override
        public void positiveIdentifiers(boolean negated, java.util.function.Consumer<String> sink) {
            if (!negated) {
                sink.accept(name);
            }
        }
    }

    record And(List<Condition> terms) implements Condition {
        @Override
        public boolean eval(Predicate<String> identifier) {
            for (Condition c : terms) {
                if (!c.eval(identifier)) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public void positiveIdentifiers(boolean negated, java.util.function.Consumer<String> sink) {
            terms.forEach(t -> t.positiveIdentifiers(negated, sink));
        }
    }

    record Or(List<Condition> terms) implements Condition {
        @Override
        public boolean eval(Predicate<String> identifier) {
            for (Condition c : terms) {
                if (c.eval(identifier)) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public void positiveIdentifiers(boolean negated, java.util.function.Consumer<String> sink) {
            terms.forEach(t -> t.positiveIdentifiers(negated, sink));
        }
    }

    record Not(Condition term) implements Condition {
        @Override
        public boolean eval(Predicate<String> identifier) {
            return !term.eval(identifier);
        }

        @Override
        public void positiveIdentifiers(boolean negated, java.util.function.Consumer<String> sink) {
            term.positiveIdentifiers(!negated, sink);
        }
    }

    /**
     * {@code 1 of …} / {@code all of …}; before binding {@code names} is empty and
     * {@code pattern} holds the identifier pattern, or null for {@code them}.
     */
    record Of(boolean all, String pattern, List<String> names) implements Condition {
        @Override
        public boolean eval(Predicate<String> identifier) {
            for (String n : names) {
                if (identifier.test(n) != all) {
                    return !all;
                }
            }
            return all;
        }

        @Override
        public void positiveIdentifiers(boolean negated, java.util.function.Consumer<String> sink) {
            if (!negated) {
                names.forEach(sink);
            }
        }
    }
}
