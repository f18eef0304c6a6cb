package io.mcpaudit.agent.stdio;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcpaudit.agent.AgentRuntime;
import io.mcpaudit.agent.CollectingSink;
import io.mcpaudit.agent.config.AgentConfig;
import io.mcpaudit.agent.config.AgentConfigLoader;
import io.mcpaudit.event.AuditEvent;
import io.mcpaudit.event.McpMessage;
import io.mcpaudit.event.MessageKind;
import io.mcpaudit.event.ServerLaunched;
import io.mcpaudit.event.SessionEnded;
import io.mcpaudit.schema.chain.EventHashChain;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StdioAgentTest {
  @TempDir
  Path dir;

  private final List<String> status = new CopyOnWriteArrayList<>();
  private final CollectingSink sink = new CollectingSink();

  private AgentRuntime runtime(Path capture) throws Exception {
    AgentConfig config = new AgentConfigLoader(dir).load(Optional.empty(), Map.of(), Map.of(
        "kafka.bootstrap", "none", "agent.id", "test-agent", "server.name", "echo",
        "capture.file", capture == null ? "" : capture.toString()));
    return AgentRuntime.start(config, status::add, sink);
  }

  private int run(AgentRuntime runtime, List<String> command, byte[] clientInput, ByteArrayOutputStream clientOutput)
      throws Exception {
    return new StdioAgent(runtime, command, dir, System.getenv(), status::add, Clock.systemUTC())
        .run(new ByteArrayInputStream(clientInput), clientOutput);
  }

  @Test
  void relaysBytesExactlyAndObservesEveryLine() throws Exception {
    ByteArrayOutputStream input = new ByteArrayOutputStream();
    input.writeBytes("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}\n".getBytes(StandardCharsets.UTF_8));
    input.writeBytes(new byte[] {'{', (byte) 0xC3, (byte) 0x28, '}', '\n'});
    input.writeBytes("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}\r\n".getBytes(StandardCharsets.UTF_8));
    input.writeBytes("\n   \n".getBytes(StandardCharsets.UTF_8));
    input.writeBytes(("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\",\"params\":{\"pad\":\"" + "é".repeat(100_000)
        + "\"}}").getBytes(StandardCharsets.UTF_8));
    byte[] sent = input.toByteArray();
    Path capture = dir.resolve("capture.jsonl");
    ByteArrayOutputStream output = new ByteArrayOutputStream();

    int exit = run(runtime(capture), List.of("cat"), sent, output);

    assertThat(exit).isZero();
    assertThat(output.toByteArray()).as("the server's output reaches the client unchanged").isEqualTo(sent);
    List<AuditEvent> events = sink.events;
    assertThat(events.get(0).getPayload()).isInstanceOf(ServerLaunched.class);
    ServerLaunched launched = (ServerLaunched) events.get(0).getPayload();
    assertThat(launched.getCommand()).containsExactly("cat");
    assertThat(launched.getExecutablePath()).endsWith("/cat");
    assertThat(launched.getExecutableSha256()).hasSize(64);
    assertThat(launched.getEnvNames()).contains("PATH");
    assertThat(launched.getPid()).isPositive();
    assertThat(events.get(events.size() - 1).getPayload()).isInstanceOf(SessionEnded.class);
    assertThat(((SessionEnded) events.get(events.size() - 1).getPayload()).getExitCode()).isZero();

    // cat echoes, so each of the 4 messages is seen in both directions.
    List<McpMessage> messages = events.stream().map(AuditEvent::getPayload).filter(McpMessage.class::isInstance)
        .map(McpMessage.class::cast).toList();
    assertThat(messages).hasSize(8);
    assertThat(messages).filteredOn(m -> m.getKind() == MessageKind.UNPARSEABLE).hasSize(2)
        .allSatisfy(m -> assertThat(m.getParseError()).startsWith("invalid UTF-8"));
    assertThat(messages).filteredOn(m -> "ping".equals(m.getMethod())).hasSize(2)
        .allSatisfy(m -> assertThat(m.getSizeBytes()).isEqualTo(200_060));

    // One chain, numbered without gaps, every link intact.
    for (int i = 0; i < events.size(); i++) {
      assertThat(events.get(i).getSequence()).isEqualTo(i + 1);
      assertThat(EventHashChain.isIntact(events.get(i))).isTrue();
      if (i > 0) {
        assertThat(events.get(i).getPreviousHash()).isEqualTo(events.get(i - 1).getHash());
      }
    }
    List<String> lines = Files.readAllLines(capture);
    assertThat(lines).hasSize(1 + 8 + 1);
    assertThat(lines.get(0)).contains("\"kind\":\"launch\"");
    assertThat(lines.get(9)).contains("\"kind\":\"session_end\"", "\"exit_code\":0");
  }

  @Test
  void exitsWithTheServersExitCodeAndPassesItsStderrThrough() throws Exception {
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    int exit = run(runtime(null), List.of("sh", "-c", "printf '{\"jsonrpc\":\"2.0\",\"method\":\"x\"}\\n'; exit 3"),
        new byte[0], output);
    assertThat(exit).isEqualTo(3);
    assertThat(output.toString(StandardCharsets.UTF_8)).isEqualTo("{\"jsonrpc\":\"2.0\",\"method\":\"x\"}\n");
    AuditEvent last = sink.events.get(sink.events.size() - 1);
    assertThat(((SessionEnded) last.getPayload()).getExitCode()).isEqualTo(3);
  }

  @Test
  void exitsWithTheServersExitCodeWhenKafkaIsDownAndLeavesItsEventsInTheSpool() throws Exception {
    int kafka;
    int registry;
    try (java.net.ServerSocket a = new java.net.ServerSocket(0); java.net.ServerSocket b = new java.net.ServerSocket(0)) {
      kafka = a.getLocalPort();
      registry = b.getLocalPort();
    }
    AgentConfig config = new AgentConfigLoader(dir).load(Optional.empty(), Map.of(), Map.of(
        "kafka.bootstrap", "127.0.0.1:" + kafka, "kafka.schema-registry", "http://127.0.0.1:" + registry,
        "kafka.drain-timeout", "500ms", "agent.id", "test-agent", "server.name", "echo",
        "spool.dir", dir.resolve("spool").toString(),
        "secrets.fingerprint-key", java.util.Base64.getEncoder().encodeToString(new byte[32])));

    int exit = run(AgentRuntime.start(config, status::add), List.of("sh", "-c",
        "printf '{\"jsonrpc\":\"2.0\",\"method\":\"x\"}\\n'; exit 3"), new byte[0], new ByteArrayOutputStream());

    assertThat(exit).isEqualTo(3);
    try (io.mcpaudit.agent.emit.Spool spool = io.mcpaudit.agent.emit.Spool.open(dir.resolve("spool/test-agent"),
        1 << 20, 1 << 16)) {
      // ServerLaunched, the message, SessionEnded
      assertThat(spool.records()).isEqualTo(3);
    }
    assertThat(status).anyMatch(line -> line.contains("3 events stay in the spool"));
  }

  @Test
  void aCommandThatCannotStartIsExplained() throws Exception {
    int exit = run(runtime(null), List.of("no-such-mcp-server-xyz"), new byte[0], new ByteArrayOutputStream());
    assertThat(exit).isEqualTo(StdioAgent.CANNOT_START);
    assertThat(status).anyMatch(line -> line.contains("cannot start 'no-such-mcp-server-xyz'")
        && line.contains("not found on PATH"));
  }
}
