package io.mcpaudit.agent.stdio;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcpaudit.agent.AgentRuntime;
import io.mcpaudit.agent.CollectingSink;
import io.mcpaudit.agent.config.AgentConfig;
import io.mcpaudit.agent.config.AgentConfigLoader;
import io.mcpaudit.agent.mcp.Hashes;
import io.mcpaudit.event.AuditEvent;
import io.mcpaudit.event.Direction;
import io.mcpaudit.event.McpMessage;
import io.mcpaudit.event.MessageKind;
import io.mcpaudit.event.ToolCallRequested;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile or broken bytes on the stdio wire: the other side receives them exactly as sent, the
 * audit trail records what they were (or why they could not be read), and the agent keeps
 * auditing the messages that follow.
 */
class StdioBadInputTest {
  private static final int MIB = 1024 * 1024;

  @TempDir
  Path dir;

  private final List<String> status = new CopyOnWriteArrayList<>();
  private final CollectingSink sink = new CollectingSink();

  private AgentRuntime runtime(Path capture) throws Exception {
    AgentConfig config = new AgentConfigLoader(dir).load(Optional.empty(), Map.of(), Map.of(
        "kafka.bootstrap", "none", "agent.id", "test-agent", "server.name", "bad-input",
        "capture.file", capture == null ? "" : capture.toString()));
    return AgentRuntime.start(config, status::add, sink);
  }

  private int run(List<String> command, byte[] clientInput, OutputStream clientOutput, Path capture) throws Exception {
    return new StdioAgent(runtime(capture), command, dir, System.getenv(), status::add, Clock.systemUTC())
        .run(new ByteArrayInputStream(clientInput), clientOutput);
  }

  private List<McpMessage> messages() {
    return sink.events.stream().map(AuditEvent::getPayload).filter(McpMessage.class::isInstance)
        .map(McpMessage.class::cast).toList();
  }

  private static byte[] lines(String... lines) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (String line : lines) {
      out.writeBytes(line.getBytes(StandardCharsets.UTF_8));
      out.write('\n');
    }
    return out.toByteArray();
  }

  @Test
  void malformedJsonIsRelayedUnchangedAndRecordedAsUnparseable() throws Exception {
    byte[] sent = lines("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":", "not json at all",
        "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\"}");
    ByteArrayOutputStream output = new ByteArrayOutputStream();

    assertThat(run(List.of("cat"), sent, output, null)).isZero();

    assertThat(output.toByteArray()).isEqualTo(sent);
    // cat echoes: every line is seen in both directions.
    assertThat(messages()).filteredOn(m -> m.getKind() == MessageKind.UNPARSEABLE).hasSize(4)
        .allSatisfy(m -> assertThat(m.getParseError()).startsWith("malformed JSON: "));
    assertThat(messages()).filteredOn(m -> m.getKind() == MessageKind.UNPARSEABLE && m.getSizeBytes() == 15)
        .allSatisfy(m -> assertThat(m.getSha256()).isEqualTo(Hashes.sha256Hex("not json at all")));
    assertThat(messages()).filteredOn(m -> "ping".equals(m.getMethod())).hasSize(2);
  }

  @Test
  void deeplyNestedJsonIsRelayedUnchangedAndRecordedWithoutAStackOverflow() throws Exception {
    int depth = 100_000;
    byte[] sent = lines("[".repeat(depth), "[".repeat(depth) + "]".repeat(depth),
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":" + "{\"a\":".repeat(depth) + "1"
            + "}".repeat(depth) + "}",
        "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\"}");
    Path capture = dir.resolve("capture.jsonl");
    ByteArrayOutputStream output = new ByteArrayOutputStream();

    assertThat(run(List.of("cat"), sent, output, capture)).isZero();

    assertThat(output.toByteArray()).isEqualTo(sent);
    assertThat(messages()).filteredOn(m -> m.getKind() == MessageKind.UNPARSEABLE).hasSize(6)
        .allSatisfy(m -> assertThat(m.getParseError()).contains("nesting depth (1001) exceeds the maximum allowed"));
    assertThat(messages()).filteredOn(m -> "ping".equals(m.getMethod()))
        .as("the event thread is still auditing after the deep documents").hasSize(2);
    assertThat(status).noneMatch(line -> line.contains("event thread stopped"));
    assertThat(Files.readAllLines(capture)).hasSize(1 + 8 + 1);
  }

  /**
   * A 100 MiB tool result is larger than the agent inspects ({@code observe.max-message-bytes}, 64 MiB
   * by default): the client still gets every byte, and the trail records its exact size and SHA-256.
   * Both sides are hashed as they stream; no copy of the whole result is held by the test.
   */
  @Test
  void aHundredMebibyteToolResultIsRelayedByteForByteAndRecordedBySizeAndHash() throws Exception {
    long textBytes = 100L * MIB;
    String prefix = "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"content\":[{\"type\":\"text\",\"text\":\"";
    String suffix = "\"}],\"isError\":false}}";
    String server = "read request; printf '%s' '" + prefix + "'; head -c " + textBytes + " /dev/zero | tr '\\0' a;"
        + " printf '%s\\n' '" + suffix + "'";
    byte[] request = lines("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"dump\","
        + "\"arguments\":{}}}");

    MessageDigest line = Hashes.sha256();
    line.update(prefix.getBytes(StandardCharsets.UTF_8));
    byte[] chunk = new byte[64 * 1024];
    Arrays.fill(chunk, (byte) 'a');
    for (long left = textBytes; left > 0; left -= chunk.length) {
      line.update(chunk, 0, (int) Math.min(chunk.length, left));
    }
    line.update(suffix.getBytes(StandardCharsets.UTF_8));
    MessageDigest withNewline = (MessageDigest) line.clone();
    withNewline.update((byte) '\n');
    String expectedOnWire = HexFormat.of().formatHex(withNewline.digest());
    String expectedLine = HexFormat.of().formatHex(line.digest());
    long lineSize = prefix.length() + textBytes + suffix.length();

    HashingOutputStream output = new HashingOutputStream();
    assertThat(run(List.of("sh", "-c", server), request, output, null)).isZero();

    assertThat(output.size).isEqualTo(lineSize + 1);
    assertThat(output.sha256()).as("the client received the result byte for byte").isEqualTo(expectedOnWire);
    assertThat(sink.events).extracting(AuditEvent::getPayload).filteredOn(ToolCallRequested.class::isInstance)
        .singleElement().satisfies(call -> assertThat(((ToolCallRequested) call).getToolName()).isEqualTo("dump"));
    McpMessage result = messages().stream().filter(m -> m.getDirection() == Direction.SERVER_TO_CLIENT)
        .findFirst().orElseThrow();
    assertThat(result.getKind()).isEqualTo(MessageKind.UNPARSEABLE);
    assertThat(result.getSizeBytes()).isEqualTo(lineSize);
    assertThat(result.getSha256()).isEqualTo(expectedLine);
    assertThat(result.getParseError())
        .isEqualTo("message of " + lineSize + " bytes is larger than the agent inspects; relayed unchanged");
  }

  /** Stands in for the MCP client's stdin: counts and hashes what arrives, keeps nothing. */
  private static final class HashingOutputStream extends OutputStream {
    private final MessageDigest digest = Hashes.sha256();
    private long size;

    @Override
    public void write(int b) {
      digest.update((byte) b);
      size++;
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
      digest.update(bytes, offset, length);
      size += length;
    }

    String sha256() {
      return HexFormat.of().formatHex(digest.digest());
    }
  }
}
