package io.mcpaudit.router.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.mcpaudit.event.InventoryEntry;
import io.mcpaudit.event.RiskTier;
import io.mcpaudit.event.ServerLocation;
import io.mcpaudit.event.Severity;
import io.mcpaudit.router.TestAlerts;
import io.mcpaudit.router.alert.Origin;
import io.mcpaudit.router.alert.RoutedAlert;
import io.mcpaudit.router.delivery.Delivery;
import io.mcpaudit.router.destination.Destinations;
import io.mcpaudit.router.noise.InMemoryLedger;
import io.mcpaudit.router.routing.AlertRouter;
import io.mcpaudit.router.routing.DeadLetterSink;
import io.mcpaudit.router.routing.InventoryLookup;
import io.mcpaudit.router.routing.RoutingOutcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/routing/routing.yml is a complete, valid example: it loads, uses every destination type
 * and match condition, agrees with the example inventory, routes as its comments say, and every
 * key it uses is documented in docs/alert-routing.md.
 */
class ExampleRoutingConfigTest {
  private static final YAMLMapper YAML = new YAMLMapper();
  private static final Pattern FILE_REF = Pattern.compile("\\{file: ([^}]+)}");
  private static final Pattern ENV_REF = Pattern.compile("\\{env: ([A-Z0-9_]+)}");

  @TempDir
  Path dir;
  private Path root;
  private String yaml;
  private RoutingConfig config;

  @BeforeEach
  void load() throws Exception {
    root = Path.of(System.getProperty("mcpaudit.repo.root", "..")).toAbsolutePath().normalize();
    yaml = Files.readString(root.resolve("deploy/routing/routing.yml"));
    // Secrets: every {env: X} gets a value, every {file: P} a file of its own (the real paths are on servers).
    Map<String, String> env = new HashMap<>();
    Matcher e = ENV_REF.matcher(yaml);
    while (e.find()) {
      env.put(e.group(1), "example-" + e.group(1).toLowerCase(Locale.ROOT));
    }
    env.put("SLACK_SOC_WEBHOOK_URL", "https://hooks.slack.com/services/T000/B000/example");
    StringBuilder withFiles = new StringBuilder();
    Matcher f = FILE_REF.matcher(yaml);
    int n = 0;
    while (f.find()) {
      Path secret = Files.writeString(dir.resolve("secret-" + n++), "example-file-secret");
      f.appendReplacement(withFiles, Matcher.quoteReplacement("{file: " + secret + "}"));
    }
    f.appendTail(withFiles);
    config = RoutingConfigLoader.parse(withFiles.toString(), "deploy/routing/routing.yml", Environment.of(env), dir);
  }

  @Test
  void itIsSafeAndUsesEveryDestinationTypeAndEveryCondition() {
    assertThat(config.allowInsecureDestinations()).isFalse();
    assertThat(config.destinations().values()).extracting(DestinationConfig::type)
        .contains("pagerduty", "opsgenie", "slack", "webhook");
    Set<String> used = new TreeSet<>();
    config.routes().forEach(r -> used.addAll(r.destinations()));
    assertThat(used).as("every destination is used by a route").isEqualTo(config.destinations().keySet());
    List<Match> matches = config.routes().stream().map(Route::match).toList();
    assertThat(matches).anySatisfy(m -> assertThat(m.severityAtLeast()).isPresent());
    assertThat(matches).anySatisfy(m -> assertThat(m.severities()).isNotEmpty());
    assertThat(matches).anySatisfy(m -> assertThat(m.categories()).isNotEmpty());
    assertThat(matches).anySatisfy(m -> assertThat(m.servers()).isNotEmpty());
    assertThat(matches).anySatisfy(m -> assertThat(m.riskTiers()).isNotEmpty());
    assertThat(matches).anySatisfy(m -> assertThat(m.owners()).isNotEmpty());
    assertThat(matches).anySatisfy(m -> assertThat(m.ruleIds()).isNotEmpty());
    assertThat(config.routes()).anySatisfy(r -> assertThat(r.continueMatching()).isTrue());
    assertThat(config.routes()).anySatisfy(r -> assertThat(r.stormThreshold()).isNotEqualTo(
        config.noise().stormThreshold()));
    assertThat(config.links().trace()).isPresent();
    assertThat(config.links().alert()).isPresent();
  }

