package io.mcpaudit.rules.sigma;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.re2j.Pattern;
import io.mcpaudit.rules.LoadResult;
import io.mcpaudit.rules.RuleLoader;
import io.mcpaudit.rules.event.DerivedFields;
import io.mcpaudit.rules.event.RuleEvent;
import io.mcpaudit.rules.quality.Corpus;
import io.mcpaudit.rules.quality.CorpusSample;
import io.mcpaudit.rules.sigma.match.RegexMatcher;
import io.mcpaudit.rules.sigma.match.RegexPrefilter;
import io.mcpaudit.rules.yaml.YamlNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The literal filters, proximity chains, windows and anchored tries of {@link RegexMatcher} give
 * the same answer as a plain search of the whole text, for every regular expression of the
 * shipped pack, on long and short texts.
 */
class RegexWindowTest {

    @Test
    void windowsAreDerivedForBoundedPatterns() {
        RegexPrefilter.Window w = RegexPrefilter.window("\\b(ignore|disregard)\\b.{0,40}\\b(previous|prior)\\b\\s+instructions").orElseThrow();
        assertThat(w.anchors()).contains("instructions");
        assertThat(w.before().bound(3, false)).isGreaterThanOrEqualTo("disregard".length() + 40 + "previous".length() + 3);
        assertThat(RegexPrefilter.window("foo.*bar")).isEmpty();
        assertThat(RegexPrefilter.window("[a-z]+")).isEmpty();
        assertThat(RegexPrefilter.window("abc|x")).isEmpty();
        // An unbounded whitespace repeat is bounded by the text's longest whitespace run.
        assertThat(RegexPrefilter.window("you\\s+are").orElseThrow().after().spaces()).isEqualTo(1);
    }

    @Test
    void windowedSearchAgreesWithWholeTextSearchOnThePack() {
        Set<String> seen = new LinkedHashSet<>();
        List<Pattern> patterns = new ArrayList<>();
        LoadResult loaded = new RuleLoader().load(Path.of("rules"));
        loaded.ruleSet().rules().forEach(r -> r.definition().detection().ifPresent(d -> d.identifiers().values().forEach(id ->
                id.alternatives().forEach(alt -> alt.forEach(spec -> {
                    if (!spec.has(Modifier.RE)) {
                        return;
                    }
                    int flags = (spec.has(Modifier.I) ? Pattern.CASE_INSENSITIVE : 0) | (spec.has(Modifier.M) ? Pattern.MULTILINE : 0)
                            | (spec.has(Modifier.S) ? Pattern.DOTALL : 0);
                    for (YamlNode.Scalar v : spec.values()) {
                        if (seen.add(flags + "/" + v.text())) {
                            patterns.add(Pattern.compile(v.text(), flags));
                        }
                    }
                })))));
        assertThat(patterns).hasSizeGreaterThan(20);

        List<String> attacks = new ArrayList<>();
        List<String> benign = new ArrayList<>();
        for (CorpusSample s : Corpus.load(Corpus.DEFAULT_DIR).samples()) {
            (s.benign() ? benign : attacks).add(s.text());
        }
        Random rnd = new Random(42);
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            texts.add(longText(rnd, benign, attacks));
        }
        for (int i = 0; i < 300; i++) {
            texts.add(shortText(rnd, i % 2 == 0 ? attacks : benign));
        }
        int windowed = 0;
        int matched = 0;
        for (Pattern p : patterns) {
            RegexMatcher matcher = new RegexMatcher(p);
            if (matcher.window().isPresent()) {
                windowed++;
            }
            for (String text : texts) {
                com.google.re2j.Matcher plain = p.matcher(text);
                boolean expected = plain.find();
                int at = matcher.find(text, new RuleEvent(Map.of(), DerivedFields.NONE));
                assertThat(at >= 0).as("/%s/ on %s", p.pattern(), text).isEqualTo(expected);
                if (expected) {
                    matched++;
                    assertThat(at).as("/%s/: the leftmost match start", p.pattern()).isEqualTo(plain.start());
                }
            }
        }
        assertThat(windowed).as("patterns searched in windows").isGreaterThan(patterns.size() / 3);
        assertThat(matched).as("cases where the pattern matched").isGreaterThan(100);
    }

    /** A piece of a sample of up to 255 characters, sometimes with one stretch upper-cased. */
    private static String shortText(Random rnd, List<String> samples) {
        String s = samples.get(rnd.nextInt(samples.size()));
        if (s.length() > 255) {
            int from = rnd.nextInt(s.length() - 200);
            s = s.substring(from, Math.min(s.length(), from + 20 + rnd.nextInt(236)));
        }
        if (rnd.nextInt(4) == 0 && s.length() > 10) {
            int from = rnd.nextInt(s.length() - 5);
            int to = Math.min(s.length(), from + 5 + rnd.nextInt(40));
            s = s.substring(0, from) + s.substring(from, to).toUpperCase(java.util.Locale.ROOT) + s.substring(to);
        }
        return s;
    }

    /** Benign text with attack samples spliced in, whitespace runs widened and emoji scattered. */
    private static String longText(Random rnd, List<String> benign, List<String> attacks) {
        StringBuilder b = new StringBuilder();
        int target = 1_500 + rnd.nextInt(5_000);
        while (b.length() < target) {
            String piece = rnd.nextInt(3) == 0 ? attacks.get(rnd.nextInt(attacks.size())) : benign.get(rnd.nextInt(benign.size()));
            if (piece.length() > 2_000) {
                int from = rnd.nextInt(piece.length() - 1_000);
                piece = piece.substring(from, from + 1_000);
            }
            b.append(piece).append(rnd.nextBoolean() ? "\n\n" : " ");
        }
        for (int k = rnd.nextInt(4); k > 0; k--) {
            int at = b.indexOf(" ", rnd.nextInt(b.length()));
            if (at >= 0) {
                b.insert(at, " \n\t".repeat(1 + rnd.nextInt(12)));
            }
        }
        if (rnd.nextBoolean()) {
            for (int k = rnd.nextInt(5); k >= 0; k--) {
                b.insert(rnd.nextInt(b.length()), "\uD83D\uDE00");
            }
        }
        return b.toString();
    }
}
