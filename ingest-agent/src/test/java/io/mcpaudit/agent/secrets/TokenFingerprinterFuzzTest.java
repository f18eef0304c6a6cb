package io.mcpaudit.agent.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.mcpaudit.agent.emit.AvroEventCodec;
import io.mcpaudit.agent.events.AuditEventFactory;
import io.mcpaudit.agent.events.SessionContext;
import io.mcpaudit.agent.mcp.McpSession;
import io.mcpaudit.event.AuditEvent;
import io.mcpaudit.event.Transport;
import io.mcpaudit.schema.chain.EventHashChain;
import io.mcpaudit.testing.AllocationBudget;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes how the agent reads bearer tokens: {@link TokenFingerprinter} fingerprints any
 * {@code Authorization} value and decodes the claims of JWTs without verifying them. The contract:
 * no header value makes it throw (a token whose claims cannot be read is fingerprinted without
 * claims); only JWT-shaped tokens get claims; and whatever claims it decodes fit the
 * {@code TokenPresented} event, which survives encoding with its hash chain intact.
 *
 * <p>Two entry points: whole header values (base64 garbage, opaque tokens, other schemes), and JWTs
 * built from a header JSON, a claims JSON and a signature given one per line, which the test
 * base64url-encodes so that the fuzzer mutates the JSON the decoder reads rather than its base64.
 * Seeds: {@code TokenFingerprinterFuzzTestInputs/}; fuzzing: docs/reliability.md.
 */
class TokenFingerprinterFuzzTest {
  private static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");
  /** Work for one input may allocate 16 MiB plus 2 KiB per input byte: no amplification. */
  private static final AllocationBudget BUDGET = new AllocationBudget(16L << 20, 2048);

  private final TokenFingerprinter fingerprinter =
      new TokenFingerprinter(FingerprintKey.fromBase64(Base64.getEncoder().encodeToString(new byte[32])));
  private final AuditEventFactory factory =
      new AuditEventFactory("agent-fuzz", new TextRedaction(new CredentialRedactor(), TextRedaction.DEFAULT_MAX_BYTES));
  private final SessionContext context =
      new SessionContext("s-fuzz", Transport.STREAMABLE_HTTP, "files", "https://mcp.example.com/mcp", null, null, null);
  private final AvroEventCodec codec = new AvroEventCodec();

  @FuzzTest(maxDuration = "60s")
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void authorizationHeadersBecomeFingerprintsAndClaims(byte[] header) {
    AllocationBudget.Measurement cost = BUDGET.start();
    String value = new String(header, StandardCharsets.UTF_8);

    TokenObservation seen = fingerprinter.observeAuthorization(value);

    String credential = TokenFingerprinter.bearerToken(value).orElse(value.trim());
    assertThat(seen.fingerprint()).isEqualTo(fingerprinter.fingerprint(credential)).matches("[0-9a-f]{64}");
    assertFitsTheEvent(seen, credential);
    cost.assertWithin(header.length);
  }

  @FuzzTest(maxDuration = "60s")
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void jwtClaimsDecodeOrAreLeftOut(byte[] parts) {
    AllocationBudget.Measurement cost = BUDGET.start();
    String token = jwt(parts);

    TokenObservation seen = fingerprinter.observe(token);

    assertThat(seen.fingerprint()).isEqualTo(fingerprinter.fingerprint(token));
    assertFitsTheEvent(seen, token);
    cost.assertWithin(parts.length);
  }

  private void assertFitsTheEvent(TokenObservation seen, String credential) {
    if (seen.claims().isPresent()) {
      assertThat(credential.chars().filter(c -> c == '.').count()).as("only a JWT has claims").isGreaterThanOrEqualTo(2);
    }
    AuditEvent event = new EventHashChain().link(
        factory.tokenPresented(context, new McpSession("s-fuzz"), T0, seen, "https://mcp.example.com/mcp"));
    assertThat(EventHashChain.isIntact(codec.decode(codec.encode(event)))).as("%s survives encoding", event).isTrue();
  }

  /** header JSON, claims JSON and signature bytes, one per line, as a compact JWS. */
  private static String jwt(byte[] parts) {
    Base64.Encoder base64url = Base64.getUrlEncoder().withoutPadding();
    StringBuilder token = new StringBuilder();
    int start = 0;
    for (int part = 0; part < 3; part++) {
      int end = part < 2 ? indexOf(parts, (byte) '\n', start) : parts.length;
      token.append(part > 0 ? "." : "").append(base64url.encodeToString(Arrays.copyOfRange(parts, start, end)));
      start = Math.min(end + 1, parts.length);
    }
    return token.toString();
  }

  private static int indexOf(byte[] bytes, byte wanted, int from) {
    for (int i = from; i < bytes.length; i++) {
      if (bytes[i] == wanted) {
        return i;
      }
    }
    return bytes.length;
  }
}
