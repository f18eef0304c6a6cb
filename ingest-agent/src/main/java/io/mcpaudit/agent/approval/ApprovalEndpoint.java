package io.mcpaudit.agent.approval;

import io.mcpaudit.agent.config.ApprovalSettings;
import io.mcpaudit.agent.config.HostPort;
import io.mcpaudit.agent.events.Observation;
import io.mcpaudit.agent.events.SessionContext;
import io.mcpaudit.agent.trail.AuditTrail;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The agent's approval endpoint: MCP hosts report here what their users decided, since
 * approvals happen in the host's UI and never cross the MCP wire. {@code POST /v1/approvals}
 * records an {@code ApprovalDecided}, {@code POST /v1/scopes} a consent or scope grant
 * ({@code ScopeChanged}). Reporters authenticate with the configured bearer secret; bad
 * input gets a 400 listing every problem. {@code GET /healthz} answers without a secret.
 */
public final class ApprovalEndpoint implements AutoCloseable {
  static final String APPROVALS = "/v1/approvals";
  static final String SCOPES = "/v1/scopes";
  static final String HEALTH = "/healthz";
  static final int MAX_BODY_BYTES = 64 * 1024;
  /** A refused request's body is read and dropped up to this much, so the client gets to read the refusal. */
  static final long DRAIN_LIMIT = 1L << 20;

  /** Tells which MCP session a report belongs to. */
  public interface Sessions {
    /**
     * @param reported the report's {@code session} field, or null when it has none
     * @throws IllegalArgumentException with the reason, when the report cannot be placed in a session
     */
    SessionContext resolve(String reported);
  }

  private final Server server;
  private final ServerConnector connector;
  private final HostPort listen;

  private ApprovalEndpoint(HostPort listen, byte[] secretDigest, AuditTrail trail, Sessions sessions, Clock clock,
                           Consumer<String> status) {
    this.listen = listen;
    io.mcpaudit.agent.http.JettyDefaults.apply();
    QueuedThreadPool threads = new QueuedThreadPool(16, 2);
    threads.setName("mcp-audit-approvals");
    threads.setDaemon(true);
    this.server = new Server(threads);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    this.connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
    connector.setHost(listen.isWildcard() ? null : listen.host());
    connector.setPort(listen.port());
    connector.setIdleTimeout(30_000);
    server.addConnector(connector);
    server.setHandler(new ReportHandler(secretDigest, trail, sessions, clock, status));
  }

  /**
   * Starts the endpoint when {@code approvals.listen} is configured; null otherwise.
   */
  public static ApprovalEndpoint startIfConfigured(ApprovalSettings settings, AuditTrail trail, Sessions sessions,
                                                   Clock clock, Consumer<String> status) throws Exception {
    if (settings.listen().isEmpty()) {
      return null;
    }
    String secret = settings.token().orElseThrow(() -> new IllegalStateException("approvals.token is required"));
    ApprovalEndpoint endpoint = new ApprovalEndpoint(settings.listen().get(), digest(secret), trail, sessions, clock,
        status);
    endpoint.server.start();
    return endpoint;
  }

  public int port() {
    return connector.getLocalPort();
  }

  public URI url() {
    String host = listen.isWildcard() ? "127.0.0.1" : listen.host().contains(":") ? "[" + listen.host() + "]"
        : listen.host();
    return URI.create("http://" + host + ":" + port());
  }

  @Override
  public void close() throws Exception {
    server.stop();
  }

  private static byte[] digest(String secret) {
    return io.mcpaudit.agent.mcp.Hashes.sha256().digest(secret.getBytes(StandardCharsets.UTF_8));
  }

  private static final class ReportHandler extends Handler.Abstract {
    private final byte[] secretDigest;
    private final AuditTrail trail;
    private final Sessions sessions;
    private final Clock clock;
    private final Consumer<String> status;
    private final ApprovalReports reports = new ApprovalReports();

