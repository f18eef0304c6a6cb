package io.mcpaudit.streams.detect.session;

import io.mcpaudit.event.AuditEvent;
import io.mcpaudit.event.ClientIdentity;
import io.mcpaudit.event.TokenPresented;
import io.mcpaudit.streams.alert.AlertDraft;
import io.mcpaudit.streams.alert.DetectorSpec;
import io.mcpaudit.streams.detect.DetectionContext;
import io.mcpaudit.streams.detect.Detected;
import io.mcpaudit.streams.detect.Detector;
import io.mcpaudit.streams.detect.Outcome;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code session-hijack}: an active session id used by a different client (address, user, MCP
 * client name, or token subject) than the one that opened it.
 */
public final class SessionHijackDetector implements Detector<SessionHijackDetector.Owner> {
  /** Who opened the session: the first value seen for each identity attribute. */
  public record Owner(Map<String, String> attributes, String firstEventId, long lastSeenMillis) {}

  private final DetectorSpec spec;

  public SessionHijackDetector(DetectorSpec spec) {
    this.spec = spec;
  }

  @Override
  public String name() {
    return "session-hijack";
  }

  @Override
  public Class<Owner> stateType() {
    return Owner.class;
  }

  @Override
  public String keyOf(Detected input) {
    return input.event().getSessionId();
  }

  @Override
  public Outcome<Owner> onEvent(Owner owner, Detected input, DetectionContext context) {
    AuditEvent event = input.event();
    Map<String, String> seen = identityOf(event);
    if (owner == null) {
      return Outcome.quiet(new Owner(seen, event.getEventId(), event.getEventTime().toEpochMilli()));
    }
    Map<String, String> known = new LinkedHashMap<>(owner.attributes());
    List<io.mcpaudit.event.Alert> alerts = new ArrayList<>();
    for (Map.Entry<String, String> attribute : seen.entrySet()) {
      String expected = known.putIfAbsent(attribute.getKey(), attribute.getValue());
      if (expected != null && !expected.equals(attribute.getValue())) {
        alerts.add(AlertDraft.of(spec, event)
            .title("Session " + event.getSessionId() + " used by a different " + attribute.getKey())
            .description("The session was opened with " + attribute.getKey() + " '" + expected
                + "' but is now used with '" + attribute.getValue() + "'. A session id in another client's"
                + " hands can act with the original client's authority.")
            .excerpt(attribute.getKey() + ": " + expected + " -> " + attribute.getValue())
            .dedupOn(attribute.getKey() + "=" + attribute.getValue())
            .evidence(List.of(owner.firstEventId()))
            .attribute("attribute", attribute.getKey())
            .attribute("expected", expected)
            .attribute("observed", attribute.getValue())
            .build());
      }
    }
    return Outcome.of(new Owner(known, owner.firstEventId(), event.getEventTime().toEpochMilli()), alerts);
  }

  @Override
  public Instant lastActivity(Owner owner) {
    return Instant.ofEpochMilli(owner.lastSeenMillis());
  }

  private static Map<String, String> identityOf(AuditEvent event) {
    Map<String, String> identity = new LinkedHashMap<>();
    ClientIdentity client = event.getClient();
    putIfPresent(identity, "client address", client.getAddress());
    putIfPresent(identity, "user", client.getUser());
    putIfPresent(identity, "MCP client", client.getAgent());
    if (event.getPayload() instanceof TokenPresented token && token.getClaims() != null) {
      putIfPresent(identity, "token subject", token.getClaims().getSub());
    }
    return identity;
  }

  private static void putIfPresent(Map<String, String> map, String key, String value) {
    if (value != null && !value.isBlank()) {
      map.put(key, value);
    }
  }
}
