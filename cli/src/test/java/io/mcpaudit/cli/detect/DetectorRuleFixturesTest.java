package io.mcpaudit.cli.detect;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mcpaudit.agent.capture.CaptureReplay;
import io.mcpaudit.agent.secrets.CredentialRedactor;
import io.mcpaudit.agent.secrets.FingerprintKey;
import io.mcpaudit.agent.secrets.TextRedaction;
import io.mcpaudit.agent.secrets.TokenFingerprinter;
import io.mcpaudit.event.Alert;
import io.mcpaudit.event.AuditEvent;
import io.mcpaudit.event.AuditGapReported;
import io.mcpaudit.event.ClientIdentity;
import io.mcpaudit.event.InventoryEntry;
import io.mcpaudit.event.McpMessage;
import io.mcpaudit.event.MessageKind;
import io.mcpaudit.event.ServerIdentity;
import io.mcpaudit.event.Transport;
import io.mcpaudit.rules.LoadResult;
import io.mcpaudit.rules.RuleLoader;
import io.mcpaudit.rules.extension.TestCase;
import io.mcpaudit.rules.sigma.CompiledRule;
import io.mcpaudit.schema.chain.EventHashChain;
import io.mcpaudit.streams.detect.chain.ToolRisk;
import io.mcpaudit.streams.inventory.InventoryFile;
import io.mcpaudit.streams.offline.OfflineDetection;
import io.mcpaudit.streams.rules.EngineRuleStage;
import io.mcpaudit.streams.topology.DetectorCatalog;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runs the fixtures of every detector rule (rules whose logic is a stateful detector in the stream
 * processors) through the real path: capture lines → the agent's event path → the detection
 * topology with the whole rule pack and the example inventory. A true positive must raise the
 * rule's category; a true negative must not.
 */
class DetectorRuleFixturesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path ROOT = Path.of(System.getProperty("mcpaudit.repo.root", ".."));
  private static LoadResult pack;
  private static List<InventoryEntry> inventory;

  @BeforeAll
  static void load() {
    pack = new RuleLoader().load(ROOT.resolve("detection-rules/rules"));
    inventory = InventoryFile.read(ROOT.resolve("deploy/inventory/inventory.yml"));
  }

  @Test
  void everyDetectorRuleFixtureBehaves() throws Exception {
    assertThat(pack.problems()).isEmpty();
    List<CompiledRule> detectorRules = pack.ruleSet().detectorRules();
    assertThat(detectorRules).hasSizeGreaterThanOrEqualTo(15);
    List<String> failures = new ArrayList<>();
    int cases = 0;
    for (CompiledRule rule : detectorRules) {
      String category = rule.category().orElseThrow().id();
      for (TestCase positive : rule.extension().tests().truePositives()) {
        cases++;
        List<Alert> alerts = detect(rule, positive);
        if (alerts.stream().noneMatch(a -> a.getCategory().equals(category))) {
          failures.add(rule.title() + " — true positive '" + positive.name() + "' (line " + positive.line()
              + ") raised no " + category + "; got " + alerts.stream().map(Alert::getCategory).toList());
        }
      }
      for (TestCase negative : rule.extension().tests().trueNegatives()) {
        cases++;
        List<Alert> alerts = detect(rule, negative);
        alerts.stream().filter(a -> a.getCategory().equals(category)).findFirst().ifPresent(a ->
            failures.add(rule.title() + " — true negative '" + negative.name() + "' (line " + negative.line()
                + ") raised " + category + ": " + a.getTitle()));
      }
    }
    System.out.printf("detector rule fixtures: %d rules, %d cases, %d failures%n", detectorRules.size(), cases,
        failures.size());
    assertThat(failures).as(String.join("\n", failures)).isEmpty();
  }

  private static List<Alert> detect(CompiledRule rule, TestCase fixture) throws Exception {
    List<AuditEvent> events = rule.extension().detector().orElseThrow().name().equals("audit-gap")
        ? agentEvents(fixture) : captureEvents(fixture);
    EngineRuleStage stage = new EngineRuleStage(pack.ruleSet());
    return new OfflineDetection(stage, DetectorCatalog.defaults().with(EngineRuleStage.detectorSpecs(pack.ruleSet())),
        ToolRisk.defaults(), r -> stage.dedupWindow(r).orElse(Duration.ofMinutes(10)))
        .run(events, inventory).alerts();
  }

  /** Fixture events are capture lines: replay them exactly as {@code mcp-audit detect} would. */
  private static List<AuditEvent> captureEvents(TestCase fixture) throws Exception {
    StringBuilder capture = new StringBuilder();
    for (Map<String, Object> line : fixture.events()) {
      Map<String, Object> copy = new HashMap<>(line);
      copy.remove("@timestamp"); // added by the rule loader for Sigma-style fixtures; captures carry ts
      capture.append(JSON.writeValueAsString(copy)).append('\n');
    }
    CaptureReplay replay = new CaptureReplay("fixture-agent",
        new TokenFingerprinter(FingerprintKey.fromBase64("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=")),
        new TextRedaction(new CredentialRedactor(), TextRedaction.DEFAULT_MAX_BYTES));
    CaptureReplay.Result result = replay.replay(new ByteArrayInputStream(capture.toString().getBytes(StandardCharsets.UTF_8)));
    assertThat(result.problems()).as("capture problems in fixture '%s'", fixture.name()).isEmpty();
    return result.events();
  }

  /** The audit-gap fixtures speak of agent events by sequence number (see that rule's description). */
  private static List<AuditEvent> agentEvents(TestCase fixture) {
    EventHashChain chain = null;
    Map<Long, AuditEvent> built = new HashMap<>();
    List<AuditEvent> ordered = new ArrayList<>();
    Instant time = Instant.parse("2026-11-20T10:00:00Z");
    for (Map<String, Object> spec : fixture.events()) {
      long sequence = ((Number) spec.get("sequence")).longValue();
      if (chain == null) {
        chain = new EventHashChain(sequence - 1, EventHashChain.GENESIS);
      }
      Object payload = spec.containsKey("lost")
          ? AuditGapReported.newBuilder().setLostEvents(((Number) spec.get("lost")).longValue())
              .setReason("spool full").build()
          : McpMessage.newBuilder().setDirection(io.mcpaudit.event.Direction.CLIENT_TO_SERVER)
              .setKind(MessageKind.REQUEST).setMethod("ping").setJsonRpcId(Long.toString(sequence))
              .setSizeBytes(40).setSha256("0".repeat(64)).build();
      AuditEvent event = AuditEvent.newBuilder().setEventId("fixture-" + sequence).setEventTime(time)
          .setAgentId("fixture-agent").setSequence(0).setPreviousHash("").setHash("").setSessionId("s1")
          .setTransport(Transport.STDIO).setServer(ServerIdentity.newBuilder().setName("files").build())
          .setClient(ClientIdentity.newBuilder().build()).setPayload(payload).build();
      built.put(sequence, event);
      time = time.plusSeconds(1);
    }
    // Link in sequence order (as the agent wrote them), then deliver in the fixture's order.
    List<Long> bySequence = new ArrayList<>(built.keySet());
    bySequence.sort(Long::compare);
    long previous = -1;
    for (long sequence : bySequence) {
      if (previous >= 0 && sequence != previous + 1) {
        chain = new EventHashChain(sequence - 1, chain.lastHash());
      }
      built.put(sequence, chain.link(built.get(sequence)));
      previous = sequence;
    }
    for (Map<String, Object> spec : fixture.events()) {
      AuditEvent event = built.get(((Number) spec.get("sequence")).longValue());
      if (Boolean.TRUE.equals(spec.get("tamper"))) {
        event = AuditEvent.newBuilder(event).setSessionId("s1-altered").build();
      }
      ordered.add(event);
    }
    return ordered;
  }
}
