package io.mcpaudit.agent.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class BearerChallengeTest {
  @Test
  void readsErrorScopeAndResourceMetadataFromTheBearerChallenge() {
    BearerChallenge challenge = BearerChallenge.parse("Bearer realm=\"mcp\", error=\"insufficient_scope\", "
        + "scope=\"files:read files:write\", resource_metadata=\"https://mcp.example.com/.well-known/"
        + "oauth-protected-resource\", error_description=\"needs \\\"write\\\"\"").orElseThrow();
    assertThat(challenge.error()).isEqualTo("insufficient_scope");
    assertThat(challenge.scopes()).containsExactly("files:read", "files:write");
    assertThat(challenge.resourceMetadata()).isEqualTo("https://mcp.example.com/.well-known/oauth-protected-resource");
    assertThat(challenge.params()).containsEntry("error_description", "needs \"write\"");
  }

  @Test
  void findsBearerAmongOtherSchemesAndIgnoresTheirParameters() {
    BearerChallenge challenge = BearerChallenge.find(List.of("Basic realm=\"x\", Negotiate abc==",
        "Newauth realm=\"y\", BEARER scope=files:read, error=invalid_token")).orElseThrow();
    assertThat(challenge.scopes()).containsExactly("files:read");
    assertThat(challenge.error()).isEqualTo("invalid_token");
    assertThat(challenge.params()).doesNotContainKey("realm");
  }

  @Test
  void aBareBearerChallengeHasNoParametersAndOtherSchemesAreNotBearer() {
    assertThat(BearerChallenge.parse("Bearer").orElseThrow().params()).isEmpty();
    assertThat(BearerChallenge.parse("Basic realm=\"bearer\"")).isEmpty();
    assertThat(BearerChallenge.parse("")).isEmpty();
  }
}
