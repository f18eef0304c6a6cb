package io.mcpaudit.router.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcpaudit.router.noise.LedgerEntry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * The record format of the router state topic ({@code mcp.audit.router-state.v1}, compacted):
 * key {@code <destination>|<dedup key>}, value a small JSON object
 * {@code {"status":"sent","at":"…","alert_id":"…","count":3}}; a null value removes the key.
 */
final class LedgerTopic {
  private static final ObjectMapper JSON = new ObjectMapper();

  private LedgerTopic() {}

  static byte[] key(LedgerEntry e) {
    return e.key().getBytes(StandardCharsets.UTF_8);
  }

  static byte[] value(LedgerEntry e) {
    ObjectNode o = JSON.createObjectNode();
    o.put("status", e.status().name().toLowerCase(Locale.ROOT));
    o.put("at", e.at().toString());
    o.put("alert_id", e.alertId());
    o.put("count", e.count());
    try {
      return JSON.writeValueAsBytes(o);
    } catch (IOException ex) {
      throw new IllegalStateException(ex);
    }
  }

  /** The entry a record holds; empty for tombstones and for records this version cannot read. */
  static Optional<LedgerEntry> parse(byte[] key, byte[] value) {
    if (key == null || value == null) {
      return Optional.empty();
    }
    String k = new String(key, StandardCharsets.UTF_8);
    int bar = k.indexOf('|');
    if (bar <= 0) {
      return Optional.empty();
    }
    try {
      JsonNode o = JSON.readTree(value);
      return Optional.of(new LedgerEntry(k.substring(0, bar), k.substring(bar + 1),
          LedgerEntry.Status.valueOf(o.path("status").asText().toUpperCase(Locale.ROOT)),
          Instant.parse(o.path("at").asText()), o.path("alert_id").asText(), o.path("count").asLong(1)));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
