package io.mcpaudit.rules.hunt;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcpaudit.rules.LoadResult;
import io.mcpaudit.rules.RuleLoader;
import io.mcpaudit.rules.sigma.SigmaRule;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SigmaToOpenSearchTest {
  private static final Map<String, String> TYPES = Map.of(
      "mcp.content.text", "text", "gen_ai.tool.name", "keyword", "client.address", "ip",
      "mcp.duration_ms", "long", "process.command_line", "text");
  private final SigmaToOpenSearch translator = new SigmaToOpenSearch(TYPES);

  private static SigmaRule rule(String detection) {
    LoadResult loaded = new RuleLoader().loadText("t.yml", """
        title: t
        id: 5b0e5a1c-1111-4e0e-9c2b-000000000001
        status: test
        logsource: {product: mcp}
        level: high
        mcpaudit: {category: prompt-injection}
        detection:
        """ + detection);
    assertThat(loaded.problems()).isEmpty();
    return (SigmaRule) loaded.ruleSet().rules().get(0).definition();
  }

  @Test
  void keywordFieldsBecomeCaseInsensitiveWildcardsAndConditionsBecomeBool() {
    OpenSearchQuery q = translator.translate(rule("""
          tool:
            gen_ai.tool.name|startswith: [delete_, drop_]
          slow:
            mcp.duration_ms|gt: 5000
          condition: tool and not slow
        """));

    assertThat(q.translatable()).isTrue();
    assertThat(q.query().toString()).isEqualTo("{\"bool\":{\"must\":[{\"bool\":{\"should\":["
        + "{\"wildcard\":{\"gen_ai.tool.name\":{\"value\":\"delete_*\",\"case_insensitive\":true}}},"
        + "{\"wildcard\":{\"gen_ai.tool.name\":{\"value\":\"drop_*\",\"case_insensitive\":true}}}],"
        + "\"minimum_should_match\":1}},{\"bool\":{\"must_not\":[{\"range\":{\"mcp.duration_ms\":{\"gt\":\"5000\"}}}]}}]}}");
  }

  @Test
  void textFieldsArePhrasesAndCidrIsATermOnTheIpField() {
    OpenSearchQuery q = translator.translate(rule("""
          phrase:
            mcp.content.text|contains: 'ignore previous instructions'
          internal:
            client.address|cidr: 10.0.0.0/8
          condition: phrase or internal
        """));

    assertThat(q.translatable()).isTrue();
    assertThat(q.query().toString())
        .contains("{\"match_phrase\":{\"mcp.content.text\":\"ignore previous instructions\"}}")
        .contains("{\"term\":{\"client.address\":\"10.0.0.0/8\"}}");
    assertThat(q.approximations()).anyMatch(a -> a.contains("analyzed text"));
  }

  @Test
  void derivedFieldsAndBase64AreReportedNotDropped() {
    OpenSearchQuery q = translator.translate(rule("""
          hidden:
            mcp.content.hidden: hidden.tag_chars
          encoded:
            mcp.content.text|base64offset|contains: 'curl '
          condition: hidden or encoded
        """));

    assertThat(q.translatable()).isFalse();
    assertThat(q.query()).isNull();
    assertThat(q.unsupported()).anyMatch(u -> u.startsWith("mcp.content.hidden is derived"))
        .anyMatch(u -> u.contains("base64offset"));
  }

  @Test
  void everyShippedStatelessRuleEitherTranslatesOrSaysWhyNot() {
    LoadResult pack = new RuleLoader().load(java.nio.file.Path.of(
        System.getProperty("mcpaudit.repo.root", ".."), "detection-rules", "rules"));
    int translated = 0;
    for (var rule : pack.ruleSet().rules()) {
      if (rule.extension().detector().isPresent()) {
        continue;
      }
      OpenSearchQuery q = translator.translate((SigmaRule) rule.definition());
      assertThat(q.translatable() || !q.unsupported().isEmpty()).as(rule.title()).isTrue();
      translated += q.translatable() ? 1 : 0;
    }
    assertThat(translated).isPositive();
  }
}
