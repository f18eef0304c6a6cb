package io.mcpaudit.agent.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mcpaudit.agent.events.Observation;
import io.mcpaudit.agent.events.SessionContext;
import io.mcpaudit.agent.mcp.Hashes;
import io.mcpaudit.agent.secrets.TokenObservation;
import io.mcpaudit.event.Direction;
import io.mcpaudit.event.Transport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Request;

/**
 * One HTTP request through the proxy and its response, as the agent sees them. It decides
 * which bytes are MCP messages, which session they belong to (the {@code Mcp-Session-Id},
 * the HTTP+SSE endpoint's session, else the client connection), and what else the exchange
 * says: authorization challenges, protected resource metadata, the end of a session.
 *
 * <p>Request-side methods run on the request's thread before it is forwarded; response-side
 * methods run on the upstream client's thread, one at a time, in wire order.
 */
final class ObservedExchange {
  static final String ATTRIBUTE = ObservedExchange.class.getName();
  static final String SESSION_HEADER = "Mcp-Session-Id";
  static final String METADATA_PATH = "/.well-known/oauth-protected-resource";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final byte[] JSONRPC = "\"jsonrpc\"".getBytes(StandardCharsets.US_ASCII);

  private enum BodyMode { NONE, JSON, EVENTS, RESOURCE_METADATA }

  private final HttpTrafficRecorder recorder;
  private final HttpSessions sessions;
  private final Instant time;
  private final String method;
  private final String path;
  private final String pathQuery;
  private final String clientAddress;
  private final String user;
  private final Optional<TokenObservation> token;
  private final String requestSession;
  private final Map<String, String> requestHeaders;
  private final byte[] message;
  private final HttpSessions.ConnectionSession connection;
  private final String legacySession;
  private boolean requestObserved;

  private int status;
  private BodyMode mode = BodyMode.NONE;
  private Observation.HttpExchange responseHttp;
  private String streamSession;
  private Transport streamTransport = Transport.STREAMABLE_HTTP;
  private String legacyEndpoint;
  private boolean firstEvent = true;
  private SseEventParser events;
  private ByteArrayOutputStream body;
  private MessageDigest bodyOverflow;
  private long bodySize;
  private String contentEncoding;

  ObservedExchange(HttpTrafficRecorder recorder, Instant time, Request request, byte[] requestBody,
                   Optional<TokenObservation> token, String user) {
    this.recorder = recorder;
    this.sessions = recorder.sessions();
    this.time = time;
    this.method = request.getMethod();
    this.path = request.getHttpURI().getPath() == null ? "/" : request.getHttpURI().getPath();
    this.pathQuery = request.getHttpURI().getPathQuery() == null ? path : request.getHttpURI().getPathQuery();
    this.clientAddress = Request.getRemoteAddr(request);
    this.user = user;
    this.token = token;
    HttpFields headers = request.getHeaders();
    this.requestSession = blankToNull(headers.get(SESSION_HEADER));
    this.requestHeaders = HttpTrafficRecorder.recordable(headers);
    this.connection = sessions.connectionSession(request.getConnectionMetaData().getConnection());
    this.legacySession = sessions.legacySession(pathQuery).orElse(null);
    this.message = mcpMessage(requestBody, headers);
  }

  /** The request body when it is an MCP message, decoded; null when it is not one. */
  private byte[] mcpMessage(byte[] requestBody, HttpFields headers) {
    if (requestBody == null || requestBody.length == 0 || !HttpMethod.POST.is(method) || path.startsWith("/.well-known/")) {
      return null;
    }
    String contentType = headers.get(HttpHeader.CONTENT_TYPE);
    if (contentType != null && !HttpTrafficRecorder.isJson(contentType)) {
      return null;
    }
    byte[] decoded = ContentCoding.decode(requestBody, headers.get(HttpHeader.CONTENT_ENCODING),
        recorder.maxMessageBytes());
    if (decoded == null) {
      decoded = requestBody;
    }
    // A JSON body is an MCP message when it says so, or when it went to a path that carried MCP before
    // (so that malformed messages to the MCP endpoint are still recorded, as unparseable).
    if (contains(decoded, JSONRPC)) {
      sessions.mcpPath(path);
      return decoded;
    }
    return sessions.isMcpPath(path) || legacySession != null ? decoded : null;
  }

  // ------------------------------------------------------------------ request side

  /** The request is about to be forwarded: record it now when its session is already known. */
  void requestArrived() {
    if (message == null) {
      return;
    }
    if (requestSession != null) {
      observeRequest(requestSession, Transport.STREAMABLE_HTTP);
    } else if (legacySession != null) {
      observeRequest(legacySession, Transport.SSE);
    }
    // Otherwise (initialize, stateless servers) the response tells the session: wait for its headers.
  }

  private void observeRequest(String sessionId, Transport transport) {
    if (requestObserved || message == null) {
      return;
    }
    requestObserved = true;
    SessionContext context = context(sessionId, transport);
    recorder.observe(recorder.message(context, time, Direction.CLIENT_TO_SERVER, message, token,
        new Observation.HttpExchange(method, pathQuery, null, requestHeaders)));
  }

