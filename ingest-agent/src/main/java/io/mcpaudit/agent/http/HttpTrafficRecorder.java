package io.mcpaudit.agent.http;

import io.mcpaudit.agent.events.Observation;
import io.mcpaudit.agent.events.SessionContext;
import io.mcpaudit.agent.mcp.Hashes;
import io.mcpaudit.agent.secrets.TokenFingerprinter;
import io.mcpaudit.agent.secrets.TokenObservation;
import io.mcpaudit.agent.trail.AuditTrail;
import io.mcpaudit.event.Transport;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;

/**
 * Turns what crosses the HTTP proxy into observations for the agent's event thread. Shared by
 * all exchanges; each request gets an {@link ObservedExchange} from {@link #begin}. Anything
 * that goes wrong here is reported once on the status line and never reaches the traffic.
 */
final class HttpTrafficRecorder {
  /** Response bodies of protected resource metadata are read up to this size. */
  static final int MAX_METADATA_BYTES = 64 * 1024;

  private final AuditTrail trail;
  private final TokenFingerprinter fingerprinter;
  private final HttpSessions sessions;
  private final String serverName;
  private final String upstreamUrl;
  private final String configuredUser;
  private final int maxMessageBytes;
  private final Clock clock;
  private final Consumer<String> status;
  private final AtomicBoolean troubleReported = new AtomicBoolean();

  HttpTrafficRecorder(AuditTrail trail, TokenFingerprinter fingerprinter, String serverName, String upstreamUrl,
                      String configuredUser, int maxMessageBytes, Clock clock, Consumer<String> status) {
    this.trail = trail;
    this.fingerprinter = fingerprinter;
    this.serverName = serverName;
    this.upstreamUrl = upstreamUrl;
    this.configuredUser = configuredUser;
    this.maxMessageBytes = maxMessageBytes;
    this.clock = clock;
    this.status = status;
    this.sessions = new HttpSessions(context -> observe(
        new Observation.SessionEnd(context, clock.instant(), "client connection closed", null)));
  }

  HttpSessions sessions() {
    return sessions;
  }

  Clock clock() {
    return clock;
  }

  int maxMessageBytes() {
    return maxMessageBytes;
  }

  /** Starts observing one request whose body (null when it has none) was read in full. */
  ObservedExchange begin(Request request, byte[] body) {
    Optional<TokenObservation> token = Optional.empty();
    String authorization = request.getHeaders().get(HttpHeader.AUTHORIZATION);
    if (authorization != null && !authorization.isBlank()) {
      token = Optional.of(fingerprinter.observeAuthorization(authorization));
    }
    String user = configuredUser != null ? configuredUser
        : token.flatMap(TokenObservation::claims).map(claims -> claims.sub()).orElse(null);
    return new ObservedExchange(this, clock.instant(), request, body, token, user);
  }

  SessionContext context(String sessionId, Transport transport, String clientAddress, String user) {
    return new SessionContext(sessionId, transport, serverName, upstreamUrl, null, clientAddress, user);
  }

  String upstreamUrl() {
    return upstreamUrl;
  }

  /** Hands an observation to the event thread (never blocks; a full queue is counted there). */
  void observe(Observation observation) {
    try {
      trail.observe(observation);
    } catch (RuntimeException e) {
      trouble(e);
    }
  }

  /** Runs observation code so that a failure in it can never reach the traffic. */
  void safely(Runnable observation) {
    try {
      observation.run();
    } catch (RuntimeException e) {
      trouble(e);
    }
  }

  void trouble(Throwable e) {
    if (troubleReported.compareAndSet(false, true)) {
      status.accept("mcp-audit agent: observing HTTP traffic failed (" + e + "); the traffic itself is not"
          + " affected; further failures of this kind are not reported");
    }
  }

  /**
   * Headers as they are recorded: lower-case names, repeated headers joined with ", ", and
   * nothing that carries a credential (authorization, cookies, API keys, tokens).
   */
  static Map<String, String> recordable(HttpFields headers) {
    Map<String, String> recorded = new LinkedHashMap<>();
    for (HttpField field : headers) {
      String name = field.getLowerCaseName();
      if (isCredentialHeader(name)) {
        continue;
      }
      recorded.merge(name, field.getValue() == null ? "" : field.getValue(), (a, b) -> a + ", " + b);
    }
    return recorded;
  }

  static boolean isCredentialHeader(String lowerCaseName) {
    if (lowerCaseName.equals("www-authenticate")) {
      return false; // a challenge names scopes and metadata, never a secret
    }
    return lowerCaseName.contains("authorization") || lowerCaseName.contains("cookie")
        || lowerCaseName.contains("token") || lowerCaseName.contains("secret") || lowerCaseName.contains("api-key")
        || lowerCaseName.contains("apikey") || lowerCaseName.contains("password") || lowerCaseName.contains("auth");
  }

  static boolean isJson(String contentType) {
    if (contentType == null) {
      return false;
    }
    String type = mediaType(contentType);
    return type.equals("application/json") || type.endsWith("+json");
  }

  static boolean isEventStream(String contentType) {
    return contentType != null && mediaType(contentType).equals("text/event-stream");
  }

  static String mediaType(String contentType) {
    int semicolon = contentType.indexOf(';');
    return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
  }

  /** An observation of one wire unit; bytes over the limit are kept only as size and hash. */
  Observation.Message message(SessionContext context, java.time.Instant time, io.mcpaudit.event.Direction direction,
                              byte[] bytes, Optional<TokenObservation> token, Observation.HttpExchange http) {
    if (bytes.length > maxMessageBytes) {
      return new Observation.Message(context, time, direction, null, bytes.length, Hashes.sha256Hex(bytes), token, http);
    }
    return new Observation.Message(context, time, direction, bytes, bytes.length, null, token, http);
  }
}
