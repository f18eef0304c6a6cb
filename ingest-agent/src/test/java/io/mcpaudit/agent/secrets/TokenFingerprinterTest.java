package io.mcpaudit.agent.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenFingerprinterTest {
  private static final FingerprintKey KEY_A = FingerprintKey.fromBase64(Base64.getEncoder().encodeToString(new byte[32]));
  private static final FingerprintKey KEY_B =
      FingerprintKey.fromBase64(Base64.getEncoder().encodeToString("another deployment's key 32 byte".getBytes()));

  @TempDir
  Path dir;

  @Test
  void aFingerprintIsStableForOneKeyAndDiffersAcrossKeys() {
    TokenFingerprinter a = new TokenFingerprinter(KEY_A);
    TokenFingerprinter a2 = new TokenFingerprinter(KEY_A);
    TokenFingerprinter b = new TokenFingerprinter(KEY_B);
    String token = "opaque-token-value-123";
    assertThat(a.fingerprint(token)).isEqualTo(a2.fingerprint(token)).hasSize(64).doesNotContain(token);
    assertThat(a.fingerprint(token)).isNotEqualTo(b.fingerprint(token));
    assertThat(a.fingerprint(token)).isNotEqualTo(a.fingerprint(token + "4"));
  }

  @Test
  void readsTheNonSecretClaimsOfAJwtWithoutTrustingItsSignature() throws Exception {
    Instant iat = Instant.parse("2026-11-20T10:00:00Z");
    JWTClaimsSet claims = new JWTClaimsSet.Builder()
        .issuer("https://auth.example.com")
        .subject("alice")
        .audience(List.of("https://mcp.example.com", "https://other.example.com"))
        .claim("azp", "claude-code")
        .claim("client_id", "client-42")
        .claim("scope", "files:read files:write")
        .issueTime(Date.from(iat))
        .expirationTime(Date.from(iat.plusSeconds(3600)))
        .notBeforeTime(Date.from(iat))
        .jwtID("jti-1")
        .build();
    SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
    jwt.sign(new MACSigner("a signing key that the agent never sees, 32+ bytes"));
    String token = jwt.serialize();

    TokenObservation seen = new TokenFingerprinter(KEY_A).observeAuthorization("Bearer " + token);

    assertThat(seen.fingerprint()).isEqualTo(new TokenFingerprinter(KEY_A).fingerprint(token));
    TokenClaimsView view = seen.claims().orElseThrow();
    assertThat(view.iss()).isEqualTo("https://auth.example.com");
    assertThat(view.sub()).isEqualTo("alice");
    assertThat(view.aud()).containsExactly("https://mcp.example.com", "https://other.example.com");
    assertThat(view.azp()).isEqualTo("claude-code");
    assertThat(view.clientId()).isEqualTo("client-42");
    assertThat(view.scope()).containsExactly("files:read", "files:write");
    assertThat(view.iat()).isEqualTo(iat);
    assertThat(view.exp()).isEqualTo(iat.plusSeconds(3600));
    assertThat(view.nbf()).isEqualTo(iat);
    assertThat(view.jti()).isEqualTo("jti-1");
  }

  @Test
  void opaqueTokensGetTheFingerprintOnly() {
    TokenObservation seen = new TokenFingerprinter(KEY_A).observeAuthorization("bearer gho_notajwt.but.dots");
    assertThat(seen.claims()).isEmpty();
    assertThat(seen.fingerprint()).isEqualTo(new TokenFingerprinter(KEY_A).fingerprint("gho_notajwt.but.dots"));
    assertThat(TokenFingerprinter.bearerToken("Basic dXNlcjpwYXNz")).isEmpty();
  }

  @Test
  void theKeyFileIsCreatedOwnerOnlyOnFirstUseAndReusedAfterwards() throws Exception {
    Path file = dir.resolve("agent/fingerprint.key");
    FingerprintKey first = FingerprintKey.loadOrCreate(file);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent()))).isEqualTo("rwx------");
    FingerprintKey again = FingerprintKey.loadOrCreate(file);
    assertThat(new TokenFingerprinter(first).fingerprint("t")).isEqualTo(new TokenFingerprinter(again).fingerprint("t"));
    assertThat(first.toString()).doesNotContain(Files.readString(file).trim());
  }

  @Test
  void aDamagedKeyFileIsReportedNotReplaced() throws Exception {
    Path file = dir.resolve("fingerprint.key");
    Files.writeString(file, "not base64 !!");
    assertThatThrownBy(() -> FingerprintKey.loadOrCreate(file))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(file.toString());
    assertThat(Files.readString(file)).isEqualTo("not base64 !!");
  }
}