  private SessionContext context(String sessionId, Transport transport) {
    SessionContext context = recorder.context(sessionId, transport, clientAddress, user);
    if (sessionId.equals(connection.id())) {
      connection.seen(context);
    }
    return context;
  }

  /** The session of this exchange when nothing better is known: the request's, else its connection's. */
  private String fallbackSession() {
    if (requestSession != null) {
      return requestSession;
    }
    if (legacySession != null) {
      return legacySession;
    }
    return connection.id();
  }

  private Transport fallbackTransport() {
    return requestSession == null && legacySession != null ? Transport.SSE : Transport.STREAMABLE_HTTP;
  }

  // ------------------------------------------------------------------ response side

  void responseHeaders(int status, HttpFields headers) {
    this.status = status;
    String responseSession = blankToNull(headers.get(SESSION_HEADER));
    String session = requestSession != null ? requestSession : responseSession != null ? responseSession : null;
    if (!requestObserved && message != null) {
      if (session != null) {
        observeRequest(session, Transport.STREAMABLE_HTTP);
      } else {
        observeRequest(fallbackSession(), fallbackTransport());
      }
    }
    String exchangeSession = session != null ? session : fallbackSession();
    Transport transport = session != null ? Transport.STREAMABLE_HTTP : fallbackTransport();
    Map<String, String> recorded = HttpTrafficRecorder.recordable(headers);
    responseHttp = new Observation.HttpExchange(method, pathQuery, status, recorded);

    if (status == 401 || status == 403) {
      challenge(exchangeSession, transport, headers.getValuesList(HttpHeader.WWW_AUTHENTICATE));
    }
    if (requestSession != null && (status == 404 || HttpMethod.DELETE.is(method) && status >= 200 && status < 300)) {
      String reason = status == 404 ? "the server no longer knows the session (HTTP 404)"
          : "the client ended the session (HTTP DELETE)";
      if (sessions.markEnded(requestSession)) {
        recorder.observe(new Observation.SessionEnd(context(requestSession, Transport.STREAMABLE_HTTP),
            recorder.clock().instant(), reason, null));
      }
    }

    String contentType = headers.get(HttpHeader.CONTENT_TYPE);
    contentEncoding = headers.get(HttpHeader.CONTENT_ENCODING);
    boolean identity = contentEncoding == null || contentEncoding.isBlank()
        || contentEncoding.trim().equalsIgnoreCase("identity");
    if (HttpTrafficRecorder.isEventStream(contentType) && identity && !path.startsWith("/.well-known/")) {
      mode = BodyMode.EVENTS;
      streamSession = exchangeSession;
      streamTransport = transport;
      events = new SseEventParser(recorder.maxMessageBytes(), this::event);
    } else if (HttpTrafficRecorder.isJson(contentType) && message != null) {
      mode = BodyMode.JSON;
      streamSession = exchangeSession;
      streamTransport = requestObservedTransport(transport);
      body = new ByteArrayOutputStream(1024);
    } else if (HttpTrafficRecorder.isJson(contentType) && HttpMethod.GET.is(method) && status == 200
        && path.startsWith(METADATA_PATH)) {
      mode = BodyMode.RESOURCE_METADATA;
      streamSession = exchangeSession;
      streamTransport = transport;
      body = new ByteArrayOutputStream(1024);
    }
  }

  private Transport requestObservedTransport(Transport fallback) {
    return requestSession == null && legacySession != null ? Transport.SSE : fallback;
  }

  /** Whether the response body is looked at (else it is relayed without a copy). */
  boolean wantsBody() {
    return mode != BodyMode.NONE;
  }

  /** A copy of response bytes the client has been sent. */
  void responseContent(byte[] bytes) {
    switch (mode) {
      case EVENTS -> events.accept(bytes, 0, bytes.length);
      case JSON -> collect(bytes, recorder.maxMessageBytes());
      case RESOURCE_METADATA -> {
        if (body != null && body.size() + bytes.length <= HttpTrafficRecorder.MAX_METADATA_BYTES) {
          body.write(bytes, 0, bytes.length);
        } else {
          body = null;
        }
      }
      default -> { }
    }
  }

  /** The exchange is over; {@code failure} is null when the response arrived whole. */
  void complete(Throwable failure) {
    if (!requestObserved && message != null) {
      // The server never answered (unreachable, timed out): the request was still sent, or tried.
      observeRequest(fallbackSession(), fallbackTransport());
    }
    switch (mode) {
      case JSON -> {
        if (failure == null) {
          jsonComplete();
        }
      }
      case EVENTS -> {
        events.finish();
        if (legacyEndpoint != null) {
          sessions.legacyEndpointClosed(legacyEndpoint);
          if (sessions.markEnded(streamSession)) {
            recorder.observe(new Observation.SessionEnd(context(streamSession, Transport.SSE),
                recorder.clock().instant(), "the HTTP+SSE event stream closed", null));
          }
        }
      }
      case RESOURCE_METADATA -> {
        if (failure == null && body != null) {
          resourceMetadata(body.toByteArray());
        }
      }
      default -> { }
    }
  }

