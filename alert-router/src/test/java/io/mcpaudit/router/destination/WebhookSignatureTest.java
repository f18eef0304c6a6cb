package io.mcpaudit.router.destination;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The receiver's side of the webhook signature: authentic, fresh, untampered. */
class WebhookSignatureTest {
  private static final String SECRET = "whsec-test";
  private static final byte[] BODY = "{\"type\":\"alert\"}".getBytes(StandardCharsets.UTF_8);
  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  private static final Duration TOLERANCE = Duration.ofMinutes(5);

  @Test
  void aKnownVectorMatches() {
    // printf '%s' '1772366400.{"type":"alert"}' | openssl dgst -sha256 -hmac whsec-test
    assertThat(WebhookSignature.sign(SECRET, 1772366400L, BODY))
        .isEqualTo("v1=9514b30e5fa0da0c93e5080db587e331b3ffa007056ede7cf2bce52d877aa2ed");
  }

  @Test
  void aFreshAuthenticRequestVerifies() {
    long ts = NOW.getEpochSecond();
    String sig = WebhookSignature.sign(SECRET, ts, BODY);
    assertThat(WebhookSignature.verify(SECRET, Long.toString(ts), sig, BODY, NOW.plusSeconds(299), TOLERANCE)).isTrue();
  }

  @Test
  void replaysTamperingAndWrongSecretsAreRejected() {
    long ts = NOW.getEpochSecond();
    String sig = WebhookSignature.sign(SECRET, ts, BODY);
    assertThat(WebhookSignature.verify(SECRET, Long.toString(ts), sig, BODY, NOW.plusSeconds(301), TOLERANCE))
        .as("replayed after the tolerance").isFalse();
    assertThat(WebhookSignature.verify(SECRET, Long.toString(ts + 60), sig, BODY, NOW, TOLERANCE))
        .as("timestamp changed").isFalse();
    assertThat(WebhookSignature.verify(SECRET, Long.toString(ts), sig,
        "{\"type\":\"storm\"}".getBytes(StandardCharsets.UTF_8), NOW, TOLERANCE)).as("body changed").isFalse();
    assertThat(WebhookSignature.verify("other", Long.toString(ts), sig, BODY, NOW, TOLERANCE)).isFalse();
    assertThat(WebhookSignature.verify(SECRET, "soon", sig, BODY, NOW, TOLERANCE)).isFalse();
    assertThat(WebhookSignature.verify(SECRET, Long.toString(ts), "v1=zz", BODY, NOW, TOLERANCE)).isFalse();
  }

  @Test
  void duringARotationEitherSignatureIsAccepted() {
    long ts = NOW.getEpochSecond();
    String header = WebhookSignature.sign("old", ts, BODY) + "," + WebhookSignature.sign(SECRET, ts, BODY);
    assertThat(WebhookSignature.verify(SECRET, Long.toString(ts), header, BODY, NOW, TOLERANCE)).isTrue();
  }
}
