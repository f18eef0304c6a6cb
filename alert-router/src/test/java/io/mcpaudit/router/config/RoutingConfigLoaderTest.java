package io.mcpaudit.router.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mcpaudit.event.RiskTier;
import io.mcpaudit.event.Severity;
import io.mcpaudit.router.TestConfigs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the loader accepts, what it refuses, and that every refusal names its key. */
class RoutingConfigLoaderTest {
  private static final String MINIMAL = """
      destinations:
        pd:
          type: pagerduty
          routing_key: {env: PD_ROUTING_KEY}
      routes:
        - name: all
          destinations: [pd]
      """;
  private static final Environment ENV = Environment.of(Map.of("PD_ROUTING_KEY", TestConfigs.PD_KEY));

  @TempDir
  Path dir;

  private static RoutingConfig parse(String yaml) {
    return TestConfigs.parse(yaml, ENV);
  }

  private static List<String> problems(String yaml, Environment env) {
    try {
      TestConfigs.parse(yaml, env);
    } catch (RoutingConfigException e) {
      return e.problems();
    }
    throw new AssertionError("expected the configuration to be refused");
  }

  private static List<String> problems(String yaml) {
    return problems(yaml, ENV);
  }

  @Test
  void aMinimalConfigGetsSafeDefaults() {
    RoutingConfig config = parse(MINIMAL);

    assertThat(config.allowInsecureDestinations()).isFalse();
    assertThat(config.source()).isEqualTo("mcp-audit");
    assertThat(config.noise()).isEqualTo(new NoisePolicy(Duration.ofHours(1), 10));
    assertThat(config.delivery()).isEqualTo(DeliveryPolicy.defaults());
    assertThat(config.kafka().alertsTopic()).isEqualTo("mcp.audit.alerts.v1");
    assertThat(config.kafka().stateTopic()).isEqualTo("mcp.audit.router-state.v1");
    assertThat(config.kafka().dlqTopic()).isEqualTo("mcp.audit.dlq.v1");
    assertThat(config.kafka().inventoryTopic()).isEqualTo("mcp.audit.inventory.v1");
    assertThat(config.kafka().groupId()).isEqualTo("mcp-audit-alert-router");
    assertThat(config.kafka().startFrom()).isEqualTo(KafkaSection.StartFrom.LATEST);
    DestinationConfig.PagerDuty pd = (DestinationConfig.PagerDuty) config.destinations().get("pd");
    assertThat(pd.endpoint().uri()).hasToString("https://events.pagerduty.com/v2/enqueue");
    assertThat(pd.routingKey().reveal()).isEqualTo(TestConfigs.PD_KEY);
    assertThat(pd.severities()).containsEntry(Severity.CRITICAL, "critical").containsEntry(Severity.HIGH, "error")
        .containsEntry(Severity.MEDIUM, "warning").containsEntry(Severity.LOW, "info");
    assertThat(config.routes()).singleElement().satisfies(r -> {
      assertThat(r.match()).isEqualTo(Match.any());
      assertThat(r.stormThreshold()).isEqualTo(10);
      assertThat(r.continueMatching()).isFalse();
    });
  }

  @Test
  void everyMatchConditionIsRead() {
    RoutingConfig config = parse(MINIMAL.replace("    destinations: [pd]", """
            match:
              severity_at_least: medium
              severity: [high, critical]
              category: [token-reuse, ssrf]
              server: github
              risk_tier: [high, critical]
              owner: [platform-team]
              rule_id: [mcp-token-reuse]
            destinations: [pd]
            continue: true
            storm_threshold: 25
        """.stripTrailing()));

    Route route = config.routes().get(0);
    assertThat(route.match()).isEqualTo(new Match(java.util.Optional.of(Severity.MEDIUM),
        java.util.Set.of(Severity.HIGH, Severity.CRITICAL), java.util.Set.of("token-reuse", "ssrf"),
        java.util.Set.of("github"), java.util.Set.of(RiskTier.HIGH, RiskTier.CRITICAL),
        java.util.Set.of("platform-team"), java.util.Set.of("mcp-token-reuse")));
    assertThat(route.continueMatching()).isTrue();
    assertThat(route.stormThreshold()).isEqualTo(25);
  }

