package io.mcpaudit.agent.http;

import io.mcpaudit.agent.AgentRuntime;
import io.mcpaudit.agent.approval.ApprovalEndpoint;
import io.mcpaudit.agent.config.AgentConfigException;
import io.mcpaudit.agent.config.HostPort;
import io.mcpaudit.agent.config.HttpSettings;
import io.mcpaudit.agent.events.SessionContext;
import io.mcpaudit.event.Transport;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * HTTP mode: a reverse proxy in front of a remote MCP server, for the Streamable HTTP
 * transport (POST with JSON or SSE answers, GET event streams with {@code Last-Event-ID}
 * resumption, DELETE) and the older HTTP+SSE transport (GET /sse + POST to the announced
 * endpoint). Traffic passes through unchanged and streams are relayed event by event;
 * a copy of what passes becomes observations on the agent's audit trail.
 */
public final class HttpAgent implements AutoCloseable {
  private final AgentRuntime runtime;
  private final HttpSettings settings;
  private final HostPort listen;
  private final URI upstream;
  private final Server server;
  private final ServerConnector connector;
  private final HttpTrafficRecorder recorder;
  private final AdmissionHandler admission;
  private final Consumer<String> status;

  private HttpAgent(AgentRuntime runtime, Consumer<String> status, Clock clock) {
    this.runtime = runtime;
    this.status = status;
    this.settings = runtime.config().http();
    List<String> missing = new ArrayList<>();
    if (settings.listen().isEmpty()) {
      missing.add("http.listen: not set; pass --listen HOST:PORT (for example --listen 127.0.0.1:8080)");
    }
    if (settings.upstream().isEmpty()) {
      missing.add("http.upstream: not set; pass --upstream URL, the MCP server's base URL (for example"
          + " --upstream https://mcp.example.com)");
    }
    if (!missing.isEmpty()) {
      throw new AgentConfigException(missing);
    }
    this.listen = settings.listen().get();
    this.upstream = settings.upstream().get();
    this.recorder = new HttpTrafficRecorder(runtime.trail(), runtime.fingerprinter(),
        runtime.config().serverName().orElse(null), upstream.toString(), runtime.config().clientUser().orElse(null),
        runtime.config().maxMessageBytes(), clock, status);

    JettyDefaults.apply();
    QueuedThreadPool threads = new QueuedThreadPool();
    threads.setName("mcp-audit-http");
    this.server = new Server(threads);
    server.setStopTimeout(5_000);
    HttpConfiguration http = new HttpConfiguration();
    http.setRequestHeaderSize(settings.maxHeaderBytes());
    // The server's own Date and Server headers are relayed; the proxy adds none of its own.
    http.setSendServerVersion(false);
    http.setSendDateHeader(false);
    http.setSendXPoweredBy(false);
    this.connector = new ServerConnector(server, new HttpConnectionFactory(http));
    connector.setHost(listen.isWildcard() ? null : listen.host());
    connector.setPort(listen.port());
    connector.setIdleTimeout(settings.idleTimeout().toMillis());
    connector.addEventListener(recorder.sessions());
    server.addConnector(connector);

    McpProxyHandler proxy = new McpProxyHandler(upstream, settings.preserveHost(), settings.idleTimeout(),
        settings.maxHeaderBytes(), recorder);
    OriginGuard guard = new OriginGuard(settings, listen);
    this.admission = new AdmissionHandler(guard, settings.maxRequestBytes(), recorder, status, proxy);
    server.setHandler(admission);
    if (guard.acceptsAnyHost()) {
      status.accept("mcp-audit agent: listening on every interface without http.allowed-hosts: any Host header is"
          + " accepted; set http.allowed-hosts to the names clients use, for DNS rebinding protection");
    }
  }

  /** Builds the proxy from the runtime's configuration (http.listen and http.upstream are required). */
  public static HttpAgent create(AgentRuntime runtime, Consumer<String> status, Clock clock) {
    return new HttpAgent(runtime, status, clock);
  }

  /** Starts listening; the port is known afterwards ({@link #port()}). */
  public HttpAgent start() throws Exception {
    server.start();
    return this;
  }

  /** The port clients connect to (the chosen one when configured as 0). */
  public int port() {
    return connector.getLocalPort();
  }

  /** The URL clients use, as {@code http://host:port}. */
  public URI url() {
    String host = listen.isWildcard() ? "127.0.0.1" : listen.host().contains(":") ? "[" + listen.host() + "]"
        : listen.host();
    return URI.create("http://" + host + ":" + port());
  }

  public URI upstream() {
    return upstream;
  }

  /** Requests refused by the admission checks (Host, Origin, size). */
  public long refusedRequests() {
    return admission.refused();
  }

  /** Blocks until the proxy is stopped. */
  public void join() throws InterruptedException {
    server.join();
  }

  /** The session context of a session this proxy carries, for reports that arrive elsewhere (approvals). */
  public SessionContext sessionContext(String sessionId) {
    return recorder.context(sessionId, Transport.STREAMABLE_HTTP, null, null);
  }

  /** How the approval endpoint places reports: HTTP sessions are many, so a report must name its session. */
  public ApprovalEndpoint.Sessions approvalSessions() {
    return reported -> {
      if (reported == null) {
        throw new IllegalArgumentException("required in HTTP mode: the Mcp-Session-Id of the MCP session the report"
            + " belongs to");
      }
      return sessionContext(reported);
    };
  }

  /**
   * Stops accepting connections, gives open exchanges a moment to finish, closes the rest
   * (event streams never finish by themselves), then drains the audit trail.
   */
  @Override
  public void close() throws Exception {
    try {
      server.stop();
    } catch (Exception e) {
      status.accept("mcp-audit agent: while stopping the HTTP proxy, " + e.getMessage());
    } finally {
      runtime.close();
    }
  }
}