  private void collect(byte[] bytes, int max) {
    bodySize += bytes.length;
    if (bodyOverflow != null) {
      bodyOverflow.update(bytes);
      return;
    }
    if (body.size() + (long) bytes.length > max) {
      bodyOverflow = Hashes.sha256();
      bodyOverflow.update(body.toByteArray());
      bodyOverflow.update(bytes);
      body = null;
      return;
    }
    body.write(bytes, 0, bytes.length);
  }

  private void jsonComplete() {
    SessionContext context = context(streamSession, streamTransport);
    Instant now = recorder.clock().instant();
    if (bodyOverflow != null) {
      recorder.observe(new Observation.Message(context, now, Direction.SERVER_TO_CLIENT, null, bodySize,
          HexFormat.of().formatHex(bodyOverflow.digest()), Optional.empty(), responseHttp));
      return;
    }
    byte[] bytes = body.toByteArray();
    if (bytes.length == 0) {
      return;
    }
    byte[] decoded = ContentCoding.decode(bytes, contentEncoding, recorder.maxMessageBytes());
    recorder.observe(recorder.message(context, now, Direction.SERVER_TO_CLIENT, decoded != null ? decoded : bytes,
        Optional.empty(), responseHttp));
  }

  private void event(SseEventParser.Event event) {
    boolean first = firstEvent;
    firstEvent = false;
    if (first && "endpoint".equals(event.type()) && HttpMethod.GET.is(method) && event.data() != null) {
      legacyStream(new String(event.data(), StandardCharsets.UTF_8).trim());
      return;
    }
    if (!"message".equals(event.type())) {
      return;
    }
    SessionContext context = context(streamSession, streamTransport);
    Instant now = recorder.clock().instant();
    if (event.data() == null) {
      recorder.observe(new Observation.Message(context, now, Direction.SERVER_TO_CLIENT, null, event.size(),
          event.sha256(), Optional.empty(), responseHttp));
    } else {
      recorder.observe(recorder.message(context, now, Direction.SERVER_TO_CLIENT, event.data(), Optional.empty(),
          responseHttp));
    }
  }

  /**
   * The older HTTP+SSE transport: the stream's first event names the endpoint for the client's
   * POSTs. The session is that endpoint's {@code sessionId} parameter (the name servers use),
   * else the endpoint itself.
   */
  private void legacyStream(String endpointText) {
    URI endpoint;
    try {
      endpoint = new URI(pathQuery).resolve(new URI(endpointText));
    } catch (URISyntaxException | IllegalArgumentException e) {
      return;
    }
    String key = endpoint.getRawPath() + (endpoint.getRawQuery() == null ? "" : "?" + endpoint.getRawQuery());
    String sessionId = queryParameter(endpoint.getRawQuery(), "sessionId")
        .or(() -> queryParameter(endpoint.getRawQuery(), "session_id"))
        .orElse(key);
    legacyEndpoint = key;
    streamSession = sessionId;
    streamTransport = Transport.SSE;
    sessions.legacyEndpoint(key, sessionId);
  }

  private static Optional<String> queryParameter(String rawQuery, String name) {
    if (rawQuery == null) {
      return Optional.empty();
    }
    for (String pair : rawQuery.split("&")) {
      int eq = pair.indexOf('=');
      String key = eq < 0 ? pair : pair.substring(0, eq);
      if (key.equals(name) && eq > 0 && eq < pair.length() - 1) {
        return Optional.of(java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return Optional.empty();
  }

  /** 401 and 403 challenges (RFC 6750, RFC 9728): what scopes the server asks for, and where its metadata is. */
  private void challenge(String session, Transport transport, List<String> wwwAuthenticate) {
    Optional<BearerChallenge> challenge = BearerChallenge.find(wwwAuthenticate);
    String error = challenge.map(BearerChallenge::error).orElse(null);
    if (status == 403 && !"insufficient_scope".equals(error)) {
      return; // forbidden for another reason: not an authorization scope matter
    }
    if (status == 401 && challenge.isEmpty()) {
      return;
    }
    BearerChallenge bearer = challenge.get();
    String metadataUrl = bearer.resourceMetadata();
    recorder.observe(new Observation.Scope(context(session, transport), recorder.clock().instant(), List.of(),
        bearer.scopes(), recorder.upstreamUrl(), error, metadataUrl, status));
  }

  /** RFC 9728 protected resource metadata passing by: which resource, which scopes it offers. */
  private void resourceMetadata(byte[] bytes) {
    JsonNode document;
    try {
      document = JSON.readTree(bytes);
    } catch (IOException e) {
      return;
    }
    if (document == null || !document.isObject()) {
      return;
    }
    String resource = document.path("resource").textValue();
    String metadataUrl = recorder.upstreamUrl().replaceAll("/+$", "") + pathQuery;
    recorder.observe(new Observation.Scope(context(streamSession, streamTransport), recorder.clock().instant(),
        List.of(), List.of(), resource != null ? resource : recorder.upstreamUrl(), null, metadataUrl, status));
  }

  private static boolean contains(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.trim();
  }
}
