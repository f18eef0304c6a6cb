package io.mcpaudit.cli.demo;

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
 * One session of the demo: the MCP Java SDK's client launches {@code mcp-audit agent stdio}, which
 * launches {@link DemoMcpServer}, exactly as an MCP host would launch a wrapped server. What a model
 * would do is scripted: ordinary reading, then the steps of an attack that starts with a poisoned page.
 */
final class DemoSession {
  private final StackEndpoints stack;
  private final String agentId;

  DemoSession(StackEndpoints stack, String agentId) {
    this.stack = stack;
    this.agentId = agentId;
  }

  /** Runs the session; returns one line per step for the screen. */
  List<String> run() {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String classpath = System.getProperty("java.class.path");
    List<String> args = new ArrayList<>(List.of("-cp", classpath));
    String repoRoot = System.getProperty("mcpaudit.repo.root");
    if (repoRoot != null) {
      args.add("-Dmcpaudit.repo.root=" + repoRoot);
    }
    args.addAll(List.of("io.mcpaudit.cli.Main", "agent", "stdio",
        "--server-name", DemoMcpServer.NAME,
        "--agent-id", agentId,
        "--kafka", stack.kafkaBootstrap(),
        "--schema-registry", stack.schemaRegistryUrl().toString(),
        "--", java, "-cp", classpath, DemoMcpServer.class.getName()));
    ServerParameters agent = ServerParameters.builder(java).args(args.toArray(String[]::new)).build();
    List<String> steps = new ArrayList<>();
    try (McpSyncClient client = McpClient.sync(new StdioClientTransport(agent, McpJsonDefaults.getMapper()))
        .clientInfo(new McpSchema.Implementation("mcp-audit-demo-host", "1.0"))
        .requestTimeout(Duration.ofSeconds(60))
        .initializationTimeout(Duration.ofSeconds(60))
        .build()) {
      McpSchema.InitializeResult init = client.initialize();
      steps.add("initialize → " + init.serverInfo().name() + " " + init.serverInfo().version()
          + " (protocol " + init.protocolVersion() + ")");
      steps.add("tools/list → " + client.listTools().tools().stream().map(McpSchema.Tool::name).toList());
      steps.add(call(client, "search_notes", "query", "", "ordinary work"));
      steps.add(call(client, "read_note", "id", "onboarding", "ordinary work"));
      steps.add(call(client, "fetch_url", "url", DemoMcpServer.INCIDENT_PAGE, "the page hides an instruction"));
      steps.add(call(client, "delete_note", "id", "release-checklist", "destructive, no approval, after the page"));
      steps.add(call(client, "read_note", "id", "deploy-keys", "the note holds an AWS key"));
      steps.add(call(client, "fetch_url", "url", DemoMcpServer.METADATA_URL, "cloud metadata address"));
      client.closeGracefully();
    }
    return steps;
  }

  private static String call(McpSyncClient client, String tool, String argument, String value, String why) {
    McpSchema.CallToolResult result = client.callTool(new McpSchema.CallToolRequest(tool, Map.of(argument, value)));
    String text = result.content().isEmpty() || !(result.content().get(0) instanceof McpSchema.TextContent t)
        ? "" : t.text();
    String firstLine = text.lines().findFirst().orElse("");
    return String.format("tools/call %-12s %-24s → %s   [%s]", tool, value.length() > 24 ? value.substring(0, 21)
        + "…" : value, firstLine.length() > 40 ? firstLine.substring(0, 37) + "…" : firstLine, why);
  }
}
