package io.mcpaudit.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real MCP peers through the stdio agent: the official Java SDK client talks to a real
 * server once directly and once through the agent (each a separate process), and must
 * get the same answers; the agent's capture must record the whole conversation.
 */
class StdioAgentSdkIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  private static String classPath() {
    String fromSurefire = System.getProperty("surefire.test.class.path");
    String cp = fromSurefire != null && !fromSurefire.isBlank() ? fromSurefire : System.getProperty("java.class.path");
    return cp;
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private List<String> sampleServer() {
    return List.of(java(), "-cp", classPath(), SampleMcpServer.class.getName());
  }

  private List<String> throughAgent(Path capture, List<String> server) {
    List<String> command = new ArrayList<>(List.of(java(), "-cp", classPath(), StdioAgentMain.class.getName(),
        dir.resolve("home").toString(), "kafka.bootstrap=none", "agent.id=it-agent", "server.name=sample",
        "capture.file=" + capture));
    command.add("--");
    command.addAll(server);
    return command;
  }

  private static McpSyncClient client(List<String> command) {
    ServerParameters parameters = ServerParameters.builder(command.get(0))
        .args(command.subList(1, command.size()).toArray(String[]::new))
        .build();
    return McpClient.sync(new StdioClientTransport(parameters, McpJsonDefaults.getMapper()))
        .clientInfo(new McpSchema.Implementation("it-client", "0.1"))
        .requestTimeout(Duration.ofSeconds(60))
        .initializationTimeout(Duration.ofSeconds(60))
        .build();
  }

  /** What a client sees of the sample server: server info, tools, two tool results. */
  private static List<Object> converse(McpSyncClient client) {
    McpSchema.InitializeResult init = client.initialize();
    McpSchema.ListToolsResult tools = client.listTools();
    McpSchema.CallToolResult echo = client.callTool(new McpSchema.CallToolRequest("echo", Map.of("text", "héllo ✓")));
    McpSchema.CallToolResult sum = client.callTool(new McpSchema.CallToolRequest("add", Map.of("a", 2, "b", 40.5)));
    return List.of(init.serverInfo(), init.protocolVersion(), init.instructions(), tools.tools(), echo, sum);
  }

  private static List<JsonNode> waitForCapture(Path capture, String lastKind) throws Exception {
    Instant deadline = Instant.now().plusSeconds(30);
    while (Instant.now().isBefore(deadline)) {
      if (Files.exists(capture)) {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(capture)) {
          lines.add(JSON.readTree(line));
        }
        if (!lines.isEmpty() && lines.get(lines.size() - 1).path("kind").asText().equals(lastKind)) {
          return lines;
        }
      }
      TimeUnit.MILLISECONDS.sleep(200);
    }
    throw new AssertionError("the capture " + capture + " never ended with a " + lastKind + " line");
  }

  @Test
  void theSdkClientGetsTheSameAnswersThroughTheAgentAndTheCaptureRecordsThem() throws Exception {
    List<Object> direct;
    try (McpSyncClient client = client(sampleServer())) {
      direct = converse(client);
    }
    Path capture = dir.resolve("capture.jsonl");
    List<Object> proxied;
    try (McpSyncClient client = client(throughAgent(capture, sampleServer()))) {
      proxied = converse(client);
    }
    assertThat(proxied).isEqualTo(direct);

    List<JsonNode> lines = waitForCapture(capture, "session_end");
    assertThat(lines.get(0).path("kind").asText()).isEqualTo("launch");
    assertThat(lines.get(0).path("launch").path("command").get(0).asText()).endsWith("java");
    assertThat(lines.get(0).path("launch").path("executable_sha256").asText()).hasSize(64);
    List<JsonNode> messages = lines.stream().filter(line -> line.path("kind").asText().equals("message")).toList();
    assertThat(messages).allSatisfy(line -> assertThat(line.has("message")).isTrue());
    assertThat(messages).anySatisfy(line -> {
      assertThat(line.path("direction").asText()).isEqualTo("client_to_server");
      assertThat(line.path("message").path("method").asText()).isEqualTo("tools/call");
      assertThat(line.path("message").path("params").path("arguments").path("text").asText()).isEqualTo("héllo ✓");
    });
    assertThat(messages).anySatisfy(line -> assertThat(line.path("message").path("result").path("structuredContent")
        .path("sum").asDouble()).isEqualTo(42.5));
    assertThat(messages).allSatisfy(line -> {
      assertThat(line.path("server").path("name").asText()).isEqualTo("sample");
      assertThat(line.path("session").asText()).isEqualTo(lines.get(0).path("session").asText());
    });
    assertThat(messages.get(messages.size() - 1).path("client").path("agent").asText()).isEqualTo("it-client");
  }

  /** The reference server of the MCP project (TypeScript), installed from the npm registry into target/. */
  @Test
  void theReferenceEverythingServerWorksThroughTheAgent() throws Exception {
    Path peers = Path.of("target", "mcp-peers").toAbsolutePath();
    Path bin = peers.resolve("node_modules/.bin/mcp-server-everything");
    if (!Files.isExecutable(bin)) {
      assumeTrue(onPath("npm") && onPath("node"), "npm and node are not installed: cannot fetch"
          + " @modelcontextprotocol/server-everything, so this case is skipped");
      Files.createDirectories(peers);
      Process install = new ProcessBuilder("npm", "install", "--no-audit", "--no-fund", "--prefix", peers.toString(),
          "@modelcontextprotocol/server-everything")
          .redirectErrorStream(true).redirectOutput(peers.resolve("npm-install.log").toFile()).start();
      boolean done = install.waitFor(5, TimeUnit.MINUTES);
      assumeTrue(done && install.exitValue() == 0 && Files.isExecutable(bin),
          "npm could not install @modelcontextprotocol/server-everything (see " + peers.resolve("npm-install.log") + ")");
    }
    List<String> server = List.of(bin.toString(), "stdio");
    Path capture = dir.resolve("everything.jsonl");
    try (McpSyncClient client = client(throughAgent(capture, server))) {
      McpSchema.InitializeResult init = client.initialize();
      assertThat(init.serverInfo().name()).isNotBlank();
      McpSchema.ListToolsResult tools = client.listTools();
      assertThat(tools.tools()).extracting(McpSchema.Tool::name).contains("echo");
      McpSchema.CallToolResult echo = client.callTool(new McpSchema.CallToolRequest("echo", Map.of("message", "hi")));
      assertThat(((McpSchema.TextContent) echo.content().get(0)).text()).contains("hi");
    }
    List<JsonNode> lines = waitForCapture(capture, "session_end");
    assertThat(lines).anySatisfy(line -> assertThat(line.path("message").path("result").has("tools")).isTrue());
    assertThat(lines).noneSatisfy(line -> assertThat(line.has("unparseable")).isTrue());
  }

  private static boolean onPath(String program) {
    for (String entry : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(entry, program))) {
        return true;
      }
    }
    return false;
  }
}
