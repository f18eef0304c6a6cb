package io.mcpaudit.agent.http;

import io.mcpaudit.agent.events.SessionContext;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.eclipse.jetty.io.Connection;

/**
 * What the HTTP proxy remembers across requests: the session ids it assigns to client
 * connections that carry no {@code Mcp-Session-Id}, the message endpoints of the older
 * HTTP+SSE transport and the sessions they belong to, the paths that carried MCP
 * messages, and which sessions already ended. Thread-safe; everything is bounded.
 */
final class HttpSessions implements Connection.Listener {
  static final int MAX_ENDED = 10_000;
  static final int MAX_MCP_PATHS = 256;

  /** A client connection without a session header, as a session: its id and the last context it was seen with. */
  static final class ConnectionSession {
    private final String id = UUID.randomUUID().toString();
    private volatile SessionContext lastContext;

    String id() {
      return id;
    }

    void seen(SessionContext context) {
      lastContext = context;
    }
  }

  private final Map<Connection, ConnectionSession> connections = new ConcurrentHashMap<>();
  private final Map<String, String> legacyEndpoints = new ConcurrentHashMap<>();
  private final Set<String> mcpPaths = ConcurrentHashMap.newKeySet();
  private final Map<String, Boolean> ended = Collections.synchronizedMap(new LinkedHashMap<>(64, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
      return size() > MAX_ENDED;
    }
  });
  private final Consumer<SessionContext> connectionClosed;

  /** @param connectionClosed told about a connection session that carried traffic when its connection closes */
  HttpSessions(Consumer<SessionContext> connectionClosed) {
    this.connectionClosed = connectionClosed;
  }

  ConnectionSession connectionSession(Connection connection) {
    return connections.computeIfAbsent(connection, key -> new ConnectionSession());
  }

  @Override
  public void onClosed(Connection connection) {
    ConnectionSession session = connections.remove(connection);
    if (session != null && session.lastContext != null) {
      connectionClosed.accept(session.lastContext);
    }
  }

  /** Connection sessions currently open (for tests and status). */
  int openConnectionSessions() {
    return connections.size();
  }

  /** An HTTP+SSE message endpoint ({@code path?query}) announced on a stream, and its session. */
  void legacyEndpoint(String endpoint, String sessionId) {
    legacyEndpoints.put(endpoint, sessionId);
  }

  Optional<String> legacySession(String endpoint) {
    return Optional.ofNullable(legacyEndpoints.get(endpoint));
  }

  void legacyEndpointClosed(String endpoint) {
    legacyEndpoints.remove(endpoint);
  }

  void mcpPath(String path) {
    if (mcpPaths.size() < MAX_MCP_PATHS) {
      mcpPaths.add(path);
    }
  }

  boolean isMcpPath(String path) {
    return mcpPaths.contains(path);
  }

  /** True the first time a session is reported ended (a client may meet the same 404 several times). */
  boolean markEnded(String sessionId) {
    return ended.put(sessionId, Boolean.TRUE) == null;
  }
}