    ReportHandler(byte[] secretDigest, AuditTrail trail, Sessions sessions, Clock clock, Consumer<String> status) {
      this.secretDigest = secretDigest;
      this.trail = trail;
      this.sessions = sessions;
      this.clock = clock;
      this.status = status;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws IOException {
      String path = Request.getPathInContext(request);
      if (HEALTH.equals(path) && HttpMethod.GET.is(request.getMethod())) {
        return answer(response, callback, HttpStatus.OK_200, "{\"status\":\"ok\"}");
      }
      // Read the body first, whatever the verdict: a client still sending when the connection
      // closes may never see the answer that says what was wrong.
      byte[] body;
      try (InputStream in = Content.Source.asInputStream(request)) {
        body = in.readNBytes(MAX_BODY_BYTES + 1);
        if (body.length > MAX_BODY_BYTES) {
          long dropped = 0;
          long skipped;
          while (dropped < DRAIN_LIMIT && (skipped = in.skip(64 * 1024)) > 0) {
            dropped += skipped;
          }
          if (in.read() >= 0) {
            response.getHeaders().put(HttpHeader.CONNECTION, "close");
          }
        }
      }
      if (!APPROVALS.equals(path) && !SCOPES.equals(path)) {
        return error(response, callback, HttpStatus.NOT_FOUND_404, "no such endpoint; report approvals with POST "
            + APPROVALS + " and scope grants with POST " + SCOPES);
      }
      if (!authorized(request.getHeaders().get(HttpHeader.AUTHORIZATION))) {
        response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"mcp-audit approvals\"");
        return error(response, callback, HttpStatus.UNAUTHORIZED_401,
            "a valid bearer secret is required (Authorization: Bearer <approvals.token>)");
      }
      if (!HttpMethod.POST.is(request.getMethod())) {
        response.getHeaders().put(HttpHeader.ALLOW, "POST");
        return error(response, callback, HttpStatus.METHOD_NOT_ALLOWED_405, "use POST");
      }
      String contentType = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
      if (contentType == null || !contentType.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
        return error(response, callback, HttpStatus.UNSUPPORTED_MEDIA_TYPE_415,
            "send the report as JSON (Content-Type: application/json)");
      }
      if (body.length > MAX_BODY_BYTES) {
        return error(response, callback, HttpStatus.PAYLOAD_TOO_LARGE_413, "a report is at most " + MAX_BODY_BYTES
            + " bytes");
      }
      Instant now = clock.instant();
      return APPROVALS.equals(path) ? approval(body, now, response, callback) : scope(body, now, response, callback);
    }

    private boolean approval(byte[] body, Instant now, Response response, Callback callback) {
      ApprovalReports.Parsed<ApprovalReports.Approval> parsed = reports.approval(body, now);
      if (!parsed.ok()) {
        return invalid(response, callback, parsed.problems());
      }
      ApprovalReports.Approval report = parsed.report();
      SessionContext session;
      try {
        session = sessions.resolve(report.session());
      } catch (IllegalArgumentException e) {
        return invalid(response, callback, List.of("session: " + e.getMessage()));
      }
      Instant time = report.decidedAt() != null ? report.decidedAt() : now;
      boolean accepted = trail.observe(new Observation.Approval(session, time, report.requestIdJson(), report.tool(),
          report.approved(), report.approver(), report.argumentsSha256(), report.decidedInMs()));
      return recorded(response, callback, accepted, "approval", session.sessionId());
    }

    private boolean scope(byte[] body, Instant now, Response response, Callback callback) {
      ApprovalReports.Parsed<ApprovalReports.ScopeGrant> parsed = reports.scopeGrant(body);
      if (!parsed.ok()) {
        return invalid(response, callback, parsed.problems());
      }
      ApprovalReports.ScopeGrant report = parsed.report();
      SessionContext session;
      try {
        session = sessions.resolve(report.session());
      } catch (IllegalArgumentException e) {
        return invalid(response, callback, List.of("session: " + e.getMessage()));
      }
      String resource = report.resource() != null ? report.resource() : session.serverUrl();
      boolean accepted = trail.observe(new Observation.Scope(session, now, report.granted(), report.requested(),
          resource, null, null, null));
      return recorded(response, callback, accepted, "scope", session.sessionId());
    }

    private boolean recorded(Response response, Callback callback, boolean accepted, String kind, String session) {
      if (!accepted) {
        status.accept("mcp-audit agent: an " + kind + " report could not be queued (the audit queue is full);"
            + " the reporter was told to retry");
        response.getHeaders().put(HttpHeader.RETRY_AFTER, "1");
        return error(response, callback, HttpStatus.SERVICE_UNAVAILABLE_503,
            "the agent's audit queue is full; the report was not recorded, retry shortly");
      }
      return answer(response, callback, HttpStatus.ACCEPTED_202, "{\"recorded\":\"" + kind + "\",\"session\":"
          + jsonString(session) + "}");
    }

    private boolean authorized(String authorization) {
      if (authorization == null || authorization.length() < 8
          || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
        return false;
      }
      byte[] presented = digest(authorization.substring(7).trim());
      return MessageDigest.isEqual(presented, secretDigest);
    }

    private static boolean invalid(Response response, Callback callback, List<String> problems) {
      StringBuilder array = new StringBuilder("[");
      for (int i = 0; i < problems.size(); i++) {
        array.append(i == 0 ? "" : ",").append(jsonString(problems.get(i)));
      }
      array.append(']');
      return answer(response, callback, HttpStatus.BAD_REQUEST_400, "{\"error\":" + jsonString(
          "the report was not recorded: " + String.join("; ", problems)) + ",\"problems\":" + array + "}");
    }

    private static boolean error(Response response, Callback callback, int code, String message) {
      return answer(response, callback, code, "{\"error\":" + jsonString(message) + "}");
    }

    private static boolean answer(Response response, Callback callback, int code, String json) {
      response.setStatus(code);
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
      response.write(true, ByteBuffer.wrap(json.getBytes(StandardCharsets.UTF_8)), callback);
      return true;
    }

    private static String jsonString(String text) {
      return com.fasterxml.jackson.databind.node.TextNode.valueOf(text).toString();
    }
  }
}
