package io.mcpaudit.streams.inventory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.mcpaudit.event.InventoryEntry;
import io.mcpaudit.event.RiskTier;
import io.mcpaudit.event.ServerLocation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads the server inventory YAML ({@code deploy/inventory/inventory.yml}): one entry per approved
 * server with owner, purpose, location, risk tier, allowed scopes, and the expected command and
 * executable hash (local) or URL and audience (remote). Every problem is reported, with the entry
 * it is in, before anything is published.
 */
public final class InventoryFile {
  private static final Set<String> KNOWN_KEYS = Set.of("name", "owner", "purpose", "location", "risk_tier",
      "read_only", "allowed_scopes", "expected_command", "executable_sha256", "url", "audience");

  private InventoryFile() {}

  /** The entries, or an {@link IllegalArgumentException} listing every problem found. */
  public static List<InventoryEntry> read(Path file) {
    JsonNode root;
    try {
      root = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(file));
    } catch (IOException e) {
      throw new IllegalArgumentException(file + ": cannot read the inventory: " + e.getMessage(), e);
    }
    if (root == null || !root.path("servers").isArray()) {
      throw new IllegalArgumentException(file + ": expected a top-level 'servers:' list");
    }
    List<String> problems = new ArrayList<>();
    List<InventoryEntry> entries = new ArrayList<>();
    Set<String> names = new HashSet<>();
    int index = 0;
    for (JsonNode server : root.path("servers")) {
      index++;
      String where = file + ": servers[" + index + "]" + (server.hasNonNull("name") ? " (" + server.get("name").asText() + ")" : "");
      int before = problems.size();
      for (Iterator<String> keys = server.fieldNames(); keys.hasNext(); ) {
        String key = keys.next();
        if (!KNOWN_KEYS.contains(key)) {
          problems.add(where + ": unknown key '" + key + "' (known: " + String.join(", ", KNOWN_KEYS.stream().sorted().toList()) + ")");
        }
      }
      String name = text(server, "name", where, problems, true);
      String owner = text(server, "owner", where, problems, true);
      ServerLocation location = enumValue(ServerLocation.class, server, "location", where, problems);
      RiskTier tier = enumValue(RiskTier.class, server, "risk_tier", where, problems);
      if (name != null && !names.add(name)) {
        problems.add(where + ": server '" + name + "' is listed twice");
      }
      String sha = text(server, "executable_sha256", where, problems, false);
      if (sha != null && !sha.matches("[0-9a-fA-F]{64}")) {
        problems.add(where + ": executable_sha256 must be 64 hex characters");
      }
      if (location == ServerLocation.REMOTE && !server.hasNonNull("url")) {
        problems.add(where + ": a remote server needs its 'url'");
      }
      if (problems.size() > before) {
        continue;
      }
      entries.add(InventoryEntry.newBuilder()
          .setName(name)
          .setOwner(owner)
          .setPurpose(text(server, "purpose", where, problems, false))
          .setLocation(location)
          .setRiskTier(tier)
          .setReadOnly(server.path("read_only").asBoolean(false))
          .setAllowedScopes(strings(server.path("allowed_scopes")))
          .setExpectedCommand(server.has("expected_command") ? strings(server.get("expected_command")) : null)
          .setExecutableSha256(sha == null ? null : sha.toLowerCase(Locale.ROOT))
          .setUrl(text(server, "url", where, problems, false))
          .setAudience(text(server, "audience", where, problems, false))
          .build());
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join(System.lineSeparator(), problems));
    }
    return entries;
  }

  private static String text(JsonNode node, String key, String where, List<String> problems, boolean required) {
    JsonNode value = node.get(key);
    if (value == null || value.isNull()) {
      if (required) {
        problems.add(where + ": '" + key + "' is required");
      }
      return null;
    }
    if (!value.isTextual() || value.asText().isBlank()) {
      problems.add(where + ": '" + key + "' must be a non-empty string");
      return null;
    }
    return value.asText();
  }

  private static <E extends Enum<E>> E enumValue(Class<E> type, JsonNode node, String key, String where,
                                                 List<String> problems) {
    String value = text(node, key, where, problems, true);
    if (value == null) {
      return null;
    }
    try {
      return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      List<String> allowed = new ArrayList<>();
      for (E constant : type.getEnumConstants()) {
        allowed.add(constant.name().toLowerCase(Locale.ROOT));
      }
      problems.add(where + ": '" + key + "' must be one of " + String.join(", ", allowed) + ", got '" + value + "'");
      return null;
    }
  }

  private static List<String> strings(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(v -> values.add(v.asText()));
    return values;
  }
}
