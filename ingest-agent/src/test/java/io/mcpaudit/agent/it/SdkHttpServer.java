package io.mcpaudit.agent.it;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletSseServerTransportProvider;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import jakarta.servlet.http.HttpServlet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/**
 * A real MCP server on HTTP (official Java SDK, servlet transports on Jetty), for end-to-end
 * tests of the HTTP agent: Streamable HTTP on {@code /mcp}, or the older HTTP+SSE transport on
 * {@code /sse} + {@code /mcp/message}. Its tools: {@code echo}, {@code add}, and {@code slow}, which
 * sends log notifications with pauses before it answers.
 */
public final class SdkHttpServer implements AutoCloseable {
  /** How the tool "slow" paces itself; tests set it before calling. */
  public static final class Pacing {
    /** When set, "slow" sends its last notification only after the client counted this down (or 20 s). */
    public volatile CountDownLatch clientSawFirst;
    /** Whether the last notification of the latest call waited for the client. */
    public volatile boolean lastWaitedForClient;
    public volatile long pauseMillis = 200;
    public volatile int notifications = 3;
  }

  public final Pacing pacing = new Pacing();
  /** Every HTTP request that reached this server (method and path). */
  public final List<String> requests = new CopyOnWriteArrayList<>();
  private final AtomicInteger calls = new AtomicInteger();
  private final Server jetty;
  private final ServerConnector connector;
  private final McpSyncServer mcp;

  private SdkHttpServer(boolean legacySse) throws Exception {
    McpJsonMapper json = McpJsonDefaults.getMapper();
    HttpServlet transport;
    McpServer.SyncSpecification<?> spec;
    if (legacySse) {
      HttpServletSseServerTransportProvider provider = HttpServletSseServerTransportProvider.builder()
          .jsonMapper(json).sseEndpoint("/sse").messageEndpoint("/mcp/message").build();
      transport = provider;
      spec = McpServer.sync(provider);
    } else {
      HttpServletStreamableServerTransportProvider provider = HttpServletStreamableServerTransportProvider.builder()
          .jsonMapper(json).mcpEndpoint("/mcp").build();
      transport = provider;
      spec = McpServer.sync(provider);
    }
    this.mcp = spec
        .serverInfo("sample-http-server", "2.0.0")
        .instructions("Use echo to repeat text.")
        .capabilities(McpSchema.ServerCapabilities.builder().tools(true).logging().build())
        .tools(tools(json))
        .build();

    jetty = new Server();
    connector = new ServerConnector(jetty);
    connector.setHost("127.0.0.1");
    jetty.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    context.setContextPath("/");
    ServletHolder holder = new ServletHolder(transport);
    holder.setAsyncSupported(true);
    context.addServlet(holder, "/*");
    jetty.setHandler(new Handler.Wrapper(context) {
      @Override
      public boolean handle(Request request, Response response, Callback callback) throws Exception {
        requests.add(request.getMethod() + " " + request.getHttpURI().getPath());
        return super.handle(request, response, callback);
      }
    });
    jetty.start();
  }

  public static SdkHttpServer streamableHttp() throws Exception {
    return new SdkHttpServer(false);
  }

  public static SdkHttpServer legacySse() throws Exception {
    return new SdkHttpServer(true);
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + connector.getLocalPort();
  }

  /** Calls of the tool "slow" so far. */
  public int slowCalls() {
    return calls.get();
  }

  private List<SyncToolSpecification> tools(McpJsonMapper json) {
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
    SyncToolSpecification slow = SyncToolSpecification.builder()
        .tool(McpSchema.Tool.builder().name("slow").description("Reports progress as log messages, then answers")
            .inputSchema(json, "{\"type\":\"object\",\"properties\":{}}")
            .build())
        .callHandler((exchange, request) -> {
          calls.incrementAndGet();
          int count = pacing.notifications;
          for (int i = 1; i <= count; i++) {
            if (i == count && pacing.clientSawFirst != null) {
              try {
                pacing.lastWaitedForClient = pacing.clientSawFirst.await(20, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            }
            exchange.loggingNotification(McpSchema.LoggingMessageNotification.builder(McpSchema.LoggingLevel.WARNING,
                "step " + i + " of " + count).logger("slow").build());
            sleep(pacing.pauseMillis);
          }
          return McpSchema.CallToolResult.builder().addTextContent("slow done").build();
        })
        .build();
    return List.of(echo, add, slow);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() throws Exception {
    try {
      mcp.closeGracefully();
    } finally {
      jetty.stop();
    }
  }
}
