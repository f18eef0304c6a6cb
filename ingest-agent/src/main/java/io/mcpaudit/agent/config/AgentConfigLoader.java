package io.mcpaudit.agent.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Loads the agent's {@link AgentConfig}: built-in defaults, then the YAML file, then
 * {@code MCP_AUDIT_*} environment variables, then command-line options. Every key is
 * checked; all problems are reported together, one line per key.
 *
 * <p>Keys are dotted paths (YAML nesting or dots both work): {@code kafka.bootstrap}
 * is {@code kafka: {bootstrap: …}} in the file and {@code MCP_AUDIT_KAFKA_BOOTSTRAP}
 * in the environment. {@code kafka.producer.*} passes settings to the Kafka producer.
 */
public final class AgentConfigLoader {
  public static final String ENV_PREFIX = "MCP_AUDIT_";
  public static final String PRODUCER_PREFIX = "kafka.producer.";

  /** Every key with its meaning, in documentation order. */
  public static final Map<String, String> KEYS = keys();

  private static Map<String, String> keys() {
    Map<String, String> keys = new LinkedHashMap<>();
    keys.put("agent.id", "this agent's id in events (default: host name + random suffix, new per run)");
    keys.put("server.name", "the server's inventory name (default: serverInfo.name from initialize)");
    keys.put("client.user", "the human identity recorded for stdio sessions (default: the OS user)");
    keys.put("kafka.bootstrap", "Kafka bootstrap servers (host:port,…), or 'none' to proxy and record only");
    keys.put("kafka.schema-registry", "Confluent-API schema registry URL (required with Kafka)");
    keys.put("kafka.retry-interval", "how often to probe an unreachable Kafka (default 5s)");
    keys.put("kafka.drain-timeout", "when stopping, how long to spend delivering buffered and spooled events;"
        + " what is not delivered by then stays in the spool (default 5s)");
    keys.put("kafka.topic", "the topic events are sent to (default mcp.audit.events.v1)");
    keys.put("spool.dir", "where events wait while Kafka is unreachable (default ~/.mcp-audit/spool)");
    keys.put("spool.max-bytes", "spool size limit (default 512MiB); beyond it events are counted as lost");
    keys.put("spool.segment-bytes", "size of one spool segment file (default 16MiB)");
    keys.put("secrets.fingerprint-key-file", "HMAC key for token fingerprints (default ~/.mcp-audit/agent/fingerprint.key,"
        + " created 0600 on first use)");
    keys.put("secrets.fingerprint-key", "the HMAC key inline, base64 (for containers; overrides the file)");
    keys.put("redaction.max-text-bytes", "cap on each recorded text after redaction (default 64KiB)");
    keys.put("observe.max-message-bytes", "messages larger than this are relayed but only sized and hashed (default 64MiB)");
    keys.put("queue.max-events", "observations waiting for the event thread at most (default 10000)");
    keys.put("queue.max-bytes", "bytes of observed messages waiting at most (default 256MiB)");
    keys.put("capture.file", "record a capture (mcp-capture/1) to this file, appending");
    keys.put("http.listen", "HTTP mode: where MCP clients connect, HOST:PORT");
    keys.put("http.upstream", "HTTP mode: the MCP server's base URL; request paths are appended to it");
    keys.put("http.max-request-bytes", "HTTP mode: larger request bodies are refused with 413 (default 4MiB)");
    keys.put("http.max-header-bytes", "HTTP mode: larger request headers are refused with 431 (default 32KiB)");
    keys.put("http.allowed-hosts", "HTTP mode: Host values accepted, comma-separated (default: loopback names when"
        + " listening on loopback, else the listen host too; '*' for any)");
    keys.put("http.allowed-origins", "HTTP mode: browser Origins accepted, comma-separated (default: loopback origins"
        + " when listening on loopback, else none; '*' for any); requests without Origin always pass");
    keys.put("http.idle-timeout", "HTTP mode: how long a silent connection or SSE stream stays open (default 30m)");
    keys.put("http.preserve-host", "HTTP mode: forward the client's Host header instead of the upstream's (default false)");
    keys.put("approvals.listen", "the approval endpoint's HOST:PORT (off unless set)");
    keys.put("approvals.token", "the bearer secret approval reporters present (at least 16 characters)");
    keys.put("approvals.token-file", "a file holding the approval bearer secret (instead of approvals.token)");
    return java.util.Collections.unmodifiableMap(keys);
  }

  private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
  private final Path home;

  public AgentConfigLoader(Path home) {
    this.home = home;
  }

