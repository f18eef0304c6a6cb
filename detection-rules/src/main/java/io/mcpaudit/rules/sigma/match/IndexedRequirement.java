package io.mcpaudit.rules.sigma.match;

import java.util.List;

/**
 * A {@link RegexPrefilter.Requirement} whose literals are ids in a {@link LiteralIndex}, tested
 * on the text's {@link LiteralScan} instead of by substring searches.
 */
sealed interface IndexedRequirement {
    boolean test(LiteralScan scan);

    /** Whether the requirement holds for the part {@code [from, to)} of the text alone. */
    boolean testWithin(LiteralScan scan, int from, int to);

    IndexedRequirement ALWAYS = new Always();

    static IndexedRequirement of(RegexPrefilter.Requirement r, LiteralIndex index) {
        if (r instanceof RegexPrefilter.Literal l) {
            return new Any(new int[] {index.id(l.text())});
        }
        if (r instanceof RegexPrefilter.AnyLiteral any) {
            return new Any(index.ids(any.literals()));
        }
        if (r instanceof RegexPrefilter.And and) {
            return new And(terms(and.terms(), index));
        }
        if (r instanceof RegexPrefilter.Or or) {
            return new Or(terms(or.terms(), index));
        }
        return ALWAYS;
    }

    private static IndexedRequirement[] terms(List<RegexPrefilter.Requirement> terms, LiteralIndex index) {
        return terms.stream().map(t -> of(t, index)).toArray(IndexedRequirement[]::new);
    }

    record Always() implements IndexedRequirement {
        @Override
        public boolean test(LiteralScan scan) {
            return true;
        }

        @Override
        public boolean testWithin(LiteralScan scan, int from, int to) {
            return true;
        }
    }

    record Any(int[] ids) implements IndexedRequirement {
        @Override
        public boolean test(LiteralScan scan) {
            return scan.hasAny(ids);
        }

        @Override
        public boolean testWithin(LiteralScan scan, int from, int to) {
            return scan.hasAnyWithin(ids, from, to);
        }
    }

    record And(IndexedRequirement[] terms) implements IndexedRequirement {
        @Override
        public boolean test(LiteralScan scan) {
            for (IndexedRequirement t : terms) {
                if (!t.test(scan)) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public boolean testWithin(LiteralScan scan, int from, int to) {
            for (IndexedRequirement t : terms) {
                if (!t.testWithin(scan, from, to)) {
                    return false;
                }
            }
            return true;
        }
    }

    record Or(IndexedRequirement[] terms) implements IndexedRequirement {
        @Override
        public boolean test(LiteralScan scan) {
            for (IndexedRequirement t : terms) {
                if (t.test(scan)) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public boolean testWithin(LiteralScan scan, int from, int to) {
            for (IndexedRequirement t : terms) {
                if (t.testWithin(scan, from, to)) {
                    return true;
                }
            }
            return false;
        }
    }
}
