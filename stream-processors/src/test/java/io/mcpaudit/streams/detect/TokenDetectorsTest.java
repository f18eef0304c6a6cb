package io.mcpaudit.streams.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcpaudit.event.TokenClaims;
import io.mcpaudit.streams.Replay;
import io.mcpaudit.streams.Scenario;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TokenDetectorsTest {
  private static TokenClaims claims(String aud, Instant iat, Instant exp) {
    return TokenClaims.newBuilder().setIss("https://auth.example.com").setSub("alice@example.com")
        .setAud(List.of(aud)).setScope(List.of("files:read")).setIat(iat).setExp(exp).build();
  }

  @Test
  void oneTokenPresentedToTwoServersIsReused() {
    Scenario s = new Scenario("a1").serverUrl("https://files.example.com/mcp");
    Instant t = s.now();
    s.token("tok-1", "https://files.example.com/mcp", claims("https://files.example.com/mcp", t, t.plusSeconds(3600)));
    s.session("s2").server("mail").serverUrl("https://mail.example.com/mcp");
    s.token("tok-1", "https://mail.example.com/mcp", claims("https://files.example.com/mcp", t, t.plusSeconds(3600)));

    assertThat(Replay.alerts(s.events(), "token-reuse")).singleElement().satisfies(alert -> {
      assertThat(alert.getTitle()).contains("https://files.example.com/mcp").contains("https://mail.example.com/mcp");
      assertThat(alert.getEvidenceEventIds()).hasSize(2);
      assertThat(alert.getAttributes().get("token_fingerprint")).isEqualTo(Scenario.sha256("key|tok-1"));
    });
    // The same token at the wrong server is also an audience mismatch.
    assertThat(Replay.alerts(s.events(), "token-audience-mismatch")).singleElement()
        .satisfies(alert -> assertThat(alert.getSessionId()).isEqualTo("s2"));
  }

  @Test
  void theSameTokenAtTheSameServerAgainIsFine() {
    Scenario s = new Scenario("a1").serverUrl("https://files.example.com/mcp");
    Instant t = s.now();
    for (int i = 0; i < 5; i++) {
      s.token("tok-1", "https://files.example.com/mcp/", claims("https://files.example.com/mcp", t, t.plusSeconds(3600)));
      s.after(Duration.ofMinutes(1));
    }

    assertThat(Replay.run(s.events()).alerts()).isEmpty();
  }

  @Test
  void reuseOutsideTheWindowIsNotReported() {
    Scenario s = new Scenario("a1").serverUrl("https://files.example.com/mcp");
    s.token("tok-1", "https://files.example.com/mcp", null);
    s.after(Duration.ofHours(2)).server("mail").serverUrl("https://mail.example.com/mcp");
    s.token("tok-1", "https://mail.example.com/mcp", null);

    assertThat(Replay.alerts(s.events(), "token-reuse")).isEmpty();
  }

  @Test
  void anExpiredTokenAndAnOverlyLongLivedOneAreReported() {
    Scenario s = new Scenario("a1").serverUrl("https://files.example.com/mcp");
    Instant t = s.now();
    s.token("expired", "https://files.example.com/mcp",
        claims("https://files.example.com/mcp", t.minus(Duration.ofHours(2)), t.minus(Duration.ofHours(1))));
    s.token("forever", "https://files.example.com/mcp",
        claims("https://files.example.com/mcp", t, t.plus(Duration.ofDays(30))));

    assertThat(Replay.alerts(s.events(), "token-lifetime"))
        .extracting(a -> a.getTitle())
        .containsExactlyInAnyOrder("Expired token used (60 min after exp)", "Long-lived token (30 d, policy 24 h)");
  }
}
