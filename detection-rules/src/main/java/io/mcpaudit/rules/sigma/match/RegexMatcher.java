package io.mcpaudit.rules.sigma.match;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import io.mcpaudit.rules.event.RuleEvent;
import io.mcpaudit.rules.event.ValueText;

/**
 * The {@code re} modifier: an RE2/J search anywhere in the value (linear time), behind a
 * literal prefilter that spares the regex engine the texts it could never match.
 */
public final class RegexMatcher implements ValueMatcher {
    private final Pattern pattern;
    private final RegexPrefilter.Requirement prefilter;

    public RegexMatcher(Pattern pattern) {
        this.pattern = pattern;
        this.prefilter = RegexPrefilter.of(pattern.pattern());
    }

    @Override
    public int find(Object value, RuleEvent event) {
        if (value == null) {
            return -1;
        }
        String text = ValueText.of(value);
        if (!(prefilter instanceof RegexPrefilter.All) && !prefilter.test(event.caseFolded(text))) {
            return -1;
        }
        Matcher m = pattern.matcher(text);
        return m.find() ? m.start() : -1;
    }

    /** The literal requirement checked before the regex runs (for tests and diagnostics). */
    public RegexPrefilter.Requirement prefilter() {
        return prefilter;
    }

    @Override
    public String describe() {
        return "/" + pattern.pattern() + "/";
    }
}
