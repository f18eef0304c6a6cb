package io.mcpaudit.agent.secrets;

import java.time.Instant;
import java.util.List;

/**
 * The non-secret claims of a JWT bearer token, read without trusting its signature:
 * they say what the token claims, which is what audits and detections compare.
 */
public record TokenClaimsView(
    String iss,
    String sub,
    List<String> aud,
    String azp,
    String clientId,
    List<String> scope,
    Instant iat,
    Instant exp,
    Instant nbf,
    String jti) {

  public TokenClaimsView {
    aud = aud == null ? List.of() : List.copyOf(aud);
    scope = scope == null ? List.of() : List.copyOf(scope);
  }
}
