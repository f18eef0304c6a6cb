package io.mcpaudit.agent.capture;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mcpaudit.agent.emit.AvroEventCodec;
import io.mcpaudit.agent.secrets.CredentialRedactor;
import io.mcpaudit.agent.secrets.FingerprintKey;
import io.mcpaudit.agent.secrets.TextRedaction;
import io.mcpaudit.agent.secrets.TokenFingerprinter;
import io.mcpaudit.event.ApprovalDecided;
import io.mcpaudit.event.AuditEvent;
import io.mcpaudit.event.AuditGapReported;
import io.mcpaudit.event.McpMessage;
import io.mcpaudit.event.ScopeChanged;
import io.mcpaudit.event.ServerLaunched;
import io.mcpaudit.event.SessionEnded;
import io.mcpaudit.schema.chain.EventHashChain;
import io.mcpaudit.testing.AllocationBudget;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes capture replay ({@code mcp-audit detect} and {@code ingest}) with arbitrary capture files.
 * The contract of {@link CaptureReplay#replay}: it returns for any bytes (an in-memory capture
 * cannot fail to read); each line that cannot be used is reported with its number and skipped; every
 * usable line is replayed into its event (none is lost silently, for instance to a failed event
 * thread); the events come out chained and intact; and a raw {@code Authorization} header never gets
 * past the reader.
 *
 * <p>Seeds: {@code CaptureReplayFuzzTestInputs/}; fuzzing: docs/reliability.md.
 */
class CaptureReplayFuzzTest {
  /**
   * Reading one capture may allocate 16 MiB plus 2 KiB per input byte on the calling thread (the replay
   * builds events on its own event thread, which this does not measure).
   */
  private static final AllocationBudget BUDGET = new AllocationBudget(16L << 20, 2048);
  /** The single event each usable non-message line becomes. */
  private static final Map<String, Class<?>> PAYLOAD_OF_KIND = Map.of(
      CaptureFormat.KIND_LAUNCH, ServerLaunched.class,
      CaptureFormat.KIND_APPROVAL, ApprovalDecided.class,
      CaptureFormat.KIND_SCOPE, ScopeChanged.class,
      CaptureFormat.KIND_SESSION_END, SessionEnded.class);

  private final TokenFingerprinter fingerprinter =
      new TokenFingerprinter(FingerprintKey.fromBase64(Base64.getEncoder().encodeToString(new byte[32])));
  private final CaptureReplay replay = new CaptureReplay("agent-fuzz", fingerprinter,
      new TextRedaction(new CredentialRedactor(), TextRedaction.DEFAULT_MAX_BYTES));
  private final AvroEventCodec codec = new AvroEventCodec();

  @FuzzTest(maxDuration = "60s")
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void captureLinesReplayOrAreReportedByNumber(byte[] capture) throws IOException {
    AllocationBudget.Measurement cost = BUDGET.start();
    List<CaptureLine> lines;
    List<CaptureProblem> unreadable;
    try (CaptureReader reader = new CaptureReader(new ByteArrayInputStream(capture), new ObjectMapper(), fingerprinter)) {
      lines = reader.readAll();
      unreadable = reader.problems();
    }
    for (CaptureLine line : lines) {
      line.get("http").path("headers").fieldNames().forEachRemaining(name ->
          assertThat(name).as("line %d keeps no raw credential header", line.lineNumber())
              .isNotEqualToIgnoringCase("authorization").isNotEqualToIgnoringCase("proxy-authorization"));
    }

    CaptureReplay.Result result = replay.replay(new ByteArrayInputStream(capture));

    cost.assertWithin(capture.length);
    assertThat(result.lines()).isEqualTo(lines.size());
    long physicalLines = physicalLines(capture);
    assertThat(result.problems()).allSatisfy(problem -> {
      assertThat(problem.lineNumber()).isBetween(1L, physicalLines);
      assertThat(problem.reason()).isNotBlank();
    });
    Set<Long> unreadableLines = unreadable.stream().map(CaptureProblem::lineNumber).collect(Collectors.toSet());
    assertThat(result.problems().stream().map(CaptureProblem::lineNumber).filter(unreadableLines::contains).count())
        .as("every line the reader skipped is reported").isEqualTo(unreadable.size());
    Set<Long> refused = result.problems().stream().map(CaptureProblem::lineNumber)
        .filter(n -> !unreadableLines.contains(n)).collect(Collectors.toSet());
    Map<String, Long> replayedByKind = lines.stream().filter(line -> !refused.contains(line.lineNumber()))
        .collect(Collectors.groupingBy(CaptureLine::kind, Collectors.counting()));
    Map<Class<?>, Long> eventsByPayload = result.events().stream()
        .collect(Collectors.groupingBy(e -> e.getPayload().getClass(), Collectors.counting()));

    assertThat(eventsByPayload.getOrDefault(McpMessage.class, 0L)).as("message envelopes")
        .isGreaterThanOrEqualTo(replayedByKind.getOrDefault(CaptureFormat.KIND_MESSAGE, 0L));
    PAYLOAD_OF_KIND.forEach((kind, payload) -> assertThat(eventsByPayload.getOrDefault(payload, 0L))
        .as("%s events for %s lines", payload.getSimpleName(), kind)
        .isEqualTo(replayedByKind.getOrDefault(kind, 0L)));
    assertThat(eventsByPayload).as("a replay loses nothing").doesNotContainKey(AuditGapReported.class);
    for (AuditEvent event : result.events()) {
      assertThat(EventHashChain.isIntact(event)).as("event %s is chained", event).isTrue();
      assertThat(EventHashChain.isIntact(codec.decode(codec.encode(event)))).as("event %s survives encoding", event)
          .isTrue();
    }
  }

  private static long physicalLines(byte[] capture) {
    long newlines = 0;
    for (byte b : capture) {
      if (b == '\n') {
        newlines++;
      }
    }
    return capture.length > 0 && capture[capture.length - 1] != '\n' ? newlines + 1 : newlines;
  }
}
