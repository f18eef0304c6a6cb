package io.mcpaudit.agent.http;

import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.client.transport.HttpClientTransportDynamic;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.proxy.ProxyHandler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The reverse proxy itself (Jetty's {@link ProxyHandler}): forwards each request to the
 * upstream MCP server and streams the response back chunk by chunk, so an SSE stream reaches
 * the client event by event. Headers pass as they are (only hop-by-hop headers are dropped,
 * as HTTP requires); no Via or Forwarded header is added. Each chunk is observed on a copy
 * as it passes, in order.
 */
final class McpProxyHandler extends ProxyHandler.Reverse {
  private final HttpTrafficRecorder recorder;
  private final Duration idleTimeout;
  private final int maxHeaderBytes;
  private final boolean tls;

  /** @param maxHeaderBytes the largest request headers the listener accepts; they must also go out to the server */
  McpProxyHandler(URI upstream, boolean preserveHost, Duration idleTimeout, int maxHeaderBytes,
                  HttpTrafficRecorder recorder) {
    super(request -> upstreamUri(upstream, request));
    this.recorder = recorder;
    this.idleTimeout = idleTimeout;
    this.maxHeaderBytes = maxHeaderBytes;
    this.tls = "https".equalsIgnoreCase(upstream.getScheme());
    // Jetty would look the local host name up for a Via header; the proxy adds none.
    setViaHost("mcp-audit");
    if (!preserveHost) {
      setProxyToServerHost(upstream.getRawAuthority());
    }
  }

  @Override
  public InvocationType getInvocationType() {
    // Forwarding is asynchronous: the request is sent and the handler returns at once.
    return InvocationType.NON_BLOCKING;
  }

  /** The upstream base URL with the request's path (as sent, still encoded) and query appended. */
  static HttpURI upstreamUri(URI upstream, Request request) {
    String base = upstream.getRawPath() == null ? "" : upstream.getRawPath();
    if (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    HttpURI uri = request.getHttpURI();
    String path = uri.getPath() == null || uri.getPath().isEmpty() ? "/" : uri.getPath();
    return HttpURI.build(upstream).path(base + path).query(uri.getQuery());
  }

  @Override
  protected HttpClient newHttpClient() {
    // TLS set-up (trust store, cipher suites) costs start time; an http upstream never needs it.
    ClientConnector connector = tls ? new ClientConnector() : new ClientConnector() {
      @Override
      protected org.eclipse.jetty.util.ssl.SslContextFactory.Client newSslContextFactory() {
        return null;
      }
    };
    QueuedThreadPool threads = new QueuedThreadPool();
    threads.setName("mcp-audit-upstream");
    threads.setDaemon(true);
    connector.setExecutor(threads);
    connector.setIdleTimeout(idleTimeout);
    connector.setConnectTimeout(Duration.ofSeconds(10));
    return new HttpClient(new HttpClientTransportDynamic(connector));
  }

  @Override
  protected void configureHttpClient(HttpClient httpClient) {
    super.configureHttpClient(httpClient);
    httpClient.setIdleTimeout(idleTimeout.toMillis());
    // Headers the listener admitted must fit on the way out too (Jetty's client stops at 8 KiB, which
    // turned larger ones into 502s); the margin covers the upstream's Host and base path.
    httpClient.setMaxRequestHeadersSize(Math.max(httpClient.getMaxRequestHeadersSize(), maxHeaderBytes + 4096));
    // Every open SSE stream holds a connection; the client's own limit is what applies.
    httpClient.setMaxConnectionsPerDestination(4096);
    // Nothing the client did not send: no User-Agent of the proxy's own.
    httpClient.setUserAgentField(null);
  }

  @Override
  protected void addProxyHeaders(Request clientToProxyRequest, org.eclipse.jetty.client.Request proxyToServerRequest) {
    // Transparent: the server sees the request as the client sent it.
  }

  @Override
  protected org.eclipse.jetty.client.Response.CompleteListener newServerToProxyResponseListener(
      Request clientToProxyRequest, org.eclipse.jetty.client.Request proxyToServerRequest,
      Response proxyToClientResponse, Callback proxyToClientCallback) {
    Object exchange = clientToProxyRequest.getAttribute(ObservedExchange.ATTRIBUTE);
    if (exchange instanceof ObservedExchange observed) {
      return new ObservingListener(clientToProxyRequest, proxyToServerRequest, proxyToClientResponse,
          proxyToClientCallback, observed);
    }
    return super.newServerToProxyResponseListener(clientToProxyRequest, proxyToServerRequest, proxyToClientResponse,
        proxyToClientCallback);
  }

  private final class ObservingListener extends ProxyResponseListener {
    private final ObservedExchange exchange;

    ObservingListener(Request clientToProxyRequest, org.eclipse.jetty.client.Request proxyToServerRequest,
                      Response proxyToClientResponse, Callback proxyToClientCallback, ObservedExchange exchange) {
      super(clientToProxyRequest, proxyToServerRequest, proxyToClientResponse, proxyToClientCallback);
      this.exchange = exchange;
    }

    @Override
    public void onHeaders(org.eclipse.jetty.client.Response serverToProxyResponse) {
      super.onHeaders(serverToProxyResponse);
      recorder.safely(() -> exchange.responseHeaders(serverToProxyResponse.getStatus(),
          serverToProxyResponse.getHeaders()));
    }

    @Override
    public void onContent(org.eclipse.jetty.client.Response serverToProxyResponse, Content.Chunk chunk,
                          Runnable demander) {
      byte[] copy = null;
      try {
        if (exchange.wantsBody()) {
          ByteBuffer bytes = chunk.getByteBuffer().duplicate();
          copy = new byte[bytes.remaining()];
          bytes.get(copy);
        }
      } catch (RuntimeException e) {
        recorder.trouble(e);
      }
      if (copy != null) {
        // Observed as it passes, before the client has it: an HTTP+SSE endpoint announcement must be known
        // before the client can post to it. Observing is a copy and a hand-over; it never holds the chunk.
        byte[] seen = copy;
        recorder.safely(() -> exchange.responseContent(seen));
      }
      super.onContent(serverToProxyResponse, chunk, demander);
    }

    @Override
    public void onComplete(Result result) {
      recorder.safely(() -> exchange.complete(result.getFailure()));
      super.onComplete(result);
    }
  }
}
