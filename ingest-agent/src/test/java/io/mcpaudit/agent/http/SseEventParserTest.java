package io.mcpaudit.agent.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcpaudit.agent.mcp.Hashes;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseEventParserTest {
  private final List<SseEventParser.Event> events = new ArrayList<>();

  private SseEventParser parser(int maxData) {
    return new SseEventParser(maxData, events::add);
  }

  private static String text(SseEventParser.Event event) {
    return new String(event.data(), StandardCharsets.UTF_8);
  }

  private static void feedInPieces(SseEventParser parser, String stream, int pieceSize) {
    byte[] bytes = stream.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < bytes.length; i += pieceSize) {
      parser.accept(bytes, i, Math.min(pieceSize, bytes.length - i));
    }
  }

  @Test
  void eventsAreCutAtBlankLinesWhateverTheChunkingAndLineEndings() {
    String stream = "id: 1\r\nevent: message\r\ndata: {\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}\r\n\r\n"
        + ": keep-alive comment\n\n"
        + "data:{\"a\":1}\rdata: second line\r\r"
        + "data: {\"b\":2}\n\n";
    for (int pieceSize : new int[] {1, 2, 3, 7, 1000}) {
      events.clear();
      feedInPieces(parser(1024), stream, pieceSize);
      assertThat(events).as("piece size %d", pieceSize).hasSize(3);
      assertThat(events.get(0).id()).isEqualTo("1");
      assertThat(events.get(0).type()).isEqualTo("message");
      assertThat(text(events.get(0))).isEqualTo("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}");
      assertThat(text(events.get(1))).isEqualTo("{\"a\":1}\nsecond line");
      assertThat(events.get(1).type()).isEqualTo("message");
      assertThat(text(events.get(2))).isEqualTo("{\"b\":2}");
    }
  }

  @Test
  void primingEventsWithoutDataAndUnterminatedEventsAreNotDispatched() {
    SseEventParser parser = parser(1024);
    feedInPieces(parser, "id: prime-1\ndata:\n\nretry: 500\n\nevent: endpoint\ndata: /messages?sessionId=abc\n\n"
        + "data: {\"cut\":true}", 5);
    parser.finish();
    assertThat(events).hasSize(1);
    assertThat(events.get(0).type()).isEqualTo("endpoint");
    assertThat(text(events.get(0))).isEqualTo("/messages?sessionId=abc");
  }

  @Test
  void aByteOrderMarkAtTheStartIsSkippedAndFieldsWithoutColonCount() {
    feedInPieces(parser(1024), "\uFEFFdata\ndata: x\n\n", 1);
    assertThat(events).hasSize(1);
    assertThat(text(events.get(0))).isEqualTo("\nx");
  }

  @Test
  void dataOverTheLimitIsOnlySizedAndHashed() {
    String big = "x".repeat(5000);
    feedInPieces(parser(1000), "data: " + big + "\n\ndata: small\n\n", 333);
    assertThat(events).hasSize(2);
    assertThat(events.get(0).data()).isNull();
    assertThat(events.get(0).size()).isEqualTo(5000);
    assertThat(events.get(0).sha256()).isEqualTo(Hashes.sha256Hex(big));
    assertThat(text(events.get(1))).isEqualTo("small");
  }
}
