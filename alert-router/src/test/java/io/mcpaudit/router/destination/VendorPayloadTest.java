package io.mcpaudit.router.destination;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.mcpaudit.event.Alert;
import io.mcpaudit.event.RiskTier;
import io.mcpaudit.event.Severity;
import io.mcpaudit.router.TestAlerts;
import io.mcpaudit.router.TestConfigs;
import io.mcpaudit.router.alert.RoutedAlert;
import io.mcpaudit.router.config.RoutingConfig;
import io.mcpaudit.router.delivery.DeliveryResult;
import io.mcpaudit.router.delivery.HttpDelivery;
import io.mcpaudit.router.guard.DestinationGuard;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The request each vendor receives, byte for byte where it matters: bodies compared as exact JSON
 * (no extra or missing fields, arrays in order) against the vendors' documented formats, and the
 * headers they require.
 */
class VendorPayloadTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private WireMockServer vendor;
  private RoutingConfig config;
  private Map<String, Destination> destinations;
  private HttpDelivery delivery;

  @BeforeEach
  void start() {
    vendor = new WireMockServer(wireMockConfig().dynamicPort());
    vendor.start();
    vendor.stubFor(post(urlEqualTo("/v2/enqueue")).willReturn(aResponse().withStatus(202)
        .withHeader("Content-Type", "application/json")
        .withBody("{\"status\":\"success\",\"message\":\"Event processed\",\"dedup_key\":\"x\"}")));
    vendor.stubFor(post(urlEqualTo("/v2/alerts")).willReturn(aResponse().withStatus(202)
        .withBody("{\"result\":\"Request will be processed\",\"took\":0.1,\"requestId\":\"43a29c5c\"}")));
    vendor.stubFor(post(urlEqualTo(TestConfigs.SLACK_PATH)).willReturn(aResponse().withStatus(200).withBody("ok")));
    vendor.stubFor(post(urlEqualTo("/hooks/mcp-audit")).willReturn(aResponse().withStatus(204)));
    config = TestConfigs.allDestinations(vendor.baseUrl());
    destinations = Destinations.create(config);
    delivery = HttpDelivery.create(config.delivery(), new DestinationGuard(true, DestinationGuard.HostResolver.system()));
  }

  @AfterEach
  void stop() {
    vendor.stop();
  }

  private static RoutedAlert tokenReuse() {
    return TestAlerts.routed(TestAlerts.alert("token-reuse", Severity.HIGH, "mcp-token-reuse|tok-1"),
        TestAlerts.server("github", "developer-experience", RiskTier.HIGH));
  }

  private LoggedRequest send(String destination, Page page, String path) {
    DeliveryResult result = delivery.deliver(destinations.get(destination), page);
    assertThat(result.delivered()).as(result.detail()).isTrue();
    List<LoggedRequest> requests = vendor.findAll(postRequestedFor(urlEqualTo(path)));
    assertThat(requests).hasSize(1);
    return requests.get(0);
  }

  @Test
  void pagerDutyGetsATriggerEventWithDedupKeySeverityDetailsAndTraceLinks() {
    RoutedAlert routed = tokenReuse();
    String alertId = routed.alert().getAlertId();
    send("pagerduty", new Page.AlertPage("everything", routed), "/v2/enqueue");

    vendor.verify(postRequestedFor(urlEqualTo("/v2/enqueue"))
        .withHeader("Content-Type", equalTo("application/json"))
        .withRequestBody(equalToJson("""
            {
              "routing_key": "%s",
              "event_action": "trigger",
              "dedup_key": "mcp-token-reuse|tok-1",
              "payload": {
                "summary": "[HIGH] token-reuse: Token presented to two audiences",
                "source": "github",
                "severity": "error",
                "timestamp": "2026-03-01T12:00:30Z",
                "component": "mcp-token-reuse",
                "group": "developer-experience",
                "class": "token-reuse",
                "custom_details": {
                  "alert_id": "%s",
                  "category": "token-reuse",
                  "rule_id": "mcp-token-reuse",
                  "severity": "high",
                  "session": "s-42",
                  "server": "github",
                  "owner": "developer-experience",
                  "risk_tier": "high",
                  "user": "alice",
                  "client_agent": "claude-code",
                  "count": 1,
                  "first_seen": "2026-03-01T12:00:00Z",
                  "last_seen": "2026-03-01T12:00:30Z",
                  "description": "The same bearer token was used for github and files within 10 minutes.",
                  "excerpt": "aud=https://mcp.github.example.com/mcp",
                  "evidence_event_ids": ["e-1", "e-2"],
                  "dedup_key": "mcp-token-reuse|tok-1",
                  "route": "everything",
                  "attributes": {"window": "1h"},
                  "trace_url": "https://dashboards.example/app/mcp-audit#/trace/s-42"
                }
              },
              "links": [
                {"href": "https://dashboards.example/app/mcp-audit#/trace/s-42", "text": "Session trace"},
                {"href": "https://dashboards.example/app/mcp-audit#/alert/%s", "text": "Alert"}
              ],
              "client": "mcp-audit"
            }
            """.formatted(TestConfigs.PD_KEY, alertId, alertId))));
  }

  @Test
  void pagerDutySeveritiesAreTheFourTheApiAccepts() throws Exception {
    Map<Severity, String> expected = Map.of(Severity.CRITICAL, "critical", Severity.HIGH, "error",
        Severity.MEDIUM, "warning", Severity.LOW, "info");
    for (Severity severity : Severity.values()) {
      vendor.resetRequests();
      Alert alert = TestAlerts.builder("ssrf", severity, "k-" + severity).setServerName(null).build();
      LoggedRequest request = send("pagerduty", new Page.AlertPage("everything", TestAlerts.routed(alert)),
          "/v2/enqueue");
      JsonNode payload = JSON.readTree(request.getBodyAsString()).path("payload");
      assertThat(payload.path("severity").asText()).isEqualTo(expected.get(severity));
      assertThat(payload.path("source").asText()).as("no server: the configured source").isEqualTo("mcp-audit");
      assertThat(payload.has("group")).as("no inventory entry, no group").isFalse();
    }
  }

  @Test
  void pagerDutyLimitsAreKeptForLongTitlesAndKeys() throws Exception {
    Alert alert = TestAlerts.builder("prompt-injection", Severity.CRITICAL, "k".repeat(300))
        .setTitle("x".repeat(2000)).build();
    LoggedRequest request = send("pagerduty", new Page.AlertPage("everything", TestAlerts.routed(alert)),
        "/v2/enqueue");
    JsonNode event = JSON.readTree(request.getBodyAsString());
    assertThat(event.path("payload").path("summary").asText()).hasSize(1024).endsWith("…");
    assertThat(event.path("dedup_key").asText()).hasSizeLessThanOrEqualTo(255).startsWith("sha256:");
  }

  @Test
  void opsgenieGetsAnAlertWithGenieKeyAliasPriorityAndStringDetails() {
    RoutedAlert routed = tokenReuse();
    String alertId = routed.alert().getAlertId();
    send("opsgenie", new Page.AlertPage("everything", routed), "/v2/alerts");

    vendor.verify(postRequestedFor(urlEqualTo("/v2/alerts"))
        .withHeader("Authorization", equalTo("GenieKey " + TestConfigs.OPSGENIE_KEY))
        .withHeader("Content-Type", equalTo("application/json"))
        .withRequestBody(equalToJson("""
            {
              "message": "[HIGH] token-reuse: Token presented to two audiences",
              "alias": "mcp-token-reuse|tok-1",
              "description": "Token presented to two audiences\\n\\nThe same bearer token was used for github and files within 10 minutes.\\n\\nExcerpt:\\naud=https://mcp.github.example.com/mcp\\n\\nSession: s-42\\nServer: github (owner developer-experience, risk tier high)\\nUser: alice\\nSeen 1 time, last at 2026-03-01T12:00:30Z\\nTrace: https://dashboards.example/app/mcp-audit#/trace/s-42",
              "entity": "github",
              "responders": [{"type": "team", "name": "platform"}],
              "tags": ["mcp-audit", "token-reuse", "severity:high", "soc"],
              "details": {
                "alert_id": "%s",
                "category": "token-reuse",
                "rule_id": "mcp-token-reuse",
                "severity": "high",
                "session": "s-42",
                "server": "github",
                "owner": "developer-experience",
                "risk_tier": "high",
                "user": "alice",
                "client_agent": "claude-code",
                "count": "1",
                "first_seen": "2026-03-01T12:00:00Z",
                "last_seen": "2026-03-01T12:00:30Z",
                "description": "The same bearer token was used for github and files within 10 minutes.",
                "excerpt": "aud=https://mcp.github.example.com/mcp",
                "evidence_event_ids": "e-1, e-2",
                "dedup_key": "mcp-token-reuse|tok-1",
                "route": "everything",
                "attributes.window": "1h",
                "trace_url": "https://dashboards.example/app/mcp-audit#/trace/s-42"
              },
              "source": "mcp-audit",
              "priority": "P2"
            }
            """.formatted(alertId))));
  }

  @Test
  void opsgenieLimitsAreKept() throws Exception {
    Alert alert = TestAlerts.builder("prompt-injection", Severity.CRITICAL, "a".repeat(600))
        .setTitle("t".repeat(500))
        .setExcerpt("e".repeat(20_000))
        .setAttributes(attributes(40, 400))
        .build();
    LoggedRequest request = send("opsgenie", new Page.AlertPage("everything", TestAlerts.routed(alert)),
        "/v2/alerts");
    JsonNode body = JSON.readTree(request.getBodyAsString());
    assertThat(body.path("message").asText()).hasSize(130);
    assertThat(body.path("alias").asText()).hasSizeLessThanOrEqualTo(512);
    assertThat(body.path("description").asText()).hasSizeLessThanOrEqualTo(15_000);
    assertThat(body.path("priority").asText()).isEqualTo("P1");
    int detailChars = 0;
    for (Map.Entry<String, JsonNode> e : body.path("details").properties()) {
      assertThat(e.getValue().isTextual()).as("details are strings").isTrue();
      detailChars += e.getKey().length() + e.getValue().asText().length();
    }
    assertThat(detailChars).isLessThanOrEqualTo(8_000);
    assertThat(body.path("details").path("omitted").asText()).contains("attributes.");
  }

  private static Map<String, String> attributes(int n, int size) {
    Map<String, String> m = new java.util.HashMap<>();
    for (int i = 0; i < n; i++) {
      m.put("k" + i, "v".repeat(size));
    }
    return m;
  }

  @Test
  void slackGetsBlockKitWithTheKeyFactsAndATraceButton() {
    RoutedAlert routed = tokenReuse();
    String alertId = routed.alert().getAlertId();
    send("slack", new Page.AlertPage("everything", routed), TestConfigs.SLACK_PATH);

    vendor.verify(postRequestedFor(urlEqualTo(TestConfigs.SLACK_PATH))
        .withHeader("Content-Type", equalTo("application/json"))
        .withRequestBody(equalToJson("""
            {
              "text": "[HIGH] token-reuse: Token presented to two audiences",
              "blocks": [
                {"type": "header", "text": {"type": "plain_text", "text": "HIGH · token-reuse on github"}},
                {"type": "section", "text": {"type": "mrkdwn",
                  "text": "*Token presented to two audiences*\\nThe same bearer token was used for github and files within 10 minutes."}},
                {"type": "section", "fields": [
                  {"type": "mrkdwn", "text": "*Severity*\\nhigh"},
                  {"type": "mrkdwn", "text": "*Category*\\ntoken-reuse"},
                  {"type": "mrkdwn", "text": "*Server*\\ngithub (risk tier high)"},
                  {"type": "mrkdwn", "text": "*Owner*\\ndeveloper-experience"},
                  {"type": "mrkdwn", "text": "*Session*\\ns-42"},
                  {"type": "mrkdwn", "text": "*User*\\nalice"},
                  {"type": "mrkdwn", "text": "*Client*\\nclaude-code"},
                  {"type": "mrkdwn", "text": "*Rule*\\nmcp-token-reuse"},
                  {"type": "mrkdwn", "text": "*Seen*\\n1 time, last 2026-03-01T12:00:30Z"}
                ]},
                {"type": "section", "text": {"type": "mrkdwn",
                  "text": "*Excerpt*\\n```aud=https://mcp.github.example.com/mcp```"}},
                {"type": "actions", "elements": [
                  {"type": "button", "text": {"type": "plain_text", "text": "Open session trace"},
                   "url": "https://dashboards.example/app/mcp-audit#/trace/s-42", "action_id": "open-trace"}
                ]},
                {"type": "context", "elements": [{"type": "mrkdwn",
                  "text": "mcp-audit · route everything · alert %s · dedup key mcp-token-reuse|tok-1"}]}
              ]
            }
            """.formatted(alertId))));
  }

  @Test
  void slackTextFromTheAlertCannotMentionChannelsOrMakeLinks() throws Exception {
    Alert alert = TestAlerts.builder("prompt-injection", Severity.CRITICAL, "inj-1")
        .setTitle("Injected <!channel> text")
        .setExcerpt("ignore previous instructions <https://evil.example|click> & ``` break")
        .build();
    LoggedRequest request = send("slack", new Page.AlertPage("everything", TestAlerts.routed(alert)),
        TestConfigs.SLACK_PATH);
    String body = request.getBodyAsString();
    assertThat(body).doesNotContain("<!channel>").doesNotContain("<https://evil").contains("&lt;!channel&gt;")
        .contains("&amp;").doesNotContain("``` break");
  }

  @Test
  void webhookBodyIsTheAlertEnvelopeSignedOverTimestampDotBody() throws Exception {
    RoutedAlert routed = tokenReuse();
    long before = Instant.now().getEpochSecond();
    LoggedRequest request = send("webhook", new Page.AlertPage("everything", routed), "/hooks/mcp-audit");
    long after = Instant.now().getEpochSecond();

    vendor.verify(postRequestedFor(urlEqualTo("/hooks/mcp-audit"))
        .withHeader("Content-Type", equalTo("application/json"))
        .withHeader("X-Team", equalTo("soc"))
        .withHeader("X-McpAudit-Timestamp", matching("\\d{10}"))
        .withHeader("X-McpAudit-Signature", matching("v1=[0-9a-f]{64}"))
        .withHeader("X-McpAudit-Delivery", matching("[0-9a-f]{32}")));
    String alertId = routed.alert().getAlertId();
    String deliveryId = request.getHeader("X-McpAudit-Delivery");
    assertThat(JSON.readTree(request.getBodyAsString())).isEqualTo(JSON.readTree("""
        {
          "type": "alert",
          "route": "everything",
          "destination": "webhook",
          "delivery_id": "%s",
          "alert": {
            "alert_id": "%s",
            "category": "token-reuse",
            "severity": "high",
            "session": "s-42",
            "rule_id": "mcp-token-reuse",
            "title": "Token presented to two audiences",
            "description": "The same bearer token was used for github and files within 10 minutes.",
            "evidence": ["e-1", "e-2"],
            "excerpt": "aud=https://mcp.github.example.com/mcp",
            "dedup_key": "mcp-token-reuse|tok-1",
            "first_seen": "2026-03-01T12:00:00Z",
            "last_seen": "2026-03-01T12:00:30Z",
            "count": 1,
            "server": "github",
            "user": "alice",
            "client": "claude-code",
            "attributes": {"window": "1h"}
          },
          "server": {"name": "github", "owner": "developer-experience", "risk_tier": "high"},
          "links": {
            "trace": "https://dashboards.example/app/mcp-audit#/trace/s-42",
            "alert": "https://dashboards.example/app/mcp-audit#/alert/%s"
          }
        }
        """.formatted(deliveryId, alertId, alertId)));

    long timestamp = Long.parseLong(request.getHeader("X-McpAudit-Timestamp"));
    assertThat(timestamp).isBetween(before, after);
    byte[] raw = request.getBody();
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(TestConfigs.SIGNING_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
    String expected = "v1=" + HexFormat.of().formatHex(mac.doFinal(raw));
    assertThat(request.getHeader("X-McpAudit-Signature")).isEqualTo(expected);
    assertThat(WebhookSignature.verify(TestConfigs.SIGNING_SECRET, request.getHeader("X-McpAudit-Timestamp"),
        request.getHeader("X-McpAudit-Signature"), raw, Instant.now(), Duration.ofMinutes(5))).isTrue();
  }

  @Test
  void stormPagesCarryTheCountAndTheCategoriesForEveryVendor() throws Exception {
    List<RoutedAlert> alerts = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      alerts.add(TestAlerts.routed(TestAlerts.alert(i < 3 ? "token-reuse" : "ssrf",
          i == 4 ? Severity.CRITICAL : Severity.MEDIUM, "storm-" + i)));
    }
    Instant window = Instant.parse("2026-03-01T12:01:00Z");
    Page.StormPage storm = new Page.StormPage("everything", window, Duration.ofMinutes(1), alerts, 10);

    JsonNode pd = JSON.readTree(send("pagerduty", storm, "/v2/enqueue").getBodyAsString());
    assertThat(pd.path("dedup_key").asText()).isEqualTo("storm|everything|2026-03-01T12:01:00Z");
    assertThat(pd.path("payload").path("summary").asText()).isEqualTo("Alert storm on route 'everything': 5 more"
        + " alerts in one minute after 10 paged individually (token-reuse ×3, ssrf ×2)");
    assertThat(pd.path("payload").path("severity").asText()).as("the highest in the storm").isEqualTo("critical");
    assertThat(pd.path("payload").path("class").asText()).isEqualTo("alert-storm");
    JsonNode details = pd.path("payload").path("custom_details");
    assertThat(details.path("count").asInt()).isEqualTo(5);
    assertThat(details.path("categories")).isEqualTo(JSON.readTree("{\"ssrf\": 2, \"token-reuse\": 3}"));
    assertThat(details.path("alerts")).hasSize(5);
    assertThat(pd.path("links")).hasSize(5);

    JsonNode og = JSON.readTree(send("opsgenie", storm, "/v2/alerts").getBodyAsString());
    assertThat(og.path("alias").asText()).isEqualTo("storm|everything|2026-03-01T12:01:00Z");
    assertThat(og.path("priority").asText()).isEqualTo("P1");
    assertThat(og.path("details").path("count").asText()).isEqualTo("5");
    assertThat(og.path("details").path("categories").asText()).isEqualTo("token-reuse ×3, ssrf ×2");

    JsonNode slack = JSON.readTree(send("slack", storm, TestConfigs.SLACK_PATH).getBodyAsString());
    assertThat(slack.path("blocks").get(0).path("text").path("text").asText())
        .isEqualTo("Alert storm · 5 alerts on route everything");
    assertThat(slack.path("blocks").get(2).path("fields").toString()).contains("*ssrf*\\n2", "*token-reuse*\\n3");

    JsonNode hook = JSON.readTree(send("webhook", storm, "/hooks/mcp-audit").getBodyAsString());
    assertThat(hook.path("type").asText()).isEqualTo("storm");
    assertThat(hook.path("count").asInt()).isEqualTo(5);
    assertThat(hook.path("categories")).isEqualTo(JSON.readTree("{\"ssrf\": 2, \"token-reuse\": 3}"));
    assertThat(hook.path("alerts")).hasSize(5);
  }
}
