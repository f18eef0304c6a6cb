package io.mcpaudit.streams.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mcpaudit.rules.RuleProblem;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rule with errors never disables detection: a running pipeline refuses the bad version and
 * keeps the one in force, and {@code rules push} publishes nothing while any file has a problem.
 * Either way the problem names the file, the line and what is wrong.
 */
class RuleBookTest {
  private static final String GOOD_ID = "22222222-2222-4222-8222-222222222222";
  private static final String OTHER_ID = "33333333-3333-4333-8333-333333333333";

  private static String rule(String id, String title, String selection) {
    return "title: " + title + "\n"
        + "id: " + id + "\n"
        + "level: medium\n"
        + "mcpaudit:\n"
        + "  category: ssrf\n"
        + "detection:\n"
        + "  sel:\n"
        + "    " + selection + "\n"
        + "  condition: sel\n";
  }

  @Test
  void aBrokenVersionOfARuleIsRefusedWithItsLineAndTheVersionInForceStays() {
    RuleBook book = new RuleBook();
    assertThat(book.put(GOOD_ID, rule(GOOD_ID, "metadata endpoint", "url.full|contains: 169.254.169.254"))
        .accepted()).isTrue();
    assertThat(book.put(OTHER_ID, rule(OTHER_ID, "other v1", "url.full|contains: metadata.google.internal"))
        .accepted()).isTrue();

    RuleBook.Change change = book.put(OTHER_ID, rule(OTHER_ID, "other v2", "url.full|contians: x"));

    assertThat(change.accepted()).isFalse();
    RuleProblem problem = change.rejected().get(0);
    assertThat(problem.file()).isEqualTo(OTHER_ID + ".yml");
    assertThat(problem.line()).isEqualTo(8);
    assertThat(problem.message()).contains("unknown modifier 'contians'");
    assertThat(book.current().rules()).extracting(r -> r.title()).containsExactly("metadata endpoint", "other v1");
  }

  @Test
  void rulesPushPublishesNothingWhileAFileHasAProblem(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("good.yml"), rule(GOOD_ID, "metadata endpoint", "url.full|contains: 169.254.169.254"));
    Files.createDirectories(dir.resolve("ssrf"));
    Files.writeString(dir.resolve("ssrf/bad.yml"), rule(OTHER_ID, "bad", "url.full|re: '(?=lookahead)'"));

    assertThatThrownBy(() -> RulePublisher.prepare(dir))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("nothing was published")
        .hasMessageContaining("ssrf/bad.yml:8: ")
        .hasMessageContaining("not valid RE2 syntax");
  }
}
