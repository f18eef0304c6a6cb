package io.mcpaudit.router.file;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.mcpaudit.event.RiskTier;
import io.mcpaudit.router.TestAlerts;
import io.mcpaudit.router.TestConfigs;
import io.mcpaudit.router.config.RoutingConfig;
import io.mcpaudit.router.delivery.Delivery;
import io.mcpaudit.router.delivery.HttpDelivery;
import io.mcpaudit.router.guard.DestinationGuard;
import io.mcpaudit.router.routing.InventoryLookup;
import io.mcpaudit.router.routing.RoutingOutcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Routing a JSON Lines file once: what is sent where, with time taken from the alerts themselves. */
class AlertFileRoutingTest {
  private WireMockServer vendor;
  @TempDir
  Path dir;

  @BeforeEach
  void start() {
    vendor = new WireMockServer(wireMockConfig().dynamicPort());
    vendor.start();
    vendor.stubFor(post(urlEqualTo("/v2/enqueue")).willReturn(aResponse().withStatus(202)));
    vendor.stubFor(post(urlEqualTo(TestConfigs.SLACK_PATH)).willReturn(aResponse().withStatus(200).withBody("ok")));
  }

  @AfterEach
  void stop() {
    vendor.stop();
  }

  private RoutingConfig config() {
    String base = "http://localhost:" + vendor.port();
    return TestConfigs.parse(TestConfigs.allDestinations(base, """
        - name: critical-servers
          match: {risk_tier: [critical], severity_at_least: high}
          destinations: [pagerduty]
        - name: chat
          destinations: [slack]
        """).replace("storm_threshold: 0", "storm_threshold: 2"), TestConfigs.environment(base));
  }

  @Test
  void aFileIsRoutedOnceWithDedupAndStormsAsTheyWouldHaveBeenLive() throws Exception {
    Path input = dir.resolve("alerts.jsonl");
    Files.writeString(input, String.join("\n",
        line("token-reuse", "critical", "github", "k1", "2026-03-01T12:00:01Z", 1),
        line("token-reuse", "critical", "github", "k1", "2026-03-01T12:00:40Z", 4),
        "",
        "{\"category\": \"ssrf\"}",
        line("ssrf", "low", "files", "c1", "2026-03-01T12:00:02Z", 1),
        line("ssrf", "low", "files", "c2", "2026-03-01T12:00:03Z", 1),
        line("ssrf", "low", "files", "c3", "2026-03-01T12:00:04Z", 1),
        line("audit-gap", "medium", "files", "c4", "2026-03-01T12:00:05Z", 1),
        line("ssrf", "low", "files", "c5", "2026-03-01T12:03:00Z", 1)) + "\n");
    InventoryLookup inventory = InventoryLookup.of(List.of(
        TestAlerts.server("github", "developer-experience", RiskTier.CRITICAL),
        TestAlerts.server("files", "platform-team", RiskTier.MEDIUM)));
    List<RoutingOutcome> outcomes = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    RoutingConfig config = config();
    Delivery http = HttpDelivery.create(config.delivery(), new DestinationGuard(true, DestinationGuard.HostResolver.system()));

    AlertFileRouting.Summary summary = AlertFileRouting.run(config, input, inventory, http, outcomes::add,
        problems::add);

    assertThat(problems).containsExactly("alerts.jsonl:4: 'severity' is missing");
    assertThat(summary.alerts()).isEqualTo(7);
    assertThat(summary.badLines()).isEqualTo(1);
    assertThat(outcomes).extracting(o -> o.kind() + " " + o.destination().orElse("-") + " " + o.source())
        .containsExactly(
            "SENT pagerduty alerts.jsonl:1",
            "SUPPRESSED pagerduty alerts.jsonl:2",
            "SENT slack alerts.jsonl:5",
            "SENT slack alerts.jsonl:6",
            "GROUPED slack alerts.jsonl:7",
            "GROUPED slack alerts.jsonl:8",
            "SENT slack storm",
            "SENT slack alerts.jsonl:9");
    assertThat(outcomes.get(6).subject()).contains("2 more alerts", "ssrf ×1", "audit-gap ×1");
    assertThat(vendor.findAll(postRequestedFor(urlEqualTo("/v2/enqueue")))).hasSize(1);
    assertThat(vendor.findAll(postRequestedFor(urlEqualTo(TestConfigs.SLACK_PATH)))).hasSize(4);
    assertThat(summary.count(RoutingOutcome.Kind.SENT)).isEqualTo(5);
  }

  @Test
  void aDryRunSendsNothing() throws Exception {
    Path input = dir.resolve("alerts.jsonl");
    Files.writeString(input, line("token-reuse", "critical", "github", "k1", "2026-03-01T12:00:01Z", 1) + "\n");
    List<RoutingOutcome> outcomes = new ArrayList<>();

    AlertFileRouting.run(config(), input, InventoryLookup.empty(), Delivery.dryRun(), outcomes::add, p -> { });

    assertThat(outcomes).singleElement().satisfies(o -> assertThat(o.describe()).contains("slack", "dry run"));
    assertThat(vendor.getAllServeEvents()).isEmpty();
  }

  private static String line(String category, String severity, String server, String key, String lastSeen, int count) {
    return """
        {"category":"%s","severity":"%s","session":"s-%s","rule_id":"r-%s","title":"%s on %s","evidence":["e-1"],\
        "dedup_key":"%s","last_seen":"%s","count":%d,"server":"%s"}""".formatted(category, severity, key, category,
        category, server, key, lastSeen, count, server);
  }
}
