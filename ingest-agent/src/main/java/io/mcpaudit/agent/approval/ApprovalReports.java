package io.mcpaudit.agent.approval;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mcpaudit.agent.mcp.CanonicalJson;
import io.mcpaudit.agent.mcp.Hashes;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads and validates what MCP hosts report to the approval endpoint. Every problem is
 * collected, so that a host developer sees all of them in one 400 answer.
 */
final class ApprovalReports {
  static final int MAX_TEXT = 256;
  static final int MAX_SESSION = 512;
  /** How far a reported time may lie ahead of the agent's clock. */
  static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

  private static final Set<String> APPROVAL_FIELDS = Set.of("session", "request_id", "tool", "decision", "approver",
      "arguments_sha256", "arguments", "decided_in_ms", "requested_at", "decided_at");
  private static final Set<String> SCOPE_FIELDS = Set.of("session", "granted", "requested", "resource");

  private final ObjectMapper json = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  /** An approval decision as reported. */
  record Approval(String session, String requestIdJson, String tool, boolean approved, String approver,
                  String argumentsSha256, Long decidedInMs, Instant decidedAt) {}

  /** A consent / scope grant as reported. */
  record ScopeGrant(String session, List<String> granted, List<String> requested, String resource) {}

  /** The report, or the problems that make it unusable (never both). */
  record Parsed<T>(T report, List<String> problems) {
    boolean ok() {
      return problems.isEmpty();
    }
  }

  Parsed<Approval> approval(byte[] body, Instant now) {
    List<String> problems = new ArrayList<>();
    JsonNode root = object(body, problems);
    if (root == null) {
      return new Parsed<>(null, problems);
    }
    unknownFields(root, APPROVAL_FIELDS, problems);
    String session = optionalText(root, "session", MAX_SESSION, problems);
    String requestId = requestId(root, problems);
    String tool = requiredText(root, "tool", problems);
    String approver = requiredText(root, "approver", problems);
    Boolean approved = null;
    JsonNode decision = root.get("decision");
    if (decision == null || decision.isNull()) {
      problems.add("decision: required, \"approved\" or \"denied\"");
    } else if (!decision.isTextual()) {
      problems.add("decision: must be the string \"approved\" or \"denied\"");
    } else {
      switch (decision.textValue().trim().toLowerCase(Locale.ROOT)) {
        case "approved" -> approved = true;
        case "denied" -> approved = false;
        default -> problems.add("decision: must be \"approved\" or \"denied\", got \"" + shortened(decision.textValue())
            + "\"");
      }
    }
    String hash = argumentsHash(root, problems);
    Long decidedInMs = null;
    JsonNode took = root.get("decided_in_ms");
    if (took != null && !took.isNull()) {
      if (!took.canConvertToLong() || !took.isIntegralNumber() || took.longValue() < 0) {
        problems.add("decided_in_ms: must be a whole number of milliseconds, 0 or more");
      } else {
        decidedInMs = took.longValue();
      }
    }
    Instant requestedAt = time(root, "requested_at", now, problems);
    Instant decidedAt = time(root, "decided_at", now, problems);
    if (requestedAt != null && decidedAt == null) {
      problems.add("requested_at: only meaningful with decided_at (the time the decision was made)");
    }
    if (requestedAt != null && decidedAt != null) {
      if (decidedAt.isBefore(requestedAt)) {
        problems.add("decided_at: is before requested_at");
      } else if (decidedInMs == null) {
        decidedInMs = Duration.between(requestedAt, decidedAt).toMillis();
      }
    }
    if (!problems.isEmpty()) {
      return new Parsed<>(null, problems);
    }
    return new Parsed<>(new Approval(session, requestId, tool, approved, approver, hash, decidedInMs, decidedAt),
        problems);
  }

  Parsed<ScopeGrant> scopeGrant(byte[] body) {
    List<String> problems = new ArrayList<>();
    JsonNode root = object(body, problems);
    if (root == null) {
      return new Parsed<>(null, problems);
    }
    unknownFields(root, SCOPE_FIELDS, problems);
    String session = optionalText(root, "session", MAX_SESSION, problems);
    List<String> granted = scopes(root, "granted", problems);
    List<String> requested = scopes(root, "requested", problems);
    if (root.path("granted").isMissingNode() || root.path("granted").isNull()) {
      problems.add("granted: required, an array of scope strings such as [\"files:read\"]");
    } else if (granted != null && granted.isEmpty() && (requested == null || requested.isEmpty())) {
      problems.add("granted: name at least one scope (or report the requested ones in 'requested')");
    }
    String resource = optionalText(root, "resource", 2048, problems);
    if (!problems.isEmpty()) {
      return new Parsed<>(null, problems);
    }
    return new Parsed<>(new ScopeGrant(session, granted, requested == null ? List.of() : requested, resource), problems);
  }

  private JsonNode object(byte[] body, List<String> problems) {
    if (body.length == 0) {
      problems.add("the body is empty; send a JSON object");
      return null;
    }
    JsonNode root;
    try {
      root = json.readTree(body);
    } catch (JsonProcessingException e) {
      problems.add("the body is not valid JSON (" + e.getOriginalMessage() + ")");
      return null;
    } catch (java.io.IOException e) {
      problems.add("the body could not be read (" + e.getMessage() + ")");
      return null;
    }
    if (root == null || !root.isObject()) {
      problems.add("the body must be a JSON object");
      return null;
    }
    return root;
  }

