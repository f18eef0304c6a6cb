package io.mcpaudit.router.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.mcpaudit.event.RiskTier;
import io.mcpaudit.event.Severity;
import io.mcpaudit.router.alert.AlertCategories;
import io.mcpaudit.router.guard.DestinationGuard;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Reads the routing YAML (docs/alert-routing.md), checks every key, resolves secret references
 * and applies the static half of the destination guard. All problems are collected and reported
 * together, one line each with the key they concern; no secret value ever appears in them.
 */
public final class RoutingConfigLoader {
  private static final YAMLMapper YAML = new YAMLMapper();
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");
  private static final Set<String> PAGERDUTY_SEVERITIES = Set.of("critical", "error", "warning", "info");
  private static final Set<String> OPSGENIE_PRIORITIES = Set.of("P1", "P2", "P3", "P4", "P5");

  private final List<String> problems = new ArrayList<>();
  private final Environment environment;
  private final Path baseDirectory;

  private RoutingConfigLoader(Environment environment, Path baseDirectory) {
    this.environment = environment;
    this.baseDirectory = baseDirectory;
  }

  /** Reads {@code file}; relative {@code {file: ...}} secret paths are resolved against its directory. */
  public static RoutingConfig load(Path file, Environment environment) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read routing configuration " + file + ": "
          + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage()));
    }
    Path dir = file.toAbsolutePath().getParent();
    return parse(text, file.toString(), environment, dir == null ? Path.of(".") : dir);
  }

  public static RoutingConfig parse(String yaml, String sourceName, Environment environment, Path baseDirectory) {
    JsonNode root;
    try {
      root = YAML.readTree(yaml);
    } catch (JsonProcessingException e) {
      throw new RoutingConfigException(sourceName, List.of("not valid YAML: " + e.getOriginalMessage()
          + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")")));
    }
    RoutingConfigLoader loader = new RoutingConfigLoader(environment, baseDirectory);
    RoutingConfig config = loader.config(root == null ? MissingNode.getInstance() : root);
    if (!loader.problems.isEmpty()) {
      throw new RoutingConfigException(sourceName, loader.problems);
    }
    return config;
  }

  private RoutingConfig config(JsonNode root) {
    if (!root.isObject()) {
      problems.add("the file must be a YAML mapping with 'destinations' and 'routes'");
      return null;
    }
    keys(root, "", Set.of("version", "source", "allow_insecure_destinations", "links", "delivery", "noise",
        "kafka", "destinations", "routes"));
    JsonNode version = root.path("version");
    if (!version.isMissingNode() && !(version.isInt() && version.asInt() == 1)) {
      problems.add("version: must be 1");
    }
    String source = text(root, "source", "source").orElse("mcp-audit");
    boolean insecure = bool(root, "allow_insecure_destinations", "allow_insecure_destinations", false);
    Links links = links(root.path("links"));
    DeliveryPolicy delivery = delivery(root.path("delivery"));
    NoisePolicy noise = noise(root.path("noise"));
    KafkaSection kafka = kafka(root.path("kafka"));
    Map<String, DestinationConfig> destinations = destinations(root.path("destinations"), insecure);
    Set<String> declared = new LinkedHashSet<>();
    if (root.path("destinations").isObject()) {
      root.path("destinations").fieldNames().forEachRemaining(declared::add);
    }
    List<Route> routes = routes(root.path("routes"), declared, noise);
    return new RoutingConfig(source, insecure, links, delivery, noise, kafka, destinations, routes);
  }

  // ------------------------------------------------------------------ sections

  private Links links(JsonNode node) {
    if (node.isMissingNode() || node.isNull()) {
      return Links.none();
    }
    if (!object(node, "links")) {
      return Links.none();
    }
    keys(node, "links", Set.of("trace", "alert"));
    return new Links(template(node, "trace"), template(node, "alert"));
  }

  private Optional<LinkTemplate> template(JsonNode links, String key) {
    return text(links, key, "links." + key).flatMap(t -> {
      try {
        return Optional.of(LinkTemplate.parse(t));
      } catch (IllegalArgumentException e) {
        problems.add("links." + key + ": " + e.getMessage());
        return Optional.empty();
      }
    });
  }

  private DeliveryPolicy delivery(JsonNode node) {
    DeliveryPolicy d = DeliveryPolicy.defaults();
    if (node.isMissingNode() || node.isNull() || !object(node, "delivery")) {
      return d;
    }
    keys(node, "delivery", Set.of("connect_timeout", "request_timeout", "max_attempts", "initial_backoff",
        "max_backoff", "retry_budget"));
    DeliveryPolicy policy = new DeliveryPolicy(
        duration(node, "connect_timeout", "delivery").orElse(d.connectTimeout()),
        duration(node, "request_timeout", "delivery").orElse(d.requestTimeout()),
        integer(node, "max_attempts", "delivery.max_attempts", 1, 100).orElse(d.maxAttempts()),
        duration(node, "initial_backoff", "delivery").orElse(d.initialBackoff()),
        duration(node, "max_backoff", "delivery").orElse(d.maxBackoff()),
        duration(node, "retry_budget", "delivery").orElse(d.retryBudget()));
    if (policy.initialBackoff().compareTo(policy.maxBackoff()) > 0) {
      problems.add("delivery.initial_backoff (" + Durations.format(policy.initialBackoff())
          + ") must not exceed delivery.max_backoff (" + Durations.format(policy.maxBackoff()) + ")");
    }
    return policy;
  }

  private NoisePolicy noise(JsonNode node) {
    NoisePolicy d = NoisePolicy.defaults();
    if (node.isMissingNode() || node.isNull() || !object(node, "noise")) {
      return d;
    }
    keys(node, "noise", Set.of("dedup_window", "storm_threshold"));
    return new NoisePolicy(duration(node, "dedup_window", "noise").orElse(d.dedupWindow()),
        integer(node, "storm_threshold", "noise.storm_threshold", 0, 100_000).orElse(d.stormThreshold()));
  }

  private KafkaSection kafka(JsonNode node) {
    boolean present = !(node.isMissingNode() || node.isNull()) && object(node, "kafka");
    if (present) {
      keys(node, "kafka", Set.of("group_id", "alerts_topic", "inventory_topic", "state_topic", "dlq_topic",
          "start_from", "client"));
    }
    JsonNode n = present ? node : MissingNode.getInstance();
    KafkaSection.StartFrom start = text(n, "start_from", "kafka.start_from")
        .map(s -> oneOf(s, "kafka.start_from", v -> KafkaSection.StartFrom.valueOf(v.toUpperCase(Locale.ROOT)),
            "latest, earliest"))
        .orElse(KafkaSection.StartFrom.LATEST);
    Map<String, TextValue> client = new LinkedHashMap<>();
    JsonNode clientNode = n.path("client");
    if (!clientNode.isMissingNode() && object(clientNode, "kafka.client")) {
      clientNode.properties().forEach(e -> textValue(e.getValue(), "kafka.client." + e.getKey())
          .ifPresent(v -> client.put(e.getKey(), v)));
    }
    return new KafkaSection(
        text(n, "group_id", "kafka.group_id").orElse(KafkaSection.DEFAULT_GROUP),
        text(n, "alerts_topic", "kafka.alerts_topic").orElse(io.mcpaudit.schema.topic.Topics.ALERTS.name()),
        text(n, "inventory_topic", "kafka.inventory_topic").orElse(io.mcpaudit.schema.topic.Topics.INVENTORY.name()),
        text(n, "state_topic", "kafka.state_topic").orElse(KafkaSection.DEFAULT_STATE_TOPIC),
        text(n, "dlq_topic", "kafka.dlq_topic").orElse(io.mcpaudit.schema.topic.Topics.DLQ.name()),
        start, Map.copyOf(client));
  }

  private Map<String, DestinationConfig> destinations(JsonNode node, boolean insecure) {
    Map<String, DestinationConfig> out = new LinkedHashMap<>();
    if (node.isMissingNode() || node.isNull()) {
      problems.add("destinations: at least one destination is required");
      return out;
    }
    if (!object(node, "destinations")) {
      return out;
    }
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      String name = e.getKey();
      String path = "destinations." + name;
      if (!NAME.matcher(name).matches()) {
        problems.add(path + ": a destination name is lower-case letters, digits, '.', '_' and '-'");
      }
      if (!object(e.getValue(), path)) {
        continue;
      }
      destination(name, e.getValue(), path, insecure).ifPresent(d -> out.put(name, d));
    }
    if (out.isEmpty() && problems.isEmpty()) {
      problems.add("destinations: at least one destination is required");
    }
    return out;
  }

  private Optional<DestinationConfig> destination(String name, JsonNode node, String path, boolean insecure) {
    Optional<String> type = text(node, "type", path + ".type");
    if (type.isEmpty()) {
      problems.add(path + ".type: required (pagerduty, opsgenie, slack or webhook)");
      return Optional.empty();
    }
    int before = problems.size();
    DestinationConfig config = switch (type.get()) {
      case "pagerduty" -> {
        keys(node, path, Set.of("type", "url", "routing_key", "severity_map", "source"));
        Endpoint endpoint = endpoint(node, "url", path, DestinationConfig.PagerDuty.DEFAULT_URL, false, insecure);
        Secret key = secret(node, "routing_key", path);
        Map<Severity, String> map = severityMap(node, path + ".severity_map", "severity_map",
            Map.of(Severity.CRITICAL, "critical", Severity.HIGH, "error", Severity.MEDIUM, "warning",
                Severity.LOW, "info"), PAGERDUTY_SEVERITIES, s -> s.toLowerCase(Locale.ROOT));
        yield new DestinationConfig.PagerDuty(name, endpoint, key, map, text(node, "source", path + ".source"));
      }
      case "opsgenie" -> {
        keys(node, path, Set.of("type", "url", "api_key", "priority_map", "tags", "responders"));
        Endpoint endpoint = endpoint(node, "url", path, DestinationConfig.Opsgenie.DEFAULT_URL, false, insecure);
        Secret key = secret(node, "api_key", path);
        Map<Severity, String> map = severityMap(node, path + ".priority_map", "priority_map",
            Map.of(Severity.CRITICAL, "P1", Severity.HIGH, "P2", Severity.MEDIUM, "P3", Severity.LOW, "P4"),
            OPSGENIE_PRIORITIES, s -> s.toUpperCase(Locale.ROOT));
        List<String> tags = strings(node.path("tags"), path + ".tags");
        tags.stream().filter(t -> t.length() > 50).forEach(t -> problems.add(path + ".tags: '" + t
            + "' is longer than Opsgenie's 50 characters"));
        yield new DestinationConfig.Opsgenie(name, endpoint, key, map, tags, responders(node.path("responders"),
            path + ".responders"));
      }
      case "slack" -> {
        keys(node, path, Set.of("type", "webhook_url"));
        Endpoint endpoint = endpoint(node, "webhook_url", path, null, true, insecure);
        yield new DestinationConfig.Slack(name, endpoint);
      }
      case "webhook" -> {
        keys(node, path, Set.of("type", "url", "signing_secret", "headers"));
        Endpoint endpoint = endpoint(node, "url", path, null, false, insecure);
        Secret signing = secret(node, "signing_secret", path);
        Map<String, TextValue> headers = new LinkedHashMap<>();
        JsonNode h = node.path("headers");
        if (!h.isMissingNode() && object(h, path + ".headers")) {
          h.properties().forEach(e -> {
            String header = e.getKey();
            String lower = header.toLowerCase(Locale.ROOT);
            if (lower.startsWith("x-mcpaudit-") || lower.equals("content-type") || lower.equals("host")
                || lower.equals("content-length")) {
              problems.add(path + ".headers." + header + ": set by the router; it cannot be configured");
            } else if (!header.matches("[A-Za-z0-9!#$%&'*+.^_`|~-]+")) {
              problems.add(path + ".headers: '" + header + "' is not a valid HTTP header name");
            } else {
              textValue(e.getValue(), path + ".headers." + header).ifPresent(v -> headers.put(header, v));
            }
          });
        }
        yield new DestinationConfig.Webhook(name, endpoint, signing, Map.copyOf(headers));
      }
      default -> {
        problems.add(path + ".type: '" + type.get() + "' is not a destination type (pagerduty, opsgenie, slack,"
            + " webhook)");
        yield null;
      }
    };
    return problems.size() == before ? Optional.ofNullable(config) : Optional.empty();
  }

  private List<Route> routes(JsonNode node, Set<String> destinations, NoisePolicy noise) {
    List<Route> out = new ArrayList<>();
    if (node.isMissingNode() || node.isNull()) {
      problems.add("routes: at least one route is required");
      return out;
    }
    if (!node.isArray()) {
      problems.add("routes: must be a list of routes");
      return out;
    }
    Set<String> names = new LinkedHashSet<>();
    for (int i = 0; i < node.size(); i++) {
      JsonNode r = node.get(i);
      String path = "routes[" + i + "]";
      if (!object(r, path)) {
        continue;
      }
      keys(r, path, Set.of("name", "match", "destinations", "continue", "storm_threshold"));
      String name = text(r, "name", path + ".name").orElse(null);
      if (name == null) {
        problems.add(path + ".name: required");
        name = path;
      } else {
        path = "routes[" + name + "]";
        if (!names.add(name)) {
          problems.add(path + ": the name is used by another route");
        }
      }
      Match match = match(r.path("match"), path + ".match");
      List<String> targets = strings(r.path("destinations"), path + ".destinations");
      if (targets.isEmpty()) {
        problems.add(path + ".destinations: list at least one destination");
      }
      for (String t : targets) {
        if (!destinations.contains(t)) {
          problems.add(path + ".destinations: '" + t + "' is not defined under destinations"
              + (destinations.isEmpty() ? "" : " (defined: " + String.join(", ", destinations) + ")"));
        }
      }
      boolean cont = bool(r, "continue", path + ".continue", false);
      int storm = integer(r, "storm_threshold", path + ".storm_threshold", 0, 100_000).orElse(noise.stormThreshold());
      out.add(new Route(name, match, List.copyOf(new LinkedHashSet<>(targets)), cont, storm));
    }
    if (out.isEmpty() && node.isEmpty()) {
      problems.add("routes: at least one route is required");
    }
    return out;
  }

  private Match match(JsonNode node, String path) {
    if (node.isMissingNode() || node.isNull()) {
      return Match.any();
    }
    if (!object(node, path)) {
      return Match.any();
    }
    keys(node, path, Set.of("severity_at_least", "severity", "category", "server", "risk_tier", "owner", "rule_id"));
    Optional<Severity> atLeast = text(node, "severity_at_least", path + ".severity_at_least")
        .map(s -> oneOf(s, path + ".severity_at_least", RoutingConfigLoader::severity, "low, medium, high, critical"));
    Set<Severity> severities = set(strings(node.path("severity"), path + ".severity"), path + ".severity",
        RoutingConfigLoader::severity, "low, medium, high, critical");
    Set<String> categories = new TreeSet<>(strings(node.path("category"), path + ".category"));
    for (String c : categories) {
      if (!AlertCategories.ALL.contains(c)) {
        problems.add(path + ".category: '" + c + "' is not an alert category (see shared/contracts/detections.md: "
            + String.join(", ", new TreeSet<>(AlertCategories.ALL)) + ")");
      }
    }
    Set<RiskTier> tiers = set(strings(node.path("risk_tier"), path + ".risk_tier"), path + ".risk_tier",
        s -> RiskTier.valueOf(s.toUpperCase(Locale.ROOT)), "low, medium, high, critical");
    return new Match(atLeast, severities, Set.copyOf(categories),
        Set.copyOf(strings(node.path("server"), path + ".server")), tiers,
        Set.copyOf(strings(node.path("owner"), path + ".owner")),
        Set.copyOf(strings(node.path("rule_id"), path + ".rule_id")));
  }

  // ------------------------------------------------------------------ values

  private Endpoint endpoint(JsonNode node, String key, String path, String defaultUrl, boolean mustBeSecret,
                            boolean insecure) {
    JsonNode value = node.path(key);
    String where = path + "." + key;
    URI uri;
    Optional<Secret> secret = Optional.empty();
    if (value.isMissingNode() || value.isNull()) {
      if (defaultUrl == null) {
        problems.add(where + ": required");
        return null;
      }
      uri = URI.create(defaultUrl);
    } else if (value.isTextual()) {
      if (mustBeSecret) {
        problems.add(where + ": the webhook URL carries its token, so it must come from {env: NAME} or {file: PATH},"
            + " not be written into the configuration");
        return null;
      }
      uri = parseUrl(value.asText(), where, false);
    } else {
      Secret s = secret(node, key, path);
      if (s == null) {
        return null;
      }
      secret = Optional.of(s);
      uri = parseUrl(s.reveal(), where + " (from " + s.source() + ")", true);
    }
    if (uri == null) {
      return null;
    }
    Endpoint endpoint = new Endpoint(uri, secret);
    try {
      DestinationGuard.checkStatically(endpoint, insecure);
    } catch (IllegalArgumentException e) {
      problems.add(where + ": " + e.getMessage());
      return null;
    }
    return endpoint;
  }

  private URI parseUrl(String text, String where, boolean secretValue) {
    try {
      URI uri = new URI(text.strip());
      if (!uri.isAbsolute() || uri.getHost() == null
          || !("https".equalsIgnoreCase(uri.getScheme()) || "http".equalsIgnoreCase(uri.getScheme()))) {
        problems.add(where + ": must be an absolute https:// URL" + (secretValue ? "" : ", got '" + text + "'"));
        return null;
      }
      return uri;
    } catch (java.net.URISyntaxException e) {
      problems.add(where + ": not a URL" + (secretValue ? "" : " ('" + text + "': " + e.getReason() + ")"));
      return null;
    }
  }

  private Secret secret(JsonNode node, String key, String path) {
    JsonNode value = node.path(key);
    String where = path + "." + key;
    if (value.isMissingNode() || value.isNull()) {
      problems.add(where + ": required, as {env: NAME} or {file: PATH}");
      return null;
    }
    return secretRef(value, where).flatMap(ref -> resolve(ref, where)).orElse(null);
  }

  private Optional<SecretRef> secretRef(JsonNode value, String where) {
    if (value.isTextual()) {
      problems.add(where + ": secrets are not written into the configuration; use {env: NAME} or {file: PATH}");
      return Optional.empty();
    }
    if (!value.isObject() || value.size() != 1 || !(value.has("env") || value.has("file"))
        || !value.elements().next().isTextual() || value.elements().next().asText().isBlank()) {
      problems.add(where + ": must be {env: NAME} or {file: PATH}");
      return Optional.empty();
    }
    return Optional.of(value.has("env")
        ? new SecretRef(SecretRef.Kind.ENV, value.get("env").asText())
        : new SecretRef(SecretRef.Kind.FILE, value.get("file").asText()));
  }

  private Optional<Secret> resolve(SecretRef ref, String where) {
    try {
      return Optional.of(ref.resolve(environment, baseDirectory));
    } catch (IllegalArgumentException e) {
      problems.add(where + ": " + e.getMessage());
      return Optional.empty();
    }
  }

  private Optional<TextValue> textValue(JsonNode value, String where) {
    if (value.isTextual() || value.isNumber() || value.isBoolean()) {
      return Optional.of(TextValue.plain(value.asText()));
    }
    return secretRef(value, where).flatMap(ref -> resolve(ref, where)).map(TextValue::secret);
  }

  private Map<Severity, String> severityMap(JsonNode node, String path, String key, Map<Severity, String> defaults,
                                            Set<String> allowed, Function<String, String> normalize) {
    Map<Severity, String> map = new EnumMap<>(defaults);
    JsonNode m = node.path(key);
    if (m.isMissingNode() || m.isNull() || !object(m, path)) {
      return Map.copyOf(map);
    }
    m.properties().forEach(e -> {
      Severity severity;
      try {
        severity = severity(e.getKey());
      } catch (IllegalArgumentException ex) {
        problems.add(path + ": '" + e.getKey() + "' is not a severity (low, medium, high, critical)");
        return;
      }
      String value = normalize.apply(e.getValue().asText());
      if (!e.getValue().isTextual() || !allowed.contains(value)) {
        problems.add(path + "." + e.getKey() + ": '" + e.getValue().asText() + "' is not one of "
            + String.join(", ", new TreeSet<>(allowed)));
        return;
      }
      map.put(severity, value);
    });
    return Map.copyOf(map);
  }

  private List<Map<String, String>> responders(JsonNode node, String path) {
    List<Map<String, String>> out = new ArrayList<>();
    if (node.isMissingNode() || node.isNull()) {
      return out;
    }
    if (!node.isArray()) {
      problems.add(path + ": must be a list like [{type: team, name: platform}]");
      return out;
    }
    for (int i = 0; i < node.size(); i++) {
      JsonNode r = node.get(i);
      String where = path + "[" + i + "]";
      if (!object(r, where)) {
        continue;
      }
      keys(r, where, Set.of("type", "name", "id", "username"));
      Map<String, String> responder = new LinkedHashMap<>();
      r.properties().forEach(e -> responder.put(e.getKey(), e.getValue().asText()));
      String type = responder.getOrDefault("type", "");
      if (!Set.of("team", "user", "escalation", "schedule").contains(type)) {
        problems.add(where + ".type: must be team, user, escalation or schedule");
      }
      if (responder.size() < 2) {
        problems.add(where + ": give the responder's name, id or username");
      }
      out.add(Map.copyOf(responder));
    }
    return List.copyOf(out);
  }

  static Severity severity(String text) {
    return Severity.valueOf(text.trim().toUpperCase(Locale.ROOT));
  }

  private <T> T oneOf(String text, String path, Function<String, T> parse, String allowed) {
    try {
      return parse.apply(text);
    } catch (IllegalArgumentException e) {
      problems.add(path + ": '" + text + "' is not one of " + allowed);
      return null;
    }
  }

  private <T> Set<T> set(List<String> values, String path, Function<String, T> parse, String allowed) {
    Set<T> out = new LinkedHashSet<>();
    for (String v : values) {
      T t = oneOf(v, path, parse, allowed);
      if (t != null) {
        out.add(t);
      }
    }
    return Set.copyOf(out);
  }

  private Optional<String> text(JsonNode node, String key, String path) {
    JsonNode v = node.path(key);
    if (v.isMissingNode() || v.isNull()) {
      return Optional.empty();
    }
    if (!v.isTextual() || v.asText().isBlank()) {
      problems.add(path + ": must be a non-empty string");
      return Optional.empty();
    }
    return Optional.of(v.asText().strip());
  }

  private boolean bool(JsonNode node, String key, String path, boolean fallback) {
    JsonNode v = node.path(key);
    if (v.isMissingNode() || v.isNull()) {
      return fallback;
    }
    if (!v.isBoolean()) {
      problems.add(path + ": must be true or false");
      return fallback;
    }
    return v.asBoolean();
  }

  private Optional<Integer> integer(JsonNode node, String key, String path, int min, int max) {
    JsonNode v = node.path(key);
    if (v.isMissingNode() || v.isNull()) {
      return Optional.empty();
    }
    if (!v.isInt() || v.asInt() < min || v.asInt() > max) {
      problems.add(path + ": must be a whole number from " + min + " to " + max);
      return Optional.empty();
    }
    return Optional.of(v.asInt());
  }

  private Optional<Duration> duration(JsonNode node, String key, String section) {
    return text(node, key, section + "." + key).flatMap(t -> {
      try {
        Duration d = Durations.parse(t);
        if (d.isZero()) {
          problems.add(section + "." + key + ": must be more than zero");
          return Optional.empty();
        }
        return Optional.of(d);
      } catch (IllegalArgumentException e) {
        problems.add(section + "." + key + ": " + e.getMessage());
        return Optional.empty();
      }
    });
  }

  private List<String> strings(JsonNode node, String path) {
    List<String> out = new ArrayList<>();
    if (node.isMissingNode() || node.isNull()) {
      return out;
    }
    if (node.isTextual()) {
      out.add(node.asText().strip());
      return out;
    }
    if (!node.isArray()) {
      problems.add(path + ": must be a string or a list of strings");
      return out;
    }
    for (JsonNode e : node) {
      if (!e.isTextual() || e.asText().isBlank()) {
        problems.add(path + ": must be a list of non-empty strings");
      } else {
        out.add(e.asText().strip());
      }
    }
    return out;
  }

  private boolean object(JsonNode node, String path) {
    if (!node.isObject()) {
      problems.add(path + ": must be a mapping");
      return false;
    }
    return true;
  }

  private void keys(JsonNode node, String path, Set<String> known) {
    node.fieldNames().forEachRemaining(k -> {
      if (!known.contains(k)) {
        problems.add((path.isEmpty() ? "" : path + ".") + k + ": unknown key (known here: "
            + String.join(", ", new TreeSet<>(known)) + ")");
      }
    });
  }
}
