package io.mcpaudit.rules.content;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LiteralSetTest {

    @Test
    void findsTheFirstEndingLiteral() {
        LiteralSet s = LiteralSet.of(List.of("he", "she", "his", "hers"), false);
        LiteralSet.Hit hit = s.find("ushers");
        assertThat(hit).isNotNull();
        assertThat(hit.start()).isEqualTo(1);
        assertThat(s.literals().get(hit.literal())).isEqualTo("she");
        assertThat(s.find("xyz")).isNull();
    }

    @Test
    void foldsCaseWhenAsked() {
        assertThat(LiteralSet.of(List.of("Ignore Previous"), true).containsAny("please IGNORE previous")).isTrue();
        assertThat(LiteralSet.of(List.of("Ignore Previous"), false).containsAny("please IGNORE previous")).isFalse();
    }

    @Test
    void agreesWithNaiveSearchOnRandomInput() {
        Random rnd = new Random(42);
        for (int round = 0; round < 300; round++) {
            List<String> lits = new ArrayList<>();
            for (int i = 0; i < 1 + rnd.nextInt(12); i++) {
                lits.add(randomWord(rnd, 1 + rnd.nextInt(5)));
            }
            String text = randomWord(rnd, rnd.nextInt(60));
            boolean naive = lits.stream().anyMatch(l -> text.toLowerCase(Locale.ROOT).contains(l.toLowerCase(Locale.ROOT)));
            LiteralSet.Hit hit = LiteralSet.of(lits, true).find(text);
            assertThat(hit != null).as("%s in %s", lits, text).isEqualTo(naive);
            if (hit != null) {
                String lit = lits.get(hit.literal());
                assertThat(text.substring(hit.start(), hit.start() + lit.length())).isEqualToIgnoringCase(lit);
            }
        }
    }

    private static String randomWord(Random rnd, int len) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < len; i++) {
            b.append("abcAB\u00e9".charAt(rnd.nextInt(6)));
        }
        return b.toString();
    }

    @Test
    void rejectsEmptyLiterals() {
        assertThatThrownBy(() -> LiteralSet.of(List.of("a", ""), true)).isInstanceOf(IllegalArgumentException.class);
    }
}
