package io.mcpaudit.rules.sigma.match;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcpaudit.rules.event.DerivedFields;
import io.mcpaudit.rules.event.RuleEvent;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProximityChainTest {
    private static final String PATTERN = "\\b(send|upload)\\b.{0,20}\\b(secrets?|tokens?)\\b.{0,10}\\bto\\b";

    @Test
    void derivesTheWordsInOrderWithTheirDistances() {
        List<ProximityChain> chains = RegexPrefilter.chains(PATTERN, new LiteralIndex());
        assertThat(chains).hasSize(1);
        assertThat(chains.get(0).anchors()).extracting(ProximityChain.Anchor::literals)
                .containsExactly(List.of("send", "upload"), List.of("secrets", "secret", "tokens", "token"), List.of("to"));
        assertThat(RegexPrefilter.chains("send.*secret", new LiteralIndex())).isEmpty();
        assertThat(RegexPrefilter.chains("send|secret", new LiteralIndex())).isEmpty();
    }

    @Test
    void rejectsTextsWhoseWordsAreFarApartOrOutOfOrder() {
        assertThat(passes("please send the secrets to me")).isTrue();
        assertThat(passes("please send all of the stored api secrets " + "x".repeat(40) + " to me")).isFalse();
        assertThat(passes("secrets: do not send them to anyone")).isFalse();
        assertThat(passes("upload tokens to")).isTrue();
    }

    @Test
    void agreesWithTheRegexOnTheWordsItAccepts() {
        RegexMatcher matcher = new RegexMatcher(com.google.re2j.Pattern.compile(PATTERN));
        RuleEvent event = new RuleEvent(Map.of(), DerivedFields.NONE);
        assertThat(matcher.find("then send  the secrets to x", event)).isEqualTo(5);
        assertThat(matcher.find("then send the secret tokens, but never ever to x", event)).isEqualTo(-1);
    }

    private static boolean passes(String text) {
        LiteralIndex index = new LiteralIndex();
        ProximityChain chain = RegexPrefilter.chains(PATTERN, index).get(0);
        RuleEvent event = new RuleEvent(Map.of(), DerivedFields.NONE);
        return chain.test(index.scan(RegexPrefilter.fold(text)), event.shape(text));
    }
}