  private static void unknownFields(JsonNode root, Set<String> known, List<String> problems) {
    Iterator<String> names = root.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (!known.contains(name)) {
        problems.add(shortened(name) + ": unknown field (known: " + String.join(", ", new java.util.TreeSet<>(known))
            + ")");
      }
    }
  }

  /** The JSON-RPC id of the tools/call, kept as JSON text so that 7 and "7" stay different. */
  private static String requestId(JsonNode root, List<String> problems) {
    JsonNode id = root.get("request_id");
    if (id == null || id.isNull()) {
      problems.add("request_id: required, the JSON-RPC id of the tools/call request (a number or a string)");
      return null;
    }
    if (id.isIntegralNumber()) {
      return id.asText();
    }
    if (id.isTextual() && !id.textValue().isEmpty() && id.textValue().length() <= MAX_TEXT) {
      return id.toString();
    }
    problems.add("request_id: must be a whole number or a non-empty string of at most " + MAX_TEXT
        + " characters, as in the tools/call request");
    return null;
  }

  private static String argumentsHash(JsonNode root, List<String> problems) {
    JsonNode hash = root.get("arguments_sha256");
    JsonNode arguments = root.get("arguments");
    boolean hasHash = hash != null && !hash.isNull();
    boolean hasArguments = arguments != null && !arguments.isNull();
    if (hasHash && hasArguments) {
      problems.add("arguments_sha256 and arguments: give one of them, not both");
      return null;
    }
    if (hasArguments) {
      if (!arguments.isObject()) {
        problems.add("arguments: must be the JSON object of the approved tool arguments");
        return null;
      }
      // The arguments themselves are not kept: only their canonical hash, as the call's is.
      return Hashes.sha256Hex(CanonicalJson.canonicalize(arguments));
    }
    if (!hasHash) {
      problems.add("arguments_sha256: required (SHA-256 of the RFC 8785 canonical JSON of the approved arguments, 64"
          + " hex digits), or send the arguments object as 'arguments'");
      return null;
    }
    if (!hash.isTextual() || !hash.textValue().matches("[0-9a-fA-F]{64}")) {
      problems.add("arguments_sha256: must be 64 hexadecimal digits (a SHA-256)");
      return null;
    }
    return hash.textValue().toLowerCase(Locale.ROOT);
  }

  private static String requiredText(JsonNode root, String field, List<String> problems) {
    JsonNode value = root.get(field);
    if (value == null || value.isNull()) {
      problems.add(field + ": required, a non-empty string");
      return null;
    }
    return text(value, field, MAX_TEXT, problems);
  }

  private static String optionalText(JsonNode root, String field, int max, List<String> problems) {
    JsonNode value = root.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    return text(value, field, max, problems);
  }

  private static String text(JsonNode value, String field, int max, List<String> problems) {
    if (!value.isTextual() || value.textValue().isBlank()) {
      problems.add(field + ": must be a non-empty string");
      return null;
    }
    String text = value.textValue().trim();
    if (text.length() > max) {
      problems.add(field + ": longer than " + max + " characters");
      return null;
    }
    if (text.chars().anyMatch(Character::isISOControl)) {
      problems.add(field + ": must not contain control characters");
      return null;
    }
    return text;
  }

  private static List<String> scopes(JsonNode root, String field, List<String> problems) {
    JsonNode value = root.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isArray()) {
      problems.add(field + ": must be an array of scope strings");
      return null;
    }
    List<String> scopes = new ArrayList<>();
    for (JsonNode scope : value) {
      // RFC 6749 §3.3: scope tokens are printable ASCII without space, quote or backslash.
      if (!scope.isTextual() || !scope.textValue().matches("[\\x21\\x23-\\x5B\\x5D-\\x7E]{1,256}")) {
        problems.add(field + ": '" + shortened(scope.asText(scope.toString())) + "' is not a scope token"
            + " (RFC 6749: printable ASCII, no spaces)");
        return null;
      }
      scopes.add(scope.textValue());
    }
    if (scopes.size() > 256) {
      problems.add(field + ": more than 256 scopes");
      return null;
    }
    return scopes;
  }

  private static Instant time(JsonNode root, String field, Instant now, List<String> problems) {
    JsonNode value = root.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      problems.add(field + ": must be an RFC 3339 time such as 2026-11-20T10:00:00.120Z");
      return null;
    }
    try {
      Instant time = OffsetDateTime.parse(value.textValue()).toInstant();
      if (time.isAfter(now.plus(CLOCK_SKEW))) {
        problems.add(field + ": lies in the future (" + value.textValue() + "; the agent's clock says " + now + ")");
        return null;
      }
      return time;
    } catch (DateTimeParseException e) {
      problems.add(field + ": '" + shortened(value.textValue()) + "' is not an RFC 3339 time such as"
          + " 2026-11-20T10:00:00.120Z");
      return null;
    }
  }

  private static String shortened(String text) {
    String cleaned = text.replaceAll("\\p{Cntrl}", "?");
    return cleaned.length() > 64 ? cleaned.substring(0, 64) + "…" : cleaned;
  }
}
