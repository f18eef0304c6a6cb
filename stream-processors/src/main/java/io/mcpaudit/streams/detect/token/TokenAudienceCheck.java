package io.mcpaudit.streams.detect.token;

import io.mcpaudit.event.Alert;
import io.mcpaudit.event.AuditEvent;
import io.mcpaudit.event.InventoryEntry;
import io.mcpaudit.event.TokenPresented;
import io.mcpaudit.streams.alert.AlertDraft;
import io.mcpaudit.streams.alert.DetectorSpec;
import io.mcpaudit.streams.detect.DetectionContext;
import io.mcpaudit.streams.detect.Detected;
import io.mcpaudit.streams.detect.StatelessCheck;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code token-audience-mismatch}: a token presented to a server whose resource is not in the
 * token's {@code aud} (nor the audience the inventory expects for that server).
 */
public final class TokenAudienceCheck implements StatelessCheck {
  private final DetectorSpec spec;
  private final boolean requireAudience;

  public TokenAudienceCheck(DetectorSpec spec) {
    this.spec = spec;
    this.requireAudience = spec.flag("require_audience", true);
  }

  @Override
  public String name() {
    return "token-audience-mismatch";
  }

  @Override
  public List<Alert> check(Detected input, DetectionContext context) {
    AuditEvent event = input.event();
    if (!(event.getPayload() instanceof TokenPresented token) || token.getClaims() == null) {
      return List.of();
    }
    List<String> audiences = token.getClaims().getAud();
    Optional<InventoryEntry> entry = context.inventory(event.getServer().getName());
    List<String> accepted = new ArrayList<>();
    entry.map(InventoryEntry::getAudience).ifPresent(accepted::add);
    entry.map(InventoryEntry::getUrl).ifPresent(accepted::add);
    if (audiences.isEmpty()) {
      if (!requireAudience) {
        return List.of();
      }
      return List.of(AlertDraft.of(spec, event)
          .title("Token without an audience presented to " + token.getResource())
          .description("The JWT carries no 'aud' claim, so the server cannot tell whether it was issued for it;"
              + " MCP servers must only accept tokens issued for their own resource (RFC 8707).")
          .excerpt("aud: (none), resource: " + token.getResource())
          .dedupOn(token.getFingerprint())
          .attribute("token_fingerprint", token.getFingerprint())
          .attribute("resource", token.getResource())
          .build());
    }
    if (Audiences.covers(audiences, token.getResource())
        || accepted.stream().anyMatch(a -> audiences.stream().anyMatch(aud -> Audiences.normalize(aud).equals(Audiences.normalize(a))))) {
      return List.of();
    }
    return List.of(AlertDraft.of(spec, event)
        .title("Token for " + String.join(", ", audiences) + " presented to " + token.getResource())
        .description("The token's audience does not include the server it was presented to. Either the client"
            + " passes a token issued for another resource through, or the server accepts tokens not meant for it.")
        .excerpt("aud: " + String.join(", ", audiences) + "; resource: " + token.getResource())
        .dedupOn(token.getFingerprint() + "|" + Audiences.normalize(token.getResource()))
        .attribute("token_fingerprint", token.getFingerprint())
        .attribute("aud", String.join(",", audiences))
        .attribute("resource", token.getResource())
        .build());
  }
}