  public static AgentConfigLoader forCurrentUser() {
    return new AgentConfigLoader(Path.of(System.getProperty("user.home")));
  }

  /**
   * @param file the YAML file, if any
   * @param env the environment (only {@code MCP_AUDIT_*} variables are read)
   * @param options command-line values by key (they win over everything)
   */
  public AgentConfig load(Optional<Path> file, Map<String, String> env, Map<String, String> options) {
    List<String> problems = new ArrayList<>();
    Map<String, String> values = new LinkedHashMap<>();
    Map<String, String> origin = new LinkedHashMap<>();
    file.ifPresent(path -> readFile(path, values, origin, problems));
    readEnv(env, values, origin);
    options.forEach((key, value) -> {
      if (value != null) {
        values.put(key, value);
        origin.put(key, "option");
      }
    });

    Map<String, Object> producer = new LinkedHashMap<>();
    for (Map.Entry<String, String> entry : values.entrySet()) {
      String key = entry.getKey();
      if (key.startsWith(PRODUCER_PREFIX) && key.length() > PRODUCER_PREFIX.length()) {
        producer.put(key.substring(PRODUCER_PREFIX.length()), entry.getValue());
      } else if (!KEYS.containsKey(key)) {
        problems.add(where(key, origin) + "unknown key" + suggestion(key));
      }
    }

    String agentId = values.getOrDefault("agent.id", defaultAgentId());
    if (agentId.isBlank()) {
      problems.add(where("agent.id", origin) + "must not be empty");
    }
    Optional<String> kafka = Optional.ofNullable(values.get("kafka.bootstrap")).map(String::trim);
    Optional<String> bootstrap = Optional.empty();
    if (kafka.isEmpty()) {
      problems.add("kafka.bootstrap: not set; pass --kafka HOST:PORT (with --schema-registry URL), or --kafka none"
          + " to proxy and record without Kafka (or set kafka.bootstrap / MCP_AUDIT_KAFKA_BOOTSTRAP)");
    } else if (!kafka.get().equalsIgnoreCase("none")) {
      for (String server : kafka.get().split(",")) {
        if (!server.trim().matches("[^\\s:/]+:\\d{1,5}") && !server.trim().matches("\\[[0-9a-fA-F:]+\\]:\\d{1,5}")) {
          problems.add(where("kafka.bootstrap", origin) + "'" + server.trim() + "' is not host:port");
        }
      }
      bootstrap = kafka;
    }
    Optional<URI> registry = Optional.empty();
    String registryText = values.get("kafka.schema-registry");
    if (registryText != null) {
      try {
        URI uri = new URI(registryText.trim());
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
          problems.add(where("kafka.schema-registry", origin) + "'" + registryText + "' is not an http(s) URL");
        } else {
          registry = Optional.of(uri);
        }
      } catch (URISyntaxException e) {
        problems.add(where("kafka.schema-registry", origin) + "'" + registryText + "' is not a URL (" + e.getReason() + ")");
      }
    } else if (bootstrap.isPresent()) {
      problems.add("kafka.schema-registry: not set; Kafka needs a schema registry: pass --schema-registry URL"
          + " (or set MCP_AUDIT_KAFKA_SCHEMA_REGISTRY)");
    }

    Duration retry = duration(values, origin, "kafka.retry-interval", Duration.ofSeconds(5), problems);
    Duration drain = duration(values, origin, "kafka.drain-timeout", Duration.ofSeconds(5), problems);
    long spoolMax = size(values, origin, "spool.max-bytes", 512L << 20, 1L << 20, problems);
    long segment = size(values, origin, "spool.segment-bytes", 16L << 20, 64L << 10, problems);
    if (segment > spoolMax) {
      problems.add(where("spool.segment-bytes", origin) + "must not exceed spool.max-bytes");
    }
    int maxText = (int) size(values, origin, "redaction.max-text-bytes", 64L << 10, 1L << 10, problems);
    int maxMessage = (int) Math.min(Integer.MAX_VALUE - 16,
        size(values, origin, "observe.max-message-bytes", 64L << 20, 64L << 10, problems));
    int queueEvents = (int) integer(values, origin, "queue.max-events", 10_000, 100, problems);
    long queueBytes = size(values, origin, "queue.max-bytes", 256L << 20, 1L << 20, problems);

