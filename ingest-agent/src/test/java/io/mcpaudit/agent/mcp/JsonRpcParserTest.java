package io.mcpaudit.agent.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcpaudit.event.MessageKind;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JsonRpcParserTest {
  private final JsonRpcParser parser = new JsonRpcParser();

  private McpFrame parse(String text) {
    return parser.parse(text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void readsARequestWithItsIdMethodAndParams() {
    McpFrame frame = parse("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\","
        + "\"params\":{\"name\":\"read_file\",\"arguments\":{\"path\":\"/a\"}}}");
    assertThat(frame.kind()).isEqualTo(MessageKind.REQUEST);
    JsonRpcMessage message = frame.messages().get(0);
    assertThat(message.idText()).isEqualTo("7");
    assertThat(message.method()).isEqualTo("tools/call");
    assertThat(message.paramText("name")).isEqualTo("read_file");
    assertThat(frame.sha256()).isEqualTo(Hashes.sha256Hex(("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\","
        + "\"params\":{\"name\":\"read_file\",\"arguments\":{\"path\":\"/a\"}}}").getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void keepsStringAndNumberIdsApart() {
    assertThat(parse("{\"jsonrpc\":\"2.0\",\"id\":\"1\",\"method\":\"ping\"}").messages().get(0).idText())
        .isEqualTo("\"1\"");
    assertThat(parse("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}").messages().get(0).idText()).isEqualTo("1");
  }

  @Test
  void readsNotificationsResultsAndErrors() {
    assertThat(parse("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}").kind())
        .isEqualTo(MessageKind.NOTIFICATION);
    assertThat(parse("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}").kind()).isEqualTo(MessageKind.RESULT);
    McpFrame error = parse("{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":-32601,\"message\":\"Method not found\"}}");
    assertThat(error.kind()).isEqualTo(MessageKind.ERROR);
    assertThat(error.messages().get(0).errorCode()).isEqualTo(-32601);
    assertThat(error.messages().get(0).errorMessage()).isEqualTo("Method not found");
  }

  @Test
  void readsThe2026RevisionsPerRequestMetaAndResultType() {
    McpFrame request = parse("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\",\"params\":{\"_meta\":{"
        + "\"io.modelcontextprotocol/protocolVersion\":\"2026-07-28\","
        + "\"io.modelcontextprotocol/clientCapabilities\":{},"
        + "\"io.modelcontextprotocol/clientInfo\":{\"name\":\"claude-code\",\"version\":\"2.0\"}}}}");
    JsonRpcMessage message = request.messages().get(0);
    assertThat(message.metaProtocolVersion()).isEqualTo("2026-07-28");
    assertThat(message.meta("clientInfo").path("name").asText()).isEqualTo("claude-code");

    McpFrame result = parse("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"resultType\":\"complete\",\"tools\":[]}}");
    assertThat(result.messages().get(0).resultType()).isEqualTo("complete");
  }

  @Test
  void readsBatches() {
    McpFrame batch = parse("[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"},"
        + "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/progress\",\"params\":{}}]");
    assertThat(batch.kind()).isEqualTo(MessageKind.BATCH);
    assertThat(batch.messages()).extracting(JsonRpcMessage::kind)
        .containsExactly(MessageKind.REQUEST, MessageKind.NOTIFICATION);
  }

  @Test
  void malformedJsonIsUnparseableWithTheReasonAndTheExactSizeAndHash() {
    byte[] bytes = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":".getBytes(StandardCharsets.UTF_8);
    McpFrame frame = parser.parse(bytes);
    assertThat(frame.kind()).isEqualTo(MessageKind.UNPARSEABLE);
    assertThat(frame.parseError()).startsWith("malformed JSON");
    assertThat(frame.sizeBytes()).isEqualTo(bytes.length);
    assertThat(frame.sha256()).isEqualTo(Hashes.sha256Hex(bytes));
    assertThat(frame.raw()).isEqualTo(bytes);
  }

  @Test
  void invalidUtf8IsUnparseableAndSaysWhere() {
    byte[] bytes = {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
    McpFrame frame = parser.parse(bytes);
    assertThat(frame.kind()).isEqualTo(MessageKind.UNPARSEABLE);
    assertThat(frame.parseError()).isEqualTo("invalid UTF-8 at byte 6");
  }

  @Test
  void jsonThatIsNotJsonRpcIsUnparseable() {
    assertThat(parse("{\"hello\":\"world\"}").parseError()).isEqualTo("not JSON-RPC: no \"jsonrpc\" member");
    assertThat(parse("{\"jsonrpc\":\"1.0\",\"id\":1,\"method\":\"x\"}").parseError()).contains("not \"2.0\"");
    assertThat(parse("{\"jsonrpc\":\"2.0\",\"id\":1}").parseError()).contains("neither");
    assertThat(parse("{\"jsonrpc\":\"2.0\",\"id\":{},\"method\":\"x\"}").parseError()).contains("\"id\"");
    assertThat(parse("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{},\"error\":{\"code\":1}}").parseError())
        .contains("both");
    assertThat(parse("[]").parseError()).contains("empty batch");
    assertThat(parse("[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"x\"},42]").parseError())
        .contains("batch element 2");
    assertThat(parse("42").kind()).isEqualTo(MessageKind.UNPARSEABLE);
  }

  @Test
  void trailingGarbageAndDuplicateKeysAreUnparseable() {
    assertThat(parse("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"x\"} {}").kind()).isEqualTo(MessageKind.UNPARSEABLE);
    // A server may read the other "method" than the agent did: such a message is not trusted as parsed.
    McpFrame duplicate = parse("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\",\"method\":\"tools/call\"}");
    assertThat(duplicate.kind()).isEqualTo(MessageKind.UNPARSEABLE);
    assertThat(duplicate.parseError()).contains("Duplicate field");
  }

  @Test
  void nestingBeyondTheLimitIsUnparseableInsteadOfOverflowingTheStack() {
    int depth = 100_000;
    byte[] unclosed = "[".repeat(depth).getBytes(StandardCharsets.UTF_8);
    byte[] balanced = ("[".repeat(depth) + "]".repeat(depth)).getBytes(StandardCharsets.UTF_8);
    byte[] objects = ("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"x\",\"params\":" + "{\"a\":".repeat(depth) + "1"
        + "}".repeat(depth) + "}").getBytes(StandardCharsets.UTF_8);
    for (byte[] bytes : new byte[][] {unclosed, balanced, objects}) {
      McpFrame frame = parser.parse(bytes);
      assertThat(frame.kind()).isEqualTo(MessageKind.UNPARSEABLE);
      assertThat(frame.parseError()).startsWith("malformed JSON").contains("nesting depth").contains("1000");
      assertThat(frame.sizeBytes()).isEqualTo(bytes.length);
      assertThat(frame.sha256()).isEqualTo(Hashes.sha256Hex(bytes));
    }
  }

  @Test
  void nestingWithinTheLimitIsRead() {
    int depth = 990;
    McpFrame frame = parse("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"deep\","
        + "\"arguments\":{\"v\":" + "[".repeat(depth) + "]".repeat(depth) + "}}}");
    assertThat(frame.kind()).isEqualTo(MessageKind.REQUEST);
    assertThat(frame.messages().get(0).paramText("name")).isEqualTo("deep");
  }
}
