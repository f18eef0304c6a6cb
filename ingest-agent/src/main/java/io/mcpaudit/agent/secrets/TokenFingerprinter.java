package io.mcpaudit.agent.secrets;

import com.nimbusds.jwt.EncryptedJWT;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.text.ParseException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Turns bearer tokens into {@link TokenObservation}s: HMAC-SHA-256 of the raw token
 * under the deployment's {@link FingerprintKey}, and the non-secret claims of JWTs,
 * parsed with nimbus-jose-jwt without verifying the signature (the agent is a witness,
 * not the resource server; what a token claims is what gets audited). Opaque tokens
 * and encrypted JWTs get the fingerprint only. Thread-safe.
 */
public final class TokenFingerprinter {
  private final SecretKeySpec key;

  public TokenFingerprinter(FingerprintKey key) {
    this.key = new SecretKeySpec(key.bytes(), "HmacSHA256");
  }

  /** The keyed fingerprint (hex) of a raw token. */
  public String fingerprint(String token) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return HexFormat.of().formatHex(mac.doFinal(token.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
    }
  }

  /** Fingerprint and, for JWTs, claims of a raw token. */
  public TokenObservation observe(String token) {
    return new TokenObservation(fingerprint(token), claimsOf(token));
  }

  /**
   * The token in an HTTP {@code Authorization} header value ({@code Bearer …}, any case);
   * empty when the header is not a bearer credential.
   */
  public static Optional<String> bearerToken(String authorizationHeader) {
    if (authorizationHeader == null) {
      return Optional.empty();
    }
    String value = authorizationHeader.trim();
    if (value.length() > 7 && value.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
      String token = value.substring(7).trim();
      return token.isEmpty() ? Optional.empty() : Optional.of(token);
    }
    return Optional.empty();
  }

  /** Observes any Authorization header value: bearer tokens by their token, other schemes by the whole value. */
  public TokenObservation observeAuthorization(String authorizationHeader) {
    return bearerToken(authorizationHeader).map(this::observe)
        .orElseGet(() -> new TokenObservation(fingerprint(authorizationHeader.trim()), Optional.empty()));
  }

  static Optional<TokenClaimsView> claimsOf(String token) {
    if (token.chars().filter(c -> c == '.').count() < 2) {
      return Optional.empty();
    }
    try {
      JWT jwt = JWTParser.parse(token);
      if (jwt instanceof EncryptedJWT) {
        return Optional.empty();
      }
      JWTClaimsSet claims = jwt.getJWTClaimsSet();
      if (claims == null) {
        return Optional.empty();
      }
      return Optional.of(new TokenClaimsView(
          claims.getIssuer(),
          claims.getSubject(),
          claims.getAudience(),
          stringClaim(claims, "azp"),
          stringClaim(claims, "client_id"),
          scopes(claims),
          instant(claims.getIssueTime()),
          instant(claims.getExpirationTime()),
          instant(claims.getNotBeforeTime()),
          claims.getJWTID()));
    } catch (ParseException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private static String stringClaim(JWTClaimsSet claims, String name) {
    Object value = claims.getClaim(name);
    return value == null ? null : value.toString();
  }

  /** {@code scope} (RFC 8693/9068, space-separated) or {@code scp} (a list, as some issuers send). */
  private static List<String> scopes(JWTClaimsSet claims) {
    List<String> scopes = new ArrayList<>();
    Object scope = claims.getClaim("scope");
    Object scp = claims.getClaim("scp");
    for (Object value : new Object[] {scope, scp}) {
      if (value instanceof String text) {
        for (String part : text.trim().split("\\s+")) {
          if (!part.isEmpty()) {
            scopes.add(part);
          }
        }
      } else if (value instanceof List<?> list) {
        list.forEach(item -> scopes.add(String.valueOf(item)));
      }
    }
    return scopes;
  }

  private static Instant instant(Date date) {
    return date == null ? null : date.toInstant();
  }
}