    Optional<String> inlineKey = Optional.ofNullable(values.get("secrets.fingerprint-key")).filter(k -> !k.isBlank());
    inlineKey.ifPresent(key -> {
      try {
        if (java.util.Base64.getDecoder().decode(key.trim()).length < 16) {
          problems.add(where("secrets.fingerprint-key", origin) + "must be base64 of at least 16 bytes");
        }
      } catch (IllegalArgumentException e) {
        problems.add(where("secrets.fingerprint-key", origin) + "is not valid base64");
      }
    });

    String topic = values.getOrDefault("kafka.topic", io.mcpaudit.schema.topic.Topics.EVENTS.name()).trim();
    if (!topic.matches("[a-zA-Z0-9._-]{1,249}")) {
      problems.add(where("kafka.topic", origin) + "'" + topic + "' is not a Kafka topic name (letters, digits, . _ -)");
    }
    HttpSettings http = http(values, origin, problems);
    ApprovalSettings approvals = approvals(values, origin, problems);

    if (!problems.isEmpty()) {
      throw new AgentConfigException(problems);
    }
    return new AgentConfig(
        agentId.trim(),
        Optional.ofNullable(values.get("server.name")).filter(s -> !s.isBlank()),
        Optional.ofNullable(values.get("client.user")).filter(s -> !s.isBlank()),
        bootstrap,
        registry,
        topic,
        producer,
        retry,
        drain,
        path(values.getOrDefault("spool.dir", "~/.mcp-audit/spool")),
        spoolMax,
        segment,
        path(values.getOrDefault("secrets.fingerprint-key-file", "~/.mcp-audit/agent/fingerprint.key")),
        inlineKey,
        maxText,
        maxMessage,
        queueEvents,
        queueBytes,
        Optional.ofNullable(values.get("capture.file")).filter(s -> !s.isBlank()).map(this::path),
        http,
        approvals);
  }

  private HttpSettings http(Map<String, String> values, Map<String, String> origin, List<String> problems) {
    Optional<HostPort> listen = hostPort(values, origin, "http.listen", problems);
    Optional<URI> upstream = Optional.empty();
    String upstreamText = values.get("http.upstream");
    if (upstreamText != null && !upstreamText.isBlank()) {
      try {
        URI uri = new URI(upstreamText.trim());
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
          problems.add(where("http.upstream", origin) + "'" + upstreamText + "' is not an http(s) URL"
              + " (for example http://127.0.0.1:3001)");
        } else if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
          problems.add(where("http.upstream", origin) + "'" + upstreamText + "' must not have a query or fragment;"
              + " give the server's base URL, request paths are appended to it");
        } else {
          upstream = Optional.of(uri);
        }
      } catch (URISyntaxException e) {
        problems.add(where("http.upstream", origin) + "'" + upstreamText + "' is not a URL (" + e.getReason() + ")");
      }
    }
    long maxRequest = size(values, origin, "http.max-request-bytes", 4L << 20, 1L << 10, problems);
    int maxHeader = (int) Math.min(1L << 20, size(values, origin, "http.max-header-bytes", 32L << 10, 4L << 10, problems));
    List<String> hosts = list(values, "http.allowed-hosts");
    for (String host : hosts) {
      if (!host.equals("*") && !host.matches("(\\[[0-9a-fA-F:.]+]|[^\\s:/\\[\\]]+)(:\\d{1,5})?")) {
        problems.add(where("http.allowed-hosts", origin) + "'" + host + "' is not a host or host:port");
      }
    }
    List<String> origins = list(values, "http.allowed-origins");
    for (String allowed : origins) {
      if (!allowed.equals("*") && !allowed.matches("https?://[^/\\s]+")) {
        problems.add(where("http.allowed-origins", origin) + "'" + allowed
            + "' is not an origin (scheme://host[:port], for example http://localhost:6274)");
      }
    }
    Duration idle = duration(values, origin, "http.idle-timeout", Duration.ofMinutes(30), problems);
    boolean preserveHost = bool(values, origin, "http.preserve-host", false, problems);
    return new HttpSettings(listen, upstream, Math.min(maxRequest, Integer.MAX_VALUE - 16), maxHeader, hosts, origins,
        idle, preserveHost);
  }

  private ApprovalSettings approvals(Map<String, String> values, Map<String, String> origin, List<String> problems) {
    Optional<HostPort> listen = hostPort(values, origin, "approvals.listen", problems);
    Optional<String> token = Optional.ofNullable(values.get("approvals.token")).map(String::trim).filter(t -> !t.isEmpty());
    String tokenFile = values.get("approvals.token-file");
    if (token.isEmpty() && tokenFile != null && !tokenFile.isBlank()) {
      Path file = path(tokenFile);
      try {
        token = Optional.of(Files.readString(file).trim()).filter(t -> !t.isEmpty());
        if (token.isEmpty()) {
          problems.add(where("approvals.token-file", origin) + file + " is empty");
        }
      } catch (IOException e) {
        problems.add(where("approvals.token-file", origin) + "cannot read " + file + " (" + e.getMessage() + ")");
      }
    }
    if (token.isPresent() && token.get().length() < 16) {
      problems.add((values.containsKey("approvals.token") ? where("approvals.token", origin)
          : where("approvals.token-file", origin)) + "the approval secret must be at least 16 characters");
    }
    if (listen.isPresent() && token.isEmpty()) {
      problems.add("approvals.token: not set; the approval endpoint needs a bearer secret: set approvals.token"
          + " (MCP_AUDIT_APPROVALS_TOKEN) or approvals.token-file");
    }
    return new ApprovalSettings(listen, token);
  }

  private static Optional<HostPort> hostPort(Map<String, String> values, Map<String, String> origin, String key,
                                             List<String> problems) {
    String text = values.get(key);
    if (text == null || text.isBlank()) {
      return Optional.empty();
    }
    StringBuilder problem = new StringBuilder();
    Optional<HostPort> parsed = HostPort.parse(text, problem);
    if (parsed.isEmpty()) {
      problems.add(where(key, origin) + problem);
    }
    return parsed;
  }

  private static List<String> list(Map<String, String> values, String key) {
    String text = values.get(key);
    if (text == null || text.isBlank()) {
      return List.of();
    }
    List<String> items = new ArrayList<>();
    for (String item : text.split(",")) {
      if (!item.isBlank()) {
        items.add(item.trim());
      }
    }
    return items;
  }

  private static boolean bool(Map<String, String> values, Map<String, String> origin, String key, boolean fallback,
                              List<String> problems) {
    String text = values.get(key);
    if (text == null) {
      return fallback;
    }
    switch (text.trim().toLowerCase(Locale.ROOT)) {
      case "true", "yes", "on" -> {
        return true;
      }
      case "false", "no", "off" -> {
        return false;
      }
      default -> {
        problems.add(where(key, origin) + "'" + text + "' is not true or false");
        return fallback;
      }
    }
  }

  private void readFile(Path path, Map<String, String> values, Map<String, String> origin, List<String> problems) {
    JsonNode root;
    try {
      root = yaml.readTree(Files.readAllBytes(path));
    } catch (java.nio.file.NoSuchFileException e) {
      problems.add("--config " + path + ": no such file");
      return;
    } catch (IOException e) {
      problems.add("--config " + path + ": not readable YAML (" + e.getMessage().lines().findFirst().orElse("") + ")");
      return;
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      return;
    }
    if (!root.isObject()) {
      problems.add("--config " + path + ": the file must hold a mapping of keys (agent:, kafka:, spool:, …)");
      return;
    }
    flatten("", root, values, origin, path.toString(), problems);
  }

  private static void flatten(String prefix, JsonNode node, Map<String, String> values, Map<String, String> origin,
                              String source, List<String> problems) {
    Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      String key = prefix + field.getKey();
      JsonNode value = field.getValue();
      if (value.isObject()) {
        flatten(key + ".", value, values, origin, source, problems);
      } else if (value.isArray()) {
        List<String> items = new ArrayList<>();
        for (JsonNode item : value) {
          if (item.isContainerNode()) {
            problems.add(source + ": " + key + ": a list of plain values is expected here");
            return;
          }
          items.add(item.asText());
        }
        values.put(key, String.join(",", items));
        origin.put(key, source);
      } else if (!value.isNull()) {
        values.put(key, value.asText());
        origin.put(key, source);
      }
    }
  }

  private static void readEnv(Map<String, String> env, Map<String, String> values, Map<String, String> origin) {
    for (String key : KEYS.keySet()) {
      String name = envName(key);
      String value = env.get(name);
      if (value != null) {
        values.put(key, value);
        origin.put(key, name);
      }
    }
  }

  /** {@code kafka.schema-registry} → {@code MCP_AUDIT_KAFKA_SCHEMA_REGISTRY}. */
  public static String envName(String key) {
    return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  private static String where(String key, Map<String, String> origin) {
    String from = origin.get(key);
    return key + (from == null ? "" : " (from " + from + ")") + ": ";
  }

  private static String suggestion(String key) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String known : KEYS.keySet()) {
      int distance = distance(key, known);
      if (distance < bestDistance) {
        bestDistance = distance;
        best = known;
      }
    }
    if (best != null && bestDistance <= Math.max(2, key.length() / 4)) {
      return " (did you mean '" + best + "'?)";
    }
    return " (known keys: " + String.join(", ", new TreeSet<>(KEYS.keySet())) + ", kafka.producer.*)";
  }

  private static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }

  private static final Pattern SIZE = Pattern.compile("(?i)\\s*(\\d+)\\s*(b|kib|mib|gib|kb|mb|gb|k|m|g)?\\s*");

  /** Parses 512MiB, 64KiB, 1GiB, 1048576 (bytes); KB/MB/GB are decimal. */
  static long parseSize(String text) {
    Matcher matcher = SIZE.matcher(text);
    if (!matcher.matches()) {
      throw new IllegalArgumentException("'" + text + "' is not a size (use for example 512MiB, 64KiB or 1048576)");
    }
    long number = Long.parseLong(matcher.group(1));
    String unit = matcher.group(2) == null ? "b" : matcher.group(2).toLowerCase(Locale.ROOT);
    long factor = switch (unit) {
      case "kib", "k" -> 1L << 10;
      case "mib", "m" -> 1L << 20;
      case "gib", "g" -> 1L << 30;
      case "kb" -> 1_000L;
      case "mb" -> 1_000_000L;
      case "gb" -> 1_000_000_000L;
      default -> 1L;
    };
    return Math.multiplyExact(number, factor);
  }

  private static long size(Map<String, String> values, Map<String, String> origin, String key, long fallback,
                           long minimum, List<String> problems) {
    String text = values.get(key);
    if (text == null) {
      return fallback;
    }
    try {
      long size = parseSize(text);
      if (size < minimum) {
        problems.add(where(key, origin) + "must be at least " + minimum + " bytes, got '" + text + "'");
        return fallback;
      }
      return size;
    } catch (IllegalArgumentException | ArithmeticException e) {
      problems.add(where(key, origin) + (e instanceof ArithmeticException ? "'" + text + "' is too large" : e.getMessage()));
      return fallback;
    }
  }

  private static long integer(Map<String, String> values, Map<String, String> origin, String key, long fallback,
                              long minimum, List<String> problems) {
    String text = values.get(key);
    if (text == null) {
      return fallback;
    }
    try {
      long value = Long.parseLong(text.trim());
      if (value < minimum || value > Integer.MAX_VALUE) {
        problems.add(where(key, origin) + "must be between " + minimum + " and " + Integer.MAX_VALUE + ", got " + text);
        return fallback;
      }
      return value;
    } catch (NumberFormatException e) {
      problems.add(where(key, origin) + "'" + text + "' is not a whole number");
      return fallback;
    }
  }

  private static Duration duration(Map<String, String> values, Map<String, String> origin, String key,
                                   Duration fallback, List<String> problems) {
    String text = values.get(key);
    if (text == null) {
      return fallback;
    }
    Matcher simple = Pattern.compile("\\s*(\\d+)\\s*(ms|s|m|h)\\s*").matcher(text);
    try {
      Duration duration;
      if (simple.matches()) {
        long amount = Long.parseLong(simple.group(1));
        duration = switch (simple.group(2)) {
          case "ms" -> Duration.ofMillis(amount);
          case "s" -> Duration.ofSeconds(amount);
          case "h" -> Duration.ofHours(amount);
          default -> Duration.ofMinutes(amount);
        };
      } else {
        duration = Duration.parse(text.trim());
      }
      if (duration.toMillis() < 100) {
        problems.add(where(key, origin) + "must be at least 100ms");
        return fallback;
      }
      return duration;
    } catch (DateTimeParseException e) {
      problems.add(where(key, origin) + "'" + text + "' is not a duration (use for example 5s, 500ms, 1m or 1h)");
      return fallback;
    }
  }

  private Path path(String text) {
    String trimmed = text.trim();
    if (trimmed.equals("~")) {
      return home;
    }
    if (trimmed.startsWith("~/")) {
      return home.resolve(trimmed.substring(2));
    }
    return Path.of(trimmed);
  }

  private static String defaultAgentId() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      host = "host";
    }
    byte[] suffix = new byte[4];
    ThreadLocalRandom.current().nextBytes(suffix);
    return host + "-" + HexFormat.of().formatHex(suffix);
  }

  /** Keys documented for --help and docs. */
  public static Set<String> keyNames() {
    return KEYS.keySet();
  }
}
