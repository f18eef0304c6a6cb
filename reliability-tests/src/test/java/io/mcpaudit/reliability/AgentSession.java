package io.mcpaudit.reliability;

import io.mcpaudit.cli.demo.DemoMcpServer;
import io.mcpaudit.stack.StackEndpoints;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One MCP session through the real stdio agent, as a host runs it: the MCP Java SDK client
 * launches {@code mcp-audit agent stdio}, which launches the demo's notes server. Each round is
 * ordinary reading plus the steps of an attack, so every round raises (or repeats) the same
 * findings: prompt injection, a destructive call after it without approval, a credential, SSRF.
 */
final class AgentSession implements AutoCloseable {
  /** What each round is expected to raise. */
  static final List<String> CATEGORIES = List.of("prompt-injection", "injection-driven-action", "missing-approval",
      "secret-exposure", "ssrf");

  private final McpSyncClient client;

  AgentSession(StackEndpoints stack, String agentId, Path spool) {
    this(stack, agentId, spool, null);
  }

  /** @param record also write a capture file there ({@code --record}), or null */
  AgentSession(StackEndpoints stack, String agentId, Path spool, Path record) {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String classpath = System.getProperty("java.class.path");
    List<String> args = new ArrayList<>(List.of("-Xmx256m", "-cp", classpath, "io.mcpaudit.cli.Main", "agent", "stdio",
        "--server-name", DemoMcpServer.NAME, "--agent-id", agentId,
        "--kafka", stack.kafkaBootstrap(), "--schema-registry", stack.schemaRegistryUrl().toString(),
        "--spool-dir", spool.toString()));
    if (record != null) {
      args.addAll(List.of("--record", record.toString()));
    }
    args.addAll(List.of("--", java, "-Xmx128m", "-cp", classpath, DemoMcpServer.class.getName()));
    ServerParameters agent = ServerParameters.builder(java).args(args.toArray(String[]::new))
        .env(Map.of("MCP_AUDIT_KAFKA_RETRY_INTERVAL", "1s")).build();
    client = McpClient.sync(new StdioClientTransport(agent, McpJsonDefaults.getMapper()))
        .clientInfo(new McpSchema.Implementation("fault-suite-host", "1.0"))
        .requestTimeout(Duration.ofSeconds(60)).initializationTimeout(Duration.ofSeconds(60)).build();
    client.initialize();
    client.listTools();
  }

  void round(int n) {
    call("search_notes", "query", "");
    call("read_note", "id", "onboarding");
    call("fetch_url", "url", "https://status.example.com/incidents/4711");
    call("delete_note", "id", "note-" + n);
    call("read_note", "id", "deploy-keys");
    call("fetch_url", "url", "http://169.254.169.254/latest/meta-data/iam/security-credentials/");
  }

  private void call(String tool, String argument, String value) {
    client.callTool(new McpSchema.CallToolRequest(tool, Map.of(argument, value)));
  }

  @Override
  public void close() {
    client.closeGracefully();
  }
}
