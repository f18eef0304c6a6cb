package io.mcpaudit.agent.it;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/** A small real MCP server (official Java SDK, stdio transport) for end-to-end tests. */
public final class SampleMcpServer {
  private SampleMcpServer() {}

  public static void main(String[] args) throws Exception {
    McpJsonMapper json = McpJsonDefaults.getMapper();
    SyncToolSpecification echo = SyncToolSpecification.builder()
        .tool(McpSchema.Tool.builder().name("echo").description("Echoes the text back")
            .inputSchema(json, "{\"type\":\"object\",\"properties\":{\"text\":{\"type\":\"string\"}},"
                + "\"required\":[\"text\"]}")
            .build())
        .callHandler((exchange, request) -> McpSchema.CallToolResult.builder()
            .addTextContent("echo: " + request.arguments().get("text")).isError(false).build())
        .build();
    SyncToolSpecification add = SyncToolSpecification.builder()
        .tool(McpSchema.Tool.builder().name("add").description("Adds two numbers")
            .inputSchema(json, "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"number\"},"
                + "\"b\":{\"type\":\"number\"}},\"required\":[\"a\",\"b\"]}")
            .build())
        .callHandler((exchange, request) -> {
          double sum = ((Number) request.arguments().get("a")).doubleValue()
              + ((Number) request.arguments().get("b")).doubleValue();
          return McpSchema.CallToolResult.builder().addTextContent(String.valueOf(sum))
              .structuredContent(Map.of("sum", sum)).build();
        })
        .build();
    McpSyncServer server = McpServer.sync(new StdioServerTransportProvider(json))
        .serverInfo("sample-server", "1.2.3")
        .instructions("Use echo to repeat text.")
        .capabilities(McpSchema.ServerCapabilities.builder().tools(true).build())
        .tools(echo, add)
        .build();
    Runtime.getRuntime().addShutdownHook(new Thread(server::close));
    new CountDownLatch(1).await();
  }
}
