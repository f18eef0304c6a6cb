package io.mcpaudit.rules.sigma;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.re2j.Pattern;
import io.mcpaudit.rules.sigma.match.RegexPrefilter;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RegexPrefilterTest {

    @Test
    void derivesRequiredLiterals() {
        assertThat(RegexPrefilter.of("\\byou\\s+are\\s+(now|no\\s+longer)\\b").toString())
                .contains("you").contains("are").contains("now").contains("longer");
        assertThat(RegexPrefilter.of("(?i)https?://")).isNotInstanceOf(RegexPrefilter.All.class);
        assertThat(RegexPrefilter.of("a.*b")).isInstanceOf(RegexPrefilter.All.class);
        assertThat(RegexPrefilter.of("(foo|.*)bar").toString()).contains("bar");
        assertThat(RegexPrefilter.of("x{2,}")).isInstanceOf(RegexPrefilter.All.class);
        assertThat(RegexPrefilter.of("\\Qa.b*c\\E").toString()).contains("a.b*c");
    }

    @Test
    void neverRejectsATextTheRegexMatches() {
        List<String> patterns = List.of(
                "\\b(ignore|disregard)\\b.{0,10}\\b(previous|prior)\\b",
                "(?i)aws_?secret_?(access_?)?key[\"'\\s:=]{1,6}[A-Za-z0-9/+]{4}",
                "ab(c|de)?f+g",
                "[xy]z{2}w",
                "(?i:HeLLo)\\s*(world|there)",
                "^start|end$",
                "a[.]b\\.c",
                "(a|b|c)(d|e)(f|g)hij",
                "foo(?P<n>bar)?baz");
        Random rnd = new Random(11);
        String alphabet = "abcdefghijwxyz .\"'=_/ABCDEFGHIJKLMNOPQRSTUVWXYZ";
        for (String p : patterns) {
            Pattern re = Pattern.compile(p);
            RegexPrefilter.Requirement req = RegexPrefilter.of(p);
            for (int i = 0; i < 20_000; i++) {
                StringBuilder b = new StringBuilder();
                int len = rnd.nextInt(30);
                for (int k = 0; k < len; k++) {
                    b.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
                }
                if (rnd.nextInt(3) == 0) {
                    b.insert(rnd.nextInt(b.length() + 1), sample(p, rnd));
                }
                String text = b.toString();
                if (re.matcher(text).find()) {
                    assertThat(req.test(RegexPrefilter.fold(text))).as("%s on '%s'", p, text).isTrue();
                }
            }
        }
    }

    /** Fragments likely to complete a match, so the property is exercised on matching texts too. */
    private static String sample(String pattern, Random rnd) {
        String[] pieces = {"ignore previous", "disregard  prior", "AWS_SECRET_KEY=abcd", "abdefg", "abfg", "xzzw", "HELLO there",
            "start", "end", "a.b.c", "aejhij", "cfghij", "foobarbaz", "foobaz"};
        return pieces[rnd.nextInt(pieces.length)];
    }
}
