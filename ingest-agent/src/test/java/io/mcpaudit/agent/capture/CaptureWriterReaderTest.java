package io.mcpaudit.agent.capture;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcpaudit.agent.events.LaunchInfo;
import io.mcpaudit.agent.events.Observation;
import io.mcpaudit.agent.events.SessionContext;
import io.mcpaudit.agent.mcp.JsonRpcParser;
import io.mcpaudit.agent.mcp.McpSession;
import io.mcpaudit.agent.secrets.CredentialRedactor;
import io.mcpaudit.agent.secrets.FingerprintKey;
import io.mcpaudit.agent.secrets.TextRedaction;
import io.mcpaudit.agent.secrets.TokenFingerprinter;
import io.mcpaudit.event.Direction;
import io.mcpaudit.event.Transport;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CaptureWriterReaderTest {
  private static final String GITHUB_PAT = "ghp_" + "y".repeat(36);
  private static final String JWT = "eyJhbGciOiJub25lIn0" + ".eyJzdWIiOiJhbGljZSIsImF1ZCI6Imh0dHBzOi8vbWNwLmV4YW1wbGUifQ.";

  private final JsonRpcParser parser = new JsonRpcParser();
  private final TextRedaction redaction = new TextRedaction(new CredentialRedactor(), 64 * 1024);
  private final TokenFingerprinter fingerprinter =
      new TokenFingerprinter(FingerprintKey.fromBase64(Base64.getEncoder().encodeToString(new byte[32])));
  private final SessionContext ctx = new SessionContext("s1", Transport.STDIO, "files", null,
      List.of("npx", "-y", "@modelcontextprotocol/server-filesystem", "/srv/docs"), null, "alice");

  @TempDir
  Path dir;

  @Test
  void writesTheContractsLinesAndReadsThemBack() throws Exception {
    Path file = dir.resolve("capture.jsonl");
    McpSession session = new McpSession("s1");
    Instant t0 = Instant.parse("2026-11-20T10:00:00Z");
    try (CaptureWriter writer = CaptureWriter.open(file, parser.mapper(), redaction)) {
      writer.launch(new Observation.Launch(ctx, t0, new LaunchInfo(ctx.serverCommand(), "/home/alice",
          "/usr/bin/npx", "ab".repeat(32), List.of("PATH", "HOME", "GITHUB_TOKEN"), 4242L)));
      byte[] call = ("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"read_file\","
          + "\"arguments\":{\"path\":\"/srv/docs/a.md\",\"token\":\"" + GITHUB_PAT + "\"}}}").getBytes(StandardCharsets.UTF_8);
      writer.message(new Observation.Message(ctx, t0.plusMillis(120), Direction.CLIENT_TO_SERVER, call, call.length,
          null, Optional.of(fingerprinter.observe(JWT)), null), parser.parse(call), session);
      byte[] junk = ("oops " + GITHUB_PAT).getBytes(StandardCharsets.UTF_8);
      writer.message(Observation.Message.of(ctx, t0.plusMillis(130), Direction.SERVER_TO_CLIENT, junk),
          parser.parse(junk), session);
      writer.sessionEnd(new Observation.SessionEnd(ctx, t0.plusSeconds(1), "stdio child exited", 0), session);
    }
    List<String> lines = Files.readAllLines(file);
    assertThat(lines).hasSize(4);
    assertThat(String.join("\n", lines)).doesNotContain(GITHUB_PAT).doesNotContain(JWT);
    assertThat(lines.get(0)).startsWith("{\"ts\":\"2026-11-20T10:00:00.000Z\",\"kind\":\"launch\",\"session\":\"s1\","
        + "\"transport\":\"stdio\",\"server\":{\"name\":\"files\",\"command\":[\"npx\"");
    assertThat(lines.get(0)).contains("\"env_names\":[\"GITHUB_TOKEN\",\"HOME\",\"PATH\"]", "\"pid\":4242");
    assertThat(lines.get(1)).contains("\"ts\":\"2026-11-20T10:00:00.120Z\"", "\"direction\":\"client_to_server\"",
        "\"client\":{\"user\":\"alice\"}", "\"token\":{\"fingerprint\":\"" + fingerprinter.fingerprint(JWT) + "\"",
        "\"sub\":\"alice\"", "[REDACTED:github-token:");
    assertThat(lines.get(3)).contains("\"kind\":\"session_end\"", "\"reason\":\"stdio child exited\"");

    try (CaptureReader reader = CaptureReader.open(file, parser.mapper(), fingerprinter)) {
      List<CaptureLine> read = reader.readAll();
      assertThat(read).extracting(CaptureLine::kind).containsExactly("launch", "message", "message", "session_end");
      assertThat(read.get(1).direction()).isEqualTo(Direction.CLIENT_TO_SERVER);
      assertThat(read.get(1).message().path("params").path("name").asText()).isEqualTo("read_file");
      assertThat(read.get(1).ts()).isEqualTo(t0.plusMillis(120));
      assertThat(read.get(2).message()).as("unparseable bytes have no message").isNull();
      assertThat(read.get(2).get(CaptureFormat.UNPARSEABLE).path("reason").asText()).startsWith("malformed JSON");
      assertThat(reader.problems()).isEmpty();
    }
  }

  @Test
  void aBadLineIsReportedWithItsNumberAndTheOthersAreKept() throws Exception {
    String capture = String.join("\n",
        "{\"ts\":\"2026-11-20T10:00:00.000Z\",\"kind\":\"message\",\"session\":\"s1\",\"direction\":\"client_to_server\","
            + "\"message\":{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}}",
        "{\"ts\":\"2026-11-20T10:00:00.100Z\",\"kind\":\"message\",\"session\":\"s1\"",
        "",
        "{\"kind\":\"session_end\",\"session\":\"s1\"}",
        "{\"ts\":\"yesterday\",\"kind\":\"session_end\",\"session\":\"s1\"}",
        "{\"ts\":\"2026-11-20T10:00:00.200Z\",\"kind\":\"teleport\",\"session\":\"s1\"}",
        "{\"ts\":\"2026-11-20T10:00:00.300Z\",\"kind\":\"message\",\"session\":\"s1\",\"direction\":\"sideways\","
            + "\"message\":{}}",
        "{\"ts\":\"2026-11-20T10:00:00.400Z\",\"kind\":\"message\",\"session\":\"s1\",\"direction\":\"server_to_client\"}",
        "{\"ts\":\"2026-11-20T10:00:01.000Z\",\"kind\":\"session_end\",\"session\":\"s1\",\"reason\":\"DELETE\","
            + "\"future_field\":true}");
    byte[] bytes = capture.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream withBadUtf8 = new ByteArrayOutputStream();
    withBadUtf8.write(bytes);
    withBadUtf8.write(new byte[] {'\n', '{', (byte) 0xFF, '}', '\n'});
    try (CaptureReader reader = new CaptureReader(new ByteArrayInputStream(withBadUtf8.toByteArray()), parser.mapper(),
        fingerprinter)) {
      List<CaptureLine> lines = reader.readAll();
      assertThat(lines).extracting(CaptureLine::lineNumber).containsExactly(1L, 9L);
      assertThat(reader.problems()).extracting(CaptureProblem::lineNumber).containsExactly(2L, 4L, 5L, 6L, 7L, 8L, 10L);
      assertThat(reader.problems().get(0).reason()).startsWith("not valid JSON");
      assertThat(reader.problems().get(1).reason()).isEqualTo("lacks the required field 'ts'");
      assertThat(reader.problems().get(2).reason()).contains("RFC 3339");
      assertThat(reader.problems().get(3).reason()).contains("unknown kind 'teleport'");
      assertThat(reader.problems().get(4).reason()).contains("direction");
      assertThat(reader.problems().get(5).reason()).contains("'message'");
      assertThat(reader.problems().get(6).reason()).isEqualTo("not valid UTF-8");
    }
  }

  @Test
  void aRawAuthorizationHeaderIsFingerprintedOnIngestAndDropped() throws Exception {
    String line = "{\"ts\":\"2026-11-20T10:00:00.000Z\",\"kind\":\"message\",\"session\":\"h1\",\"transport\":"
        + "\"streamable-http\",\"direction\":\"client_to_server\",\"http\":{\"method\":\"POST\",\"path\":\"/mcp\","
        + "\"headers\":{\"authorization\":\"Bearer " + JWT + "\",\"mcp-session-id\":\"h1\"}},"
        + "\"message\":{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}}";
    try (CaptureReader reader = new CaptureReader(new ByteArrayInputStream(line.getBytes(StandardCharsets.UTF_8)),
        parser.mapper(), fingerprinter)) {
      CaptureLine read = reader.next().orElseThrow();
      assertThat(read.line().toString()).doesNotContain(JWT);
      assertThat(read.get("http").path("headers").has("authorization")).isFalse();
      assertThat(read.get("http").path("headers").path("mcp-session-id").asText()).isEqualTo("h1");
      assertThat(read.get("token").path("fingerprint").asText()).isEqualTo(fingerprinter.fingerprint(JWT));
      assertThat(read.get("token").path("claims").path("aud").toString()).contains("https://mcp.example");
    }
  }

  @Test
  void headersOfHttpMessagesAreWrittenWithoutCredentials() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] body = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}".getBytes(StandardCharsets.UTF_8);
    SessionContext http = new SessionContext("h1", Transport.STREAMABLE_HTTP, null, "https://mcp.example/mcp", null,
        "10.0.0.7", null);
    try (CaptureWriter writer = new CaptureWriter(out, parser.mapper(), redaction)) {
      writer.message(new Observation.Message(http, Instant.EPOCH, Direction.CLIENT_TO_SERVER, body, body.length, null,
          Optional.of(fingerprinter.observe(JWT)), new Observation.HttpExchange("POST", "/mcp", null,
              Map.of("Authorization", "Bearer " + JWT, "Mcp-Session-Id", "h1", "Cookie", "sid=abc"))),
          parser.parse(body), new McpSession("h1"));
    }
    String written = out.toString(StandardCharsets.UTF_8);
    assertThat(written).doesNotContain(JWT).doesNotContain("sid=abc").contains("\"mcp-session-id\":\"h1\"")
        .contains("\"transport\":\"streamable-http\"", "\"address\":\"10.0.0.7\"");
  }
}
