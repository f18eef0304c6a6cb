package io.mcpaudit.agent.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcpaudit.agent.mcp.Hashes;
import io.mcpaudit.event.RedactedText;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CredentialRedactorTest {
  /** Realistic-looking credentials, assembled so that no scanner mistakes this file for a leak. */
  static final String AWS_KEY = "AKIA" + "IOSFODNN7EXAMPLE";
  static final String GITHUB_PAT = "ghp_" + "a".repeat(20) + "B".repeat(16);
  static final String GITHUB_OAUTH = "gho_" + "0123456789abcdefghij0123456789abcdef";
  static final String GITHUB_FINE = "github_pat_" + "11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz";
  static final String SLACK = "xoxb-" + "123456789012-1234567890123-abcdefghijklmnop";
  static final String JWT = "eyJhbGciOiJIUzI1NiJ9" + ".eyJzdWIiOiJhbGljZSJ9" + ".c2lnbmF0dXJlLXZhbHVl";
  static final String PRIVATE_KEY = "-----BEGIN RSA " + "PRIVATE KEY-----\nMIIEpAIBAAKCAQEA7x\nabc123\n-----END RSA "
      + "PRIVATE KEY-----";
  static final String URL_PASSWORD = "hunter2secret";
  static final String API_KEY = "sk_live_4eC39HqLyjWDarjtT1zdp7dc";

  private final CredentialRedactor redactor = new CredentialRedactor();

  static Stream<Arguments> credentials() {
    return Stream.of(
        Arguments.of("aws-access-key", "key id " + AWS_KEY + " in use", AWS_KEY),
        Arguments.of("github-token", "token " + GITHUB_PAT + ".", GITHUB_PAT),
        Arguments.of("github-token", "oauth " + GITHUB_OAUTH, GITHUB_OAUTH),
        Arguments.of("github-token", "pat " + GITHUB_FINE, GITHUB_FINE),
        Arguments.of("slack-token", "slack " + SLACK, SLACK),
        Arguments.of("jwt", "id_token=" + JWT, JWT),
        Arguments.of("private-key", "key:\n" + PRIVATE_KEY + "\nend", PRIVATE_KEY),
        Arguments.of("url-password", "clone https://alice:" + URL_PASSWORD + "@git.example.com/repo.git", URL_PASSWORD),
        Arguments.of("url-password", "postgres://app:" + URL_PASSWORD + "@db:5432/prod", URL_PASSWORD),
        Arguments.of("api-key", "{\"api_key\":\"" + API_KEY + "\"}", API_KEY),
        Arguments.of("api-key", "STRIPE_SECRET_KEY=" + API_KEY, API_KEY),
        Arguments.of("api-key", "password: " + URL_PASSWORD, URL_PASSWORD),
        Arguments.of("bearer-token", "Authorization: Bearer " + API_KEY + "xyz", API_KEY + "xyz"));
  }

  @ParameterizedTest
  @MethodSource("credentials")
  void redactsEveryCredentialKindAndKeepsItsHash(String kind, String text, String secret) {
    CredentialRedactor.Result result = redactor.redact(text);
    assertThat(result.text()).doesNotContain(secret);
    assertThat(result.kinds()).contains(kind);
    String expectedHash = Hashes.sha256Hex(secret).substring(0, 8);
    assertThat(result.text()).contains("[REDACTED:" + kind + ":" + expectedHash + "]");
  }

  @Test
  void aPrivateKeyCutOffBeforeItsEndIsStillRedacted() {
    String truncated = "-----BEGIN OPENSSH " + "PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ";
    assertThat(redactor.redact("here: " + truncated).text()).isEqualTo("here: [REDACTED:private-key:"
        + Hashes.sha256Hex(truncated).substring(0, 8) + "]");
  }

  @Test
  void leavesOrdinaryTextAlone() {
    String text = "The tokens were counted: max_tokens = 1000. The password policy says 12 characters."
        + " See https://example.com/docs and ghp_short.";
    CredentialRedactor.Result result = redactor.redact(text);
    assertThat(result.text()).isEqualTo(text);
    assertThat(result.redactedAnything()).isFalse();
  }

  @Test
  void theSameSecretGetsTheSamePlaceholderEverywhere() {
    String first = redactor.redact("a " + GITHUB_PAT).text();
    String second = redactor.redact("b " + GITHUB_PAT + " c").text();
    assertThat(first.substring(2)).isEqualTo(second.substring(2, second.length() - 2));
  }

  @Test
  void capsAfterRedactionAndHashesTheFullOriginal() {
    TextRedaction redaction = new TextRedaction(redactor, 1024);
    String original = GITHUB_PAT + " " + "é".repeat(5000);
    RedactedText text = redaction.apply(original);
    assertThat(text.getTruncated()).isTrue();
    assertThat(text.getText().getBytes(java.nio.charset.StandardCharsets.UTF_8).length).isLessThanOrEqualTo(1024);
    assertThat(text.getText()).startsWith("[REDACTED:github-token:").doesNotContain(GITHUB_PAT);
    assertThat(text.getSha256()).isEqualTo(Hashes.sha256Hex(original));
    assertThat(text.getOriginalBytes()).isEqualTo(original.getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
    assertThat(text.getRedactions()).containsExactly("github-token");
  }

  @Test
  void neverSplitsACharacterWhenCapping() {
    String emoji = "\ud83d\ude00".repeat(100);
    assertThat(TextRedaction.truncateUtf8(emoji, 10)).isEqualTo("\ud83d\ude00\ud83d\ude00");
  }
}
