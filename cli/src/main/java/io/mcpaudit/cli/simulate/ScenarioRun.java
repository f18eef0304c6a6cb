package io.mcpaudit.cli.simulate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcpaudit.agent.capture.CaptureReplay;
import io.mcpaudit.agent.secrets.CredentialRedactor;
import io.mcpaudit.agent.secrets.FingerprintKey;
import io.mcpaudit.agent.secrets.TextRedaction;
import io.mcpaudit.agent.secrets.TokenFingerprinter;
import io.mcpaudit.event.AuditEvent;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Turns a scenario into the events of one run. Each run must be detected on its own, even on a
 * pipeline that has seen the same scenario minutes ago, so identities are made unique to the run
 * (sessions, users, approvers, token subjects and fingerprints) and time is moved so that the
 * scenario ends now, with token lifetimes moved alike. Servers and tools keep their names: they are
 * what the inventory and the tool-definition history are about. The lines then go through the
 * agent's own capture path, which numbers, hash-chains and redacts them as a live agent would.
 */
public final class ScenarioRun {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String runId;
  private final FingerprintKey key;

  public ScenarioRun(String runId, FingerprintKey key) {
    this.runId = runId;
    this.key = key;
  }

  public String runId() {
    return runId;
  }

  /** A scenario's events for this run, and what identifies them in the alerts they cause. */
  public record Prepared(AttackScenario scenario, List<AuditEvent> events, Set<String> sessions,
                         Set<String> eventIds) {}

  public Prepared prepare(AttackScenario scenario, Instant endAt) {
    long shiftMillis = endAt.toEpochMilli() - scenario.capture().stream()
        .mapToLong(line -> Instant.parse(line.get("ts").asText()).toEpochMilli()).max().orElseThrow();
    StringBuilder capture = new StringBuilder();
    for (ObjectNode original : scenario.capture()) {
      capture.append(rewrite(original.deepCopy(), shiftMillis)).append('\n');
    }
    CaptureReplay replay = new CaptureReplay("simulate:" + runId + ":" + scenario.name(), new TokenFingerprinter(key),
        new TextRedaction(new CredentialRedactor(), TextRedaction.DEFAULT_MAX_BYTES));
    CaptureReplay.Result result;
    try {
      result = replay.replay(new ByteArrayInputStream(capture.toString().getBytes(StandardCharsets.UTF_8)));
    } catch (IOException e) {
      throw new IllegalStateException("replaying scenario " + scenario.name() + " failed: " + e.getMessage(), e);
    }
    if (!result.problems().isEmpty()) {
      throw new IllegalArgumentException(scenario.source() + ": capture line " + result.problems().get(0).lineNumber()
          + ": " + result.problems().get(0).reason());
    }
    int recorded = result.events().size();
    scenario.dropEvents().stream().filter(n -> n > recorded).findFirst().ifPresent(n -> {
      throw new IllegalArgumentException(scenario.source() + ": drop_events names event " + n + " but the capture"
          + " makes only " + recorded + " events");
    });
    List<AuditEvent> events = new ArrayList<>();
    for (AuditEvent event : result.events()) {
      if (!scenario.dropEvents().contains((int) event.getSequence())) {
        events.add(event);
      }
    }
    return new Prepared(scenario, List.copyOf(events),
        events.stream().map(AuditEvent::getSessionId).collect(Collectors.toUnmodifiableSet()),
        events.stream().map(AuditEvent::getEventId).collect(Collectors.toUnmodifiableSet()));
  }

  private String rewrite(ObjectNode line, long shiftMillis) {
    line.put("ts", Instant.parse(line.get("ts").asText()).plusMillis(shiftMillis).toString());
    line.put("session", "sim-" + runId + "-" + line.get("session").asText());
    if (line.get("client") instanceof ObjectNode client && client.hasNonNull("user")) {
      client.put("user", person(client.get("user").asText()));
    }
    if (line.get("approval") instanceof ObjectNode approval && approval.hasNonNull("approver")) {
      approval.put("approver", person(approval.get("approver").asText()));
    }
    if (line.get("token") instanceof ObjectNode token) {
      if (token.hasNonNull("fingerprint")) {
        token.put("fingerprint", sha256(runId + ":" + token.get("fingerprint").asText()));
      }
      if (token.get("claims") instanceof ObjectNode claims) {
        if (claims.hasNonNull("sub")) {
          claims.put("sub", person(claims.get("sub").asText()));
        }
        for (String time : List.of("iat", "exp", "nbf")) {
          JsonNode value = claims.get(time);
          if (value != null && value.canConvertToLong()) {
            claims.put(time, value.asLong() + shiftMillis / 1000);
          }
        }
      }
    }
    try {
      return JSON.writeValueAsString(line);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code alice@example.com} → {@code alice+sim-RUN@example.com}: still readable, unique to the run. */
  private String person(String name) {
    int at = name.indexOf('@');
    return at < 0 ? name + "+sim-" + runId : name.substring(0, at) + "+sim-" + runId + name.substring(at);
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
