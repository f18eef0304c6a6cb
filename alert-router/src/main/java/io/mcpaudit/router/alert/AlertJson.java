package io.mcpaudit.router.alert;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcpaudit.event.Alert;
import io.mcpaudit.event.Severity;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The flat JSON form of an alert: one object per line in the files {@code mcp-audit route --input}
 * reads, and the {@code alert} object in webhook bodies. Keys are those of {@code mcp-audit detect
 * --format json} ({@code category}, {@code severity}, {@code session}, {@code rule_id},
 * {@code title}, {@code evidence}) plus the rest of the Avro {@code Alert}; docs/alert-routing.md
 * lists them with their defaults. Unknown keys are ignored.
 */
public final class AlertJson {
  private static final ObjectMapper JSON = new ObjectMapper();

  private AlertJson() {}

  /**
   * Parses one line; {@code now} stands in for missing times.
   *
   * @throws IllegalArgumentException naming the key that is missing or wrong
   */
  public static Alert parse(String line, Instant now) {
    JsonNode node;
    try {
      node = JSON.readTree(line);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
    }
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException("not a JSON object");
    }
    String category = required(node, "category");
    String severityText = required(node, "severity");
    Severity severity;
    try {
      severity = Severity.valueOf(severityText.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("severity '" + severityText + "' is not low, medium, high or critical");
    }
    String session = required(node, "session");
    String ruleId = required(node, "rule_id");
    String title = required(node, "title");
    Instant firstSeen = time(node, "first_seen").orElse(null);
    Instant lastSeen = time(node, "last_seen").orElse(null);
    if (firstSeen == null) {
      firstSeen = lastSeen == null ? now : lastSeen;
    }
    if (lastSeen == null) {
      lastSeen = firstSeen;
    }
    String dedupKey = optional(node, "dedup_key").orElse(ruleId + "|" + session);
    String alertId = optional(node, "alert_id").orElse(derivedId(dedupKey, firstSeen));
    List<String> evidence = new ArrayList<>();
    JsonNode ev = node.path("evidence");
    if (ev.isArray()) {
      ev.forEach(e -> evidence.add(e.asText()));
    } else if (!ev.isMissingNode() && !ev.isNull()) {
      throw new IllegalArgumentException("evidence must be an array of event ids");
    }
    long count = 1;
    JsonNode c = node.path("count");
    if (!c.isMissingNode() && !c.isNull()) {
      if (!c.canConvertToLong() || c.asLong() < 1) {
        throw new IllegalArgumentException("count must be a whole number of at least 1");
      }
      count = c.asLong();
    }
    Map<String, String> attributes = new LinkedHashMap<>();
    JsonNode attrs = node.path("attributes");
    if (attrs.isObject()) {
      attrs.properties().forEach(e -> attributes.put(e.getKey(),
          e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString()));
    } else if (!attrs.isMissingNode() && !attrs.isNull()) {
      throw new IllegalArgumentException("attributes must be an object");
    }
    return Alert.newBuilder()
        .setAlertId(alertId)
        .setCategory(category)
        .setRuleId(ruleId)
        .setSeverity(severity)
        .setTitle(title)
        .setDescription(optional(node, "description").orElse(null))
        .setSessionId(session)
        .setEvidenceEventIds(evidence)
        .setExcerpt(optional(node, "excerpt").orElse(null))
        .setDedupKey(dedupKey)
        .setFirstSeen(firstSeen)
        .setLastSeen(lastSeen)
        .setCount(count)
        .setServerName(optional(node, "server").orElse(null))
        .setUser(optional(node, "user").orElse(null))
        .setClientAgent(optional(node, "client").or(() -> optional(node, "client_agent")).orElse(null))
        .setAttributes(new LinkedHashMap<>(attributes))
        .build();
  }

  /** The flat form of an alert; absent facts are left out, never null. */
  public static ObjectNode toJson(Alert alert) {
    ObjectNode o = JSON.createObjectNode();
    o.put("alert_id", alert.getAlertId());
    o.put("category", alert.getCategory());
    o.put("severity", alert.getSeverity().name().toLowerCase(Locale.ROOT));
    o.put("session", alert.getSessionId());
    o.put("rule_id", alert.getRuleId());
    o.put("title", alert.getTitle());
    putIfPresent(o, "description", alert.getDescription());
    ArrayNode evidence = o.putArray("evidence");
    alert.getEvidenceEventIds().forEach(evidence::add);
    putIfPresent(o, "excerpt", alert.getExcerpt());
    o.put("dedup_key", alert.getDedupKey());
    o.put("first_seen", alert.getFirstSeen().toString());
    o.put("last_seen", alert.getLastSeen().toString());
    o.put("count", alert.getCount());
    putIfPresent(o, "server", alert.getServerName());
    putIfPresent(o, "user", alert.getUser());
    putIfPresent(o, "client", alert.getClientAgent());
    if (!alert.getAttributes().isEmpty()) {
      ObjectNode attrs = o.putObject("attributes");
      new java.util.TreeMap<>(alert.getAttributes()).forEach(attrs::put);
    }
    return o;
  }

  /** The same id for the same finding and window start, as the pipeline derives its own. */
  public static String derivedId(String dedupKey, Instant firstSeen) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest((dedupKey + "|" + firstSeen.toEpochMilli()).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void putIfPresent(ObjectNode o, String key, String value) {
    if (value != null) {
      o.put(key, value);
    }
  }

  private static String required(JsonNode node, String key) {
    return optional(node, key).orElseThrow(() -> new IllegalArgumentException("'" + key + "' is missing"));
  }

  private static java.util.Optional<String> optional(JsonNode node, String key) {
    JsonNode v = node.path(key);
    if (v.isMissingNode() || v.isNull()) {
      return java.util.Optional.empty();
    }
    if (!v.isValueNode() || v.asText().isBlank()) {
      throw new IllegalArgumentException("'" + key + "' must be a non-empty string");
    }
    return java.util.Optional.of(v.asText());
  }

  private static java.util.Optional<Instant> time(JsonNode node, String key) {
    JsonNode v = node.path(key);
    if (v.isMissingNode() || v.isNull()) {
      return java.util.Optional.empty();
    }
    if (v.isIntegralNumber()) {
      return java.util.Optional.of(Instant.ofEpochMilli(v.asLong()));
    }
    try {
      return java.util.Optional.of(Instant.parse(v.asText()));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("'" + key + "' must be an ISO-8601 instant (2026-03-01T12:00:00Z)"
          + " or epoch milliseconds");
    }
  }
}