  @Test
  void secretsWrittenIntoTheFileAreRefused() {
    assertThat(problems(MINIMAL.replace("{env: PD_ROUTING_KEY}", "R0UT1NGKEY")))
        .containsExactly("destinations.pd.routing_key: secrets are not written into the configuration; use"
            + " {env: NAME} or {file: PATH}");
  }

  @Test
  void aMissingEnvironmentVariableIsNamedAtStart() {
    assertThat(problems(MINIMAL, Environment.of(Map.of())))
        .containsExactly("destinations.pd.routing_key: environment variable PD_ROUTING_KEY is not set or is empty");
  }

  @Test
  void secretsComeFromFilesRelativeToTheConfig() throws Exception {
    Files.writeString(dir.resolve("pd.key"), TestConfigs.PD_KEY + "\n");
    Path file = dir.resolve("routing.yml");
    Files.writeString(file, MINIMAL.replace("{env: PD_ROUTING_KEY}", "{file: pd.key}"));

    RoutingConfig config = RoutingConfigLoader.load(file, Environment.of(Map.of()));

    DestinationConfig.PagerDuty pd = (DestinationConfig.PagerDuty) config.destinations().get("pd");
    assertThat(pd.routingKey().reveal()).isEqualTo(TestConfigs.PD_KEY);
    assertThat(pd.routingKey().source()).isEqualTo("file " + dir.resolve("pd.key"));
  }

  @Test
  void aMissingOrEmptySecretFileIsNamed() throws Exception {
    Files.writeString(dir.resolve("empty"), "\n");
    Path file = dir.resolve("routing.yml");
    Files.writeString(file, MINIMAL.replace("{env: PD_ROUTING_KEY}", "{file: missing}"));
    assertThatThrownBy(() -> RoutingConfigLoader.load(file, Environment.of(Map.of())))
        .isInstanceOf(RoutingConfigException.class)
        .hasMessageContaining("destinations.pd.routing_key: secret file " + dir.resolve("missing") + " cannot be read");
    Files.writeString(file, MINIMAL.replace("{env: PD_ROUTING_KEY}", "{file: empty}"));
    assertThatThrownBy(() -> RoutingConfigLoader.load(file, Environment.of(Map.of())))
        .hasMessageContaining("secret file " + dir.resolve("empty") + " is empty");
  }

  @Test
  void destinationsMustBeHttpsUnlessInsecureIsAllowed() {
    String http = MINIMAL.replace("    routing_key:", "    url: http://events.example.com/v2/enqueue\n    routing_key:");

    assertThat(problems(http)).singleElement().asString()
        .startsWith("destinations.pd.url: http://events.example.com/v2/enqueue is not https");
    assertThat(parse("allow_insecure_destinations: true\n" + http).allowInsecureDestinations()).isTrue();
  }

  @Test
  void internalAddressesWrittenAsLiteralsAreRefusedAtLoad() {
    for (String url : List.of("https://localhost/x", "https://127.0.0.1/x", "https://10.1.2.3/x",
        "https://172.20.0.1/x", "https://192.168.1.1/x", "https://169.254.169.254/latest", "https://[::1]/x",
        "https://[fe80::1]/x", "https://[fd00::1]/x", "https://0.0.0.0/x", "https://[::ffff:10.0.0.1]/x")) {
      List<String> problems = problems(MINIMAL.replace("    routing_key:", "    url: " + url + "\n    routing_key:"));
      assertThat(problems).as(url).singleElement().asString().startsWith("destinations.pd.url: ")
          .contains("allow_insecure_destinations");
    }
  }

  @Test
  void aSlackWebhookUrlMustComeFromASecret() {
    String yaml = """
        destinations:
          chat:
            type: slack
            webhook_url: https://hooks.slack.com/services/T0/B0/secret
        routes:
          - name: all
            destinations: [chat]
        """;
    assertThat(problems(yaml)).singleElement().asString()
        .startsWith("destinations.chat.webhook_url: the webhook URL carries its token")
        .doesNotContain("T0/B0/secret");
  }

