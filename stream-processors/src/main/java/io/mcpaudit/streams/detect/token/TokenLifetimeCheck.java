package io.mcpaudit.streams.detect.token;

import io.mcpaudit.event.Alert;
import io.mcpaudit.event.AuditEvent;
import io.mcpaudit.event.TokenClaims;
import io.mcpaudit.event.TokenPresented;
import io.mcpaudit.streams.alert.AlertDraft;
import io.mcpaudit.streams.alert.DetectorSpec;
import io.mcpaudit.streams.detect.DetectionContext;
import io.mcpaudit.streams.detect.Detected;
import io.mcpaudit.streams.detect.StatelessCheck;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** {@code token-lifetime}: a token used after its {@code exp}, or issued with a lifetime beyond policy. */
public final class TokenLifetimeCheck implements StatelessCheck {
  private final DetectorSpec spec;
  private final Duration maxLifetime;
  private final Duration clockSkew;

  public TokenLifetimeCheck(DetectorSpec spec) {
    this.spec = spec;
    this.maxLifetime = spec.duration("max_lifetime", Duration.ofHours(24));
    this.clockSkew = spec.duration("clock_skew", Duration.ofSeconds(60));
  }

  @Override
  public String name() {
    return "token-lifetime";
  }

  @Override
  public List<Alert> check(Detected input, DetectionContext context) {
    AuditEvent event = input.event();
    if (!(event.getPayload() instanceof TokenPresented token) || token.getClaims() == null) {
      return List.of();
    }
    TokenClaims claims = token.getClaims();
    List<Alert> alerts = new ArrayList<>();
    if (claims.getExp() != null && event.getEventTime().isAfter(claims.getExp().plus(clockSkew))) {
      Duration late = Duration.between(claims.getExp(), event.getEventTime());
      alerts.add(AlertDraft.of(spec, event)
          .title("Expired token used (" + human(late) + " after exp)")
          .description("A token that expired at " + claims.getExp() + " was presented to " + token.getResource()
              + ". Servers must reject expired tokens; its use suggests a replayed or stolen token.")
          .excerpt("exp: " + claims.getExp() + ", used: " + event.getEventTime())
          .dedupOn(token.getFingerprint() + "|expired")
          .attribute("token_fingerprint", token.getFingerprint())
          .attribute("exp", claims.getExp())
          .build());
    }
    if (claims.getExp() != null && claims.getIat() != null) {
      Duration lifetime = Duration.between(claims.getIat(), claims.getExp());
      if (lifetime.compareTo(maxLifetime) > 0) {
        alerts.add(AlertDraft.of(spec, event)
            .title("Long-lived token (" + human(lifetime) + ", policy " + human(maxLifetime) + ")")
            .description("The token was issued with a lifetime of " + human(lifetime) + ", beyond the policy of "
                + human(maxLifetime) + ". A long-lived bearer token stays replayable long after it leaks.")
            .excerpt("iat: " + claims.getIat() + ", exp: " + claims.getExp())
            .dedupOn(token.getFingerprint() + "|lifetime")
            .attribute("token_fingerprint", token.getFingerprint())
            .attribute("lifetime_seconds", lifetime.toSeconds())
            .attribute("max_lifetime_seconds", maxLifetime.toSeconds())
            .build());
      }
    }
    return alerts;
  }

  private static String human(Duration d) {
    if (d.toDays() >= 2) {
      return d.toDays() + " d";
    }
    if (d.toHours() >= 2) {
      return d.toHours() + " h";
    }
    if (d.toMinutes() >= 2) {
      return d.toMinutes() + " min";
    }
    return d.toSeconds() + " s";
  }
}
