package io.mcpaudit.agent.stdio;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.mcpaudit.agent.emit.AvroEventCodec;
import io.mcpaudit.agent.events.AuditEventFactory;
import io.mcpaudit.agent.events.SessionContext;
import io.mcpaudit.agent.mcp.Hashes;
import io.mcpaudit.agent.mcp.JsonRpcParser;
import io.mcpaudit.agent.mcp.McpFrame;
import io.mcpaudit.agent.mcp.McpSession;
import io.mcpaudit.agent.secrets.CredentialRedactor;
import io.mcpaudit.agent.secrets.TextRedaction;
import io.mcpaudit.event.AuditEvent;
import io.mcpaudit.event.Direction;
import io.mcpaudit.event.McpMessage;
import io.mcpaudit.event.Transport;
import io.mcpaudit.schema.chain.EventHashChain;
import io.mcpaudit.testing.AllocationBudget;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes the agent's path from stdio wire bytes to audit events: newline framing, JSON-RPC parsing
 * ({@link JsonRpcParser}) and event building ({@link AuditEventFactory}), each event then linked into
 * the hash chain and Avro-encoded as delivery does. On the agent this runs on the event thread, which
 * stops auditing for good if anything escapes, so the contract is: the parser never throws (bad bytes
 * become an UNPARSEABLE frame with a reason), a frame's size and hash describe the exact line, every
 * line gives at least one event, and every event survives encoding with its hash chain intact.
 *
 * <p>Lines alternate client to server and server to client, as a request/response transcript does.
 * Seeds: {@code StdioWireFuzzTestInputs/}; fuzzing: docs/reliability.md.
 */
class StdioWireFuzzTest {
  /** Lines longer than this pass by size and hash only, as the agent's --max-message-bytes does. */
  private static final int MAX_KEPT = 4096;
  private static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");
  /** Work for one input may allocate 16 MiB plus 2 KiB per input byte: no amplification. */
  private static final AllocationBudget BUDGET = new AllocationBudget(16L << 20, 2048);

  private final JsonRpcParser parser = new JsonRpcParser();
  private final AuditEventFactory factory =
      new AuditEventFactory("agent-fuzz", new TextRedaction(new CredentialRedactor(), TextRedaction.DEFAULT_MAX_BYTES));
  private final AvroEventCodec codec = new AvroEventCodec();
  private final SessionContext context =
      new SessionContext("s-fuzz", Transport.STDIO, null, null, List.of("npx", "server-files"), null, "alice");

  @FuzzTest(maxDuration = "60s")
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void stdioBytesBecomeFramesAndEvents(byte[] wire) {
    AllocationBudget.Measurement cost = BUDGET.start();
    List<NewlineFramer.Line> lines = new ArrayList<>();
    NewlineFramer framer = new NewlineFramer(MAX_KEPT, lines::add);
    framer.accept(wire, 0, wire.length);
    framer.finish();

    McpSession session = new McpSession(context.sessionId());
    EventHashChain chain = new EventHashChain();
    for (int i = 0; i < lines.size(); i++) {
      NewlineFramer.Line line = lines.get(i);
      Direction direction = i % 2 == 0 ? Direction.CLIENT_TO_SERVER : Direction.SERVER_TO_CLIENT;
      McpFrame frame = frameOf(line);

      List<AuditEvent> events = factory.onFrame(context, session, T0.plusMillis(i), direction, frame);

      assertThat(events).as("events for line %d", i + 1).isNotEmpty();
      assertThat(events.stream().filter(e -> e.getPayload() instanceof McpMessage).count())
          .as("a message envelope for every JSON-RPC message of line %d", i + 1)
          .isGreaterThanOrEqualTo(Math.max(1, frame.messages().size()));
      for (AuditEvent event : events) {
        AuditEvent delivered = codec.decode(codec.encode(chain.link(event)));
        assertThat(EventHashChain.isIntact(delivered)).as("event %s arrives with its hash intact", delivered).isTrue();
      }
    }
    cost.assertWithin(wire.length);
  }

  /** As the event thread does: parse kept lines, describe oversized ones by size and hash. */
  private McpFrame frameOf(NewlineFramer.Line line) {
    if (line.bytes() == null) {
      assertThat(line.size()).isGreaterThan(MAX_KEPT);
      return McpFrame.unparseable(line.size(), line.sha256(), "larger than the agent inspects", null);
    }
    byte[] bytes = line.bytes();
    McpFrame frame = parser.parse(bytes);
    assertThat(frame.sizeBytes()).isEqualTo(bytes.length);
    assertThat(frame.sha256()).isEqualTo(Hashes.sha256Hex(bytes));
    if (frame.isParsed()) {
      assertThat(frame.messages()).as("a parsed frame holds its messages").isNotEmpty();
      assertThat(frame.parseError()).isNull();
    } else {
      assertThat(frame.parseError()).as("an unparseable frame says why").isNotBlank();
      assertThat(frame.messages()).isEmpty();
      if (frame.raw() != null) {
        assertThat(frame.raw()).as("the bytes kept for the capture are the line").isEqualTo(bytes);
      }
    }
    return frame;
  }
}