  @Test
  void everyProblemIsReportedAtOnceWithItsKey() {
    String yaml = """
        version: 2
        delivery:
          max_attempts: 0
          retry_budget: soon
          initial_backoff: 2m
          max_backoff: 1m
        noise: {dedup_window: 1h, storm_threshold: -1}
        links: {trace: "https://dash.example/{sesion}"}
        kafka: {start_from: middle}
        destinations:
          pd:
            type: pagerduty
            routing_key: {env: PD_ROUTING_KEY}
            severity_map: {high: loud}
            colour: red
          og:
            type: opsgenie
            api_key: {vault: x}
            priority_map: {urgent: P1}
          hook:
            type: carrier-pigeon
        routes:
          - name: a
            match: {category: [token-misuse], severity_at_least: severe, risk_tier: [extreme]}
            destinations: [pd, nowhere]
          - name: a
            destinations: []
        """;

    assertThat(problems(yaml)).containsExactlyInAnyOrder(
        "version: must be 1",
        "delivery.max_attempts: must be a whole number from 1 to 100",
        "delivery.retry_budget: 'soon' is not a duration; write e.g. 500ms, 30s, 5m, 1h or 1d",
        "delivery.initial_backoff (2m) must not exceed delivery.max_backoff (1m)",
        "noise.storm_threshold: must be a whole number from 0 to 100000",
        "links.trace: unknown placeholder {sesion}; use {alert_id}, {category}, {dedup_key}, {rule_id}, {server},"
            + " {session}",
        "kafka.start_from: 'middle' is not one of latest, earliest",
        "destinations.pd.colour: unknown key (known here: routing_key, severity_map, source, type, url)",
        "destinations.pd.severity_map.high: 'loud' is not one of critical, error, info, warning",
        "destinations.og.api_key: must be {env: NAME} or {file: PATH}",
        "destinations.og.priority_map: 'urgent' is not a severity (low, medium, high, critical)",
        "destinations.hook.type: 'carrier-pigeon' is not a destination type (pagerduty, opsgenie, slack, webhook)",
        "routes[a].match.severity_at_least: 'severe' is not one of low, medium, high, critical",
        "routes[a].match.category: 'token-misuse' is not an alert category (see shared/contracts/detections.md: "
            + "approval-fatigue, approval-mismatch, audit-gap, injection-driven-action, missing-approval,"
            + " prompt-injection, rate-anomaly, risky-launch, scope-overreach, secret-exposure, session-hijack,"
            + " session-replay, ssrf, token-audience-mismatch, token-lifetime, token-reuse, tool-poisoning,"
            + " tool-rug-pull, tool-shadowing, unregistered-server)",
        "routes[a].match.risk_tier: 'extreme' is not one of low, medium, high, critical",
        "routes[a].destinations: 'nowhere' is not defined under destinations (defined: pd, og, hook)",
        "routes[a]: the name is used by another route",
        "routes[a].destinations: list at least one destination");
  }

  @Test
  void theConfigurationPrintsWhereSecretsComeFromNeverTheirValues() {
    RoutingConfig config = TestConfigs.allDestinations("http://localhost:1");

    assertThat(config.toString()).doesNotContain(TestConfigs.PD_KEY, TestConfigs.OPSGENIE_KEY,
        TestConfigs.SLACK_PATH, TestConfigs.SIGNING_SECRET).contains("Secret[from env PD_ROUTING_KEY]");
    assertThat(config.destinations().get("slack").endpoint().display())
        .isEqualTo("http://localhost:1/… (URL from env SLACK_WEBHOOK_URL)");
  }

  @Test
  void notYamlIsSaidPlainly() {
    assertThatThrownBy(() -> parse("routes: [\n")).isInstanceOf(RoutingConfigException.class)
        .hasMessageStartingWith("test.yml is not a valid routing configuration:\n  - not valid YAML");
  }

  @Test
  void theSharedKafkaClientFileIsADefaultTheRoutingFileOverrides() {
    RoutingConfig config = parse(MINIMAL + """
        kafka:
          client:
            sasl.mechanism: SCRAM-SHA-256
        """).withKafkaClientDefaults(Map.of("security.protocol", "SASL_SSL", "sasl.mechanism", "SCRAM-SHA-512"));

    assertThat(config.kafka().clientProperties())
        .containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("sasl.mechanism", "SCRAM-SHA-256");
  }
}
