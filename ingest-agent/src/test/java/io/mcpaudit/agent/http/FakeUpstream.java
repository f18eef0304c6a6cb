package io.mcpaudit.agent.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/**
 * A scripted HTTP server standing in for a remote MCP server, so that the proxy's handling of
 * each transport feature can be checked byte by byte. It records every request it receives.
 */
final class FakeUpstream implements AutoCloseable {
  /** A request as the upstream received it. */
  record Received(String method, String pathQuery, HttpFields headers, byte[] body) {
    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  final List<Received> received = new CopyOnWriteArrayList<>();
  /** Released by a test once it saw the first event of /slow-stream; the upstream waits for it. */
  final CountDownLatch firstEventSeen = new CountDownLatch(1);
  volatile boolean secondEventWaitedForClient;
  /** Messages posted to the HTTP+SSE endpoint, answered on the open /sse stream. */
  final BlockingQueue<String> legacyInbox = new LinkedBlockingQueue<>();
  final Map<String, String> legacyAnswers = new ConcurrentHashMap<>();

  private final Server server = new Server();
  private final ServerConnector connector = new ServerConnector(server);

  FakeUpstream() throws Exception {
    connector.setHost("127.0.0.1");
    server.addConnector(connector);
    server.setHandler(new Handler.Abstract() {
      @Override
      public boolean handle(Request request, Response response, Callback callback) throws Exception {
        byte[] body = org.eclipse.jetty.util.BufferUtil.toArray(Content.Source.asByteBuffer(request));
        Received seen = new Received(request.getMethod(), request.getHttpURI().getPathQuery(), request.getHeaders(),
            body.length == 0 ? new byte[0] : body);
        received.add(seen);
        route(seen, response);
        callback.succeeded();
        return true;
      }
    });
    server.start();
  }

  int port() {
    return connector.getLocalPort();
  }

  String url() {
    return "http://127.0.0.1:" + port();
  }

  int count(String method, String pathPrefix) {
    return (int) received.stream().filter(r -> r.method().equals(method) && r.pathQuery().startsWith(pathPrefix)).count();
  }

  private void route(Received request, Response response) throws Exception {
    String path = request.pathQuery();
    String session = request.headers().get("Mcp-Session-Id");
    switch (request.method() + " " + (path.contains("?") ? path.substring(0, path.indexOf('?')) : path)) {
      case "POST /mcp" -> {
        if ("gone".equals(session)) {
          write(response, 404, "application/json", Map.of(), "{\"error\":\"no such session\"}");
        } else if (request.text().contains("\"initialize\"")) {
          write(response, 200, "application/json", Map.of("Mcp-Session-Id", "sess-1", "X-Upstream", "yes"),
              "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"protocolVersion\":\"2025-11-25\",\"capabilities\":"
                  + "{\"tools\":{}},\"serverInfo\":{\"name\":\"fake\",\"version\":\"9\"}}}");
        } else if (request.text().contains("\"tools/call\"")) {
          streamToolCall(response);
        } else if (request.text().contains("\"id\"")) {
          write(response, 200, "application/json", Map.of(), "{\"jsonrpc\":\"2.0\",\"id\":3,\"result\":{}}");
        } else {
          write(response, 202, null, Map.of(), "");
        }
      }
      case "POST /stateless" -> write(response, 200, "application/json", Map.of(),
          "{\"jsonrpc\":\"2.0\",\"id\":5,\"result\":{\"tools\":[]}}");
      case "GET /mcp" -> {
        response.setStatus(200);
        response.getHeaders().put("Content-Type", "text/event-stream");
        send(response, "id: 10\ndata:\n\n");
        send(response, "id: 11\ndata: {\"jsonrpc\":\"2.0\",\"method\":\"notifications/tools/list_changed\"}\n\n");
        Content.Sink.write(response, true, ByteBuffer.allocate(0));
      }
      case "DELETE /mcp" -> write(response, 200, null, Map.of(), "");
      case "POST /protected" -> write(response, 401, "application/json",
          Map.of("WWW-Authenticate", "Bearer realm=\"mcp\", resource_metadata=\"" + url()
              + "/.well-known/oauth-protected-resource\", scope=\"files:read\""), "{\"error\":\"unauthorized\"}");
      case "POST /admin" -> write(response, 403, "application/json",
          Map.of("WWW-Authenticate", "Bearer error=\"insufficient_scope\", scope=\"files:read files:write\""),
          "{\"error\":\"insufficient_scope\"}");
      case "GET /.well-known/oauth-protected-resource" -> write(response, 200, "application/json", Map.of(),
          "{\"resource\":\"" + url() + "\",\"authorization_servers\":[\"https://auth.example.com\"],"
              + "\"scopes_supported\":[\"files:read\",\"files:write\"]}");
      case "GET /sse" -> legacyStream(response);
      case "POST /messages" -> {
        legacyInbox.add(request.text());
        write(response, 202, null, Map.of(), "");
      }
      default -> write(response, 404, "text/plain", Map.of(), "not found");
    }
  }

  /** A tools/call answered as an event stream: a progress notification, then (once the client saw it) the result. */
  private void streamToolCall(Response response) throws Exception {
    response.setStatus(200);
    response.getHeaders().put("Content-Type", "text/event-stream");
    send(response, "id: 1\ndata: {\"jsonrpc\":\"2.0\",\"method\":\"notifications/message\",\"params\":"
        + "{\"level\":\"info\",\"data\":\"working\"}}\n\n");
    secondEventWaitedForClient = firstEventSeen.await(20, TimeUnit.SECONDS);
    send(response, "id: 2\ndata: {\"jsonrpc\":\"2.0\",\"id\":2,\"result\":{\"content\":[{\"type\":\"text\","
        + "\"text\":\"done\"}],\"isError\":false}}\n\n");
    Content.Sink.write(response, true, ByteBuffer.allocate(0));
  }

  private void legacyStream(Response response) throws Exception {
    response.setStatus(200);
    response.getHeaders().put("Content-Type", "text/event-stream");
    send(response, "event: endpoint\ndata: /messages?sessionId=L1\n\n");
    String posted = legacyInbox.poll(20, TimeUnit.SECONDS);
    if (posted != null) {
      send(response, "event: message\ndata: {\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"protocolVersion\":"
          + "\"2024-11-05\",\"capabilities\":{},\"serverInfo\":{\"name\":\"legacy\",\"version\":\"1\"}}}\n\n");
    }
    Content.Sink.write(response, true, ByteBuffer.allocate(0));
  }

  private static void send(Response response, String text) throws IOException {
    Content.Sink.write(response, false, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
  }

  private static void write(Response response, int status, String contentType, Map<String, String> headers,
                            String body) throws IOException {
    response.setStatus(status);
    if (contentType != null) {
      response.getHeaders().put("Content-Type", contentType);
    }
    headers.forEach((name, value) -> response.getHeaders().put(name, value));
    Content.Sink.write(response, true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)));
  }

  @Override
  public void close() throws Exception {
    server.stop();
  }
}