  @Test
  void serversAndOwnersItNamesAreInTheExampleInventory() throws Exception {
    Map<String, InventoryEntry> inventory = inventory();
    Set<String> owners = new TreeSet<>();
    inventory.values().forEach(s -> owners.add(s.getOwner()));
    for (Route r : config.routes()) {
      assertThat(inventory.keySet()).as(r.name()).containsAll(r.match().servers());
      assertThat(owners).as(r.name()).containsAll(r.match().owners());
    }
  }

  @Test
  void itRoutesAsItsCommentsSay() throws Exception {
    InventoryLookup inventory = InventoryLookup.of(inventory().values());
    AlertRouter router = new AlertRouter(config, Destinations.create(config), Delivery.dryRun(),
        new InMemoryLedger(), DeadLetterSink.none());

    assertThat(destinations(router, inventory, "session-hijack", Severity.CRITICAL, "github", "r1"))
        .containsExactly("siem", "pagerduty-secops", "slack-soc");
    assertThat(destinations(router, inventory, "scope-overreach", Severity.MEDIUM, "files", "r2"))
        .containsExactly("siem", "opsgenie-platform", "slack-soc");
    assertThat(destinations(router, inventory, "rate-anomaly", Severity.LOW, "shadow", "mcp-rate-first-tool-use"))
        .containsExactly("siem", "slack-soc");
    assertThat(destinations(router, inventory, "ssrf", Severity.LOW, "shadow", "r3")).containsExactly("siem");
    assertThat(destinations(router, inventory, "ssrf", Severity.HIGH, "payments", "r4"))
        .as("a critical-tier server").containsExactly("siem", "pagerduty-secops", "slack-soc");
  }

  private static List<String> destinations(AlertRouter router, InventoryLookup inventory, String category,
                                           Severity severity, String server, String ruleId) {
    var alert = TestAlerts.builder(category, severity, category + "|" + server + "|" + ruleId)
        .setServerName(server).setRuleId(ruleId).build();
    RoutedAlert routed = new RoutedAlert(alert, inventory.find(server), Origin.of("example"));
    List<String> out = new ArrayList<>();
    for (RoutingOutcome o : router.route(routed, TestAlerts.T0)) {
      o.destination().ifPresent(out::add);
    }
    return out;
  }

  /** The example inventory, plus one critical-tier server so the risk-tier route can be exercised. */
  private Map<String, InventoryEntry> inventory() throws Exception {
    JsonNode servers = YAML.readTree(root.resolve("deploy/inventory/inventory.yml").toFile()).path("servers");
    Map<String, InventoryEntry> out = new HashMap<>();
    for (JsonNode s : servers) {
      out.put(s.path("name").asText(), InventoryEntry.newBuilder().setName(s.path("name").asText())
          .setOwner(s.path("owner").asText()).setLocation(ServerLocation.REMOTE)
          .setRiskTier(RiskTier.valueOf(s.path("risk_tier").asText().toUpperCase(Locale.ROOT))).build());
    }
    out.put("payments", TestAlerts.server("payments", "finance-eng", RiskTier.CRITICAL));
    return out;
  }

  @Test
  void everyKeyItUsesIsDocumented() throws Exception {
    String doc = Files.readString(root.resolve("docs/alert-routing.md"));
    Set<String> keys = new TreeSet<>();
    collectKeys(YAML.readTree(yaml), "", keys);
    for (String key : keys) {
      assertThat(doc).as("docs/alert-routing.md documents `%s`", key).contains("`" + key + "`");
    }
    assertThat(keys).contains("routing_key", "api_key", "webhook_url", "signing_secret", "severity_at_least",
        "storm_threshold", "dedup_window", "retry_budget", "state_topic");
  }

  /** Mapping keys, except names the user chooses (destination names, header names, client properties, map keys). */
  private static void collectKeys(JsonNode node, String path, Set<String> keys) {
    if (node.isArray()) {
      node.forEach(n -> collectKeys(n, path + "[]", keys));
      return;
    }
    if (!node.isObject()) {
      return;
    }
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      boolean userChosen = path.equals("destinations") || path.endsWith(".headers") || path.endsWith(".client")
          || path.endsWith("severity_map") || path.endsWith("priority_map") || path.endsWith("responders[]")
          || e.getKey().equals("env") || e.getKey().equals("file");
      if (!userChosen) {
        keys.add(e.getKey());
      }
      collectKeys(e.getValue(), path.isEmpty() ? e.getKey() : path + "." + e.getKey(), keys);
    }
  }
}
