package io.mcpaudit.streams.detect.token;

import io.mcpaudit.event.AuditEvent;
import io.mcpaudit.event.TokenPresented;
import io.mcpaudit.streams.alert.AlertDraft;
import io.mcpaudit.streams.alert.DetectorSpec;
import io.mcpaudit.streams.detect.DetectionContext;
import io.mcpaudit.streams.detect.Detected;
import io.mcpaudit.streams.detect.Detector;
import io.mcpaudit.streams.detect.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code token-reuse}: one token (by fingerprint) presented to two or more audiences, or by two or
 * more clients, within the window. Keyed by token fingerprint (the topology repartitions by it).
 */
public final class TokenReuseDetector implements Detector<TokenReuseDetector.Usage> {
  /** Where and by whom the token was presented within the window: value → (first seen millis, event id). */
  public record Usage(LinkedHashMap<String, Sighting> audiences, LinkedHashMap<String, Sighting> clients,
                      long lastSeenMillis) {}

  public record Sighting(long atMillis, String eventId) {}

  private final DetectorSpec spec;
  private final Duration window;

  public TokenReuseDetector(DetectorSpec spec) {
    this.spec = spec;
    this.window = spec.duration("window", Duration.ofHours(1));
  }

  @Override
  public String name() {
    return "token-reuse";
  }

  @Override
  public Class<Usage> stateType() {
    return Usage.class;
  }

  @Override
  public String keyOf(Detected input) {
    return input.event().getPayload() instanceof TokenPresented token ? token.getFingerprint() : null;
  }

  @Override
  public Duration retention() {
    return window;
  }

  @Override
  public Outcome<Usage> onEvent(Usage usage, Detected input, DetectionContext context) {
    AuditEvent event = input.event();
    TokenPresented token = (TokenPresented) event.getPayload();
    long now = event.getEventTime().toEpochMilli();
    LinkedHashMap<String, Sighting> audiences = usage == null ? new LinkedHashMap<>() : usage.audiences();
    LinkedHashMap<String, Sighting> clients = usage == null ? new LinkedHashMap<>() : usage.clients();
    long horizon = now - window.toMillis();
    audiences.values().removeIf(s -> s.atMillis() < horizon);
    clients.values().removeIf(s -> s.atMillis() < horizon);

    List<io.mcpaudit.event.Alert> alerts = new ArrayList<>();
    String audience = Audiences.normalize(token.getResource());
    if (!audiences.containsKey(audience) && !audiences.isEmpty()) {
      alerts.add(draft(event, token, "audiences", audiences, audience)
          .title("Token reused across audiences: " + String.join(", ", audiences.keySet()) + " and " + audience)
          .description("The same bearer token (fingerprint " + shortFp(token) + ") was presented to "
              + (audiences.size() + 1) + " different servers within " + window.toMinutes() + " min. A token"
              + " issued for one resource and accepted by another is the confused-deputy / token-passthrough risk.")
          .build());
    }
    audiences.putIfAbsent(audience, new Sighting(now, event.getEventId()));

    String client = clientOf(event);
    if (client != null) {
      if (!clients.containsKey(client) && !clients.isEmpty()) {
        alerts.add(draft(event, token, "clients", clients, client)
            .title("Token presented by more than one client")
            .description("The same bearer token (fingerprint " + shortFp(token) + ") was presented by "
                + String.join(", ", clients.keySet()) + " and now by " + client + " within "
                + window.toMinutes() + " min: a stolen or shared token.")
            .build());
      }
      clients.putIfAbsent(client, new Sighting(now, event.getEventId()));
    }
    return Outcome.of(new Usage(audiences, clients, now), alerts);
  }

  @Override
  public Instant lastActivity(Usage usage) {
    return Instant.ofEpochMilli(usage.lastSeenMillis());
  }

  private AlertDraft draft(AuditEvent event, TokenPresented token, String what, Map<String, Sighting> earlier,
                           String observed) {
    return AlertDraft.of(spec, event)
        .excerpt(what + ": " + String.join(", ", earlier.keySet()) + " + " + observed)
        .dedupAcrossSessions(token.getFingerprint() + "|" + what)
        .evidence(earlier.values().stream().map(Sighting::eventId).toList())
        .attribute("token_fingerprint", token.getFingerprint())
        .attribute("token_subject", token.getClaims() == null ? null : token.getClaims().getSub())
        .attribute(what, String.join(",", earlier.keySet()) + "," + observed);
  }

  private static String clientOf(AuditEvent event) {
    String address = event.getClient().getAddress();
    String agent = event.getClient().getAgent();
    if (address == null && agent == null) {
      return null;
    }
    return (agent == null ? "?" : agent) + "@" + (address == null ? "local" : address);
  }

  private static String shortFp(TokenPresented token) {
    String fp = token.getFingerprint();
    return fp.length() > 12 ? fp.substring(0, 12) + "…" : fp;
  }
}
