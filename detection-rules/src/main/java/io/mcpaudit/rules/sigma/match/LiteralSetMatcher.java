package io.mcpaudit.rules.sigma.match;

import io.mcpaudit.rules.content.LiteralSet;
import io.mcpaudit.rules.event.RuleEvent;
import io.mcpaudit.rules.event.ValueText;
import java.util.List;

/**
 * Many OR-linked {@code contains} values of one field, found together instead of one substring
 * search per value. Only worth it for large sets: below {@link #MIN_LITERALS} values, substring
 * searches on the (cached) lower-cased text are faster.
 *
 * <p>ASCII values join the rule pack's {@link LiteralIndex}, whose one pass per text serves
 * every rule: a text the regex rules scan anyway costs nothing more here. A case-sensitive value
 * found in the folded text is confirmed in the original. Texts that lower-casing lengthens (a
 * dotted capital I) and sets with other characters use an automaton of their own, which folds
 * character by character.
 */
public final class LiteralSetMatcher implements ValueMatcher {
    /** From this many values on, one automaton pass beats repeated substring searches (measured). */
    public static final int MIN_LITERALS = 24;

    private final List<String> literals;
    private final LiteralSet set;
    private final boolean cased;
    private final LiteralIndex index;
    private final int[] ids;
    private final int literalsNeeded;

    public LiteralSetMatcher(List<String> literals, boolean cased) {
        this(literals, cased, null);
    }

    public LiteralSetMatcher(List<String> literals, boolean cased, LiteralIndex index) {
        this.literals = List.copyOf(literals);
        this.set = LiteralSet.of(literals, !cased);
        this.cased = cased;
        boolean ascii = literals.stream().allMatch(l -> l.chars().allMatch(c -> c < 0x80));
        this.index = ascii ? index : null;
        this.ids = this.index == null ? new int[0]
                : this.index.ids(literals.stream().map(RegexPrefilter::fold).toList());
        this.literalsNeeded = index == null ? 0 : index.size();
    }

    @Override
    public int find(Object value, RuleEvent event) {
        if (value == null) {
            return -1;
        }
        String text = ValueText.of(value);
        if (index != null) {
            String folded = event.caseFolded(text);
            if (folded.length() == text.length()) {
                LiteralScan scan = LiteralScan.of(index, text, folded, event, literalsNeeded);
                if (!scan.hasAny(ids)) {
                    return -1;
                }
                if (!cased) {
                    return scan.firstStart(ids);
                }
            }
        }
        LiteralSet.Hit hit = set.find(text);
        return hit == null ? -1 : hit.start();
    }

    @Override
    public String describe() {
        return (cased ? "" : "(any case) ") + "one of " + literals.size() + " literals";
    }
}
