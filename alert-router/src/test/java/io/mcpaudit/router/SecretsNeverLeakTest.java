package io.mcpaudit.router;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.mcpaudit.event.Severity;
import io.mcpaudit.router.config.Environment;
import io.mcpaudit.router.config.RoutingConfig;
import io.mcpaudit.router.config.RoutingConfigException;
import io.mcpaudit.router.delivery.HttpDelivery;
import io.mcpaudit.router.destination.Destinations;
import io.mcpaudit.router.guard.DestinationGuard;
import io.mcpaudit.router.noise.InMemoryLedger;
import io.mcpaudit.router.routing.AlertRouter;
import io.mcpaudit.router.routing.RoutingOutcome;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Routing keys, API keys, secret webhook URLs, signing secrets and secret headers appear in no
 * log line (at debug level), no outcome, no dead-letter reason and no configuration error, even
 * when a vendor echoes the request back in its error response.
 */
class SecretsNeverLeakTest {
  private static final String HEADER_TOKEN = "hdr-bearer-5e6f7a8b9c0d";
  private static final String SLACK_TOKEN = "XXXXsecretXXXXtokenXXXX";

  private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
  private PrintStream originalErr;
  private PrintStream originalOut;
  private WireMockServer vendor;

  @BeforeEach
  void capture() {
    originalErr = System.err;
    originalOut = System.out;
    PrintStream both = new PrintStream(captured, true, StandardCharsets.UTF_8);
    System.setErr(both);
    System.setOut(both);
    vendor = new WireMockServer(wireMockConfig().dynamicPort());
    vendor.start();
  }

  @AfterEach
  void restore() {
    System.setErr(originalErr);
    System.setOut(originalOut);
    vendor.stop();
  }

  private static List<String> secrets() {
    return List.of(TestConfigs.PD_KEY, TestConfigs.OPSGENIE_KEY, SLACK_TOKEN, TestConfigs.SIGNING_SECRET,
        HEADER_TOKEN);
  }

  @Test
  void failuresThatEchoTheRequestLeakNothing() {
    // Every vendor answers with an error that quotes what it was sent.
    vendor.stubFor(post(urlEqualTo("/v2/enqueue")).willReturn(aResponse().withStatus(400)
        .withBody("invalid event: {{request.body}}").withTransformers("response-template")));
    vendor.stubFor(post(urlEqualTo("/v2/alerts")).willReturn(aResponse().withStatus(401)
        .withBody("bad key {{request.headers.Authorization}}").withTransformers("response-template")));
    vendor.stubFor(post(urlPathMatching("/services/.*")).willReturn(aResponse().withStatus(404)
        .withBody("no_service for {{request.url}}").withTransformers("response-template")));
    vendor.stubFor(post(urlEqualTo("/hooks/mcp-audit")).willReturn(aResponse().withStatus(503)
        .withBody("down; you sent {{request.headers.Authorization}} {{request.headers.X-McpAudit-Signature}}")
        .withTransformers("response-template")));
    String base = "http://localhost:" + vendor.port();
    Map<String, String> env = new HashMap<>(Map.of("PD_ROUTING_KEY", TestConfigs.PD_KEY,
        "OPSGENIE_API_KEY", TestConfigs.OPSGENIE_KEY, "SLACK_WEBHOOK_URL", base + TestConfigs.SLACK_PATH,
        "WEBHOOK_SIGNING_SECRET", TestConfigs.SIGNING_SECRET, "HOOK_TOKEN", "Bearer " + HEADER_TOKEN));
    String yaml = TestConfigs.allDestinations(base, """
        - name: everything
          destinations: [pagerduty, opsgenie, slack, webhook]
        """).replace("      X-Team: soc", "      X-Team: soc\n      Authorization: {env: HOOK_TOKEN}");
    RoutingConfig config = TestConfigs.parse(yaml, Environment.of(env));
    List<String> deadLetterReasons = new ArrayList<>();
    AlertRouter router = new AlertRouter(config, Destinations.create(config),
        HttpDelivery.create(config.delivery(), new DestinationGuard(true, DestinationGuard.HostResolver.system())),
        new InMemoryLedger(), (origin, destination, reason) -> deadLetterReasons.add(reason));

    List<RoutingOutcome> outcomes = router.route(
        TestAlerts.routed(TestAlerts.alert("token-reuse", Severity.HIGH, "leak-1")), TestAlerts.T0);

    assertThat(outcomes).hasSize(4).allSatisfy(o -> assertThat(o.kind()).isEqualTo(RoutingOutcome.Kind.FAILED));
    assertThat(vendor.getAllServeEvents()).as("the vendor really echoed").hasSizeGreaterThanOrEqualTo(4);
    String logs = captured.toString(StandardCharsets.UTF_8);
    assertThat(logs).as("something was logged").contains("pagerduty", "opsgenie", "slack", "webhook", "HTTP 400");
    List<String> texts = new ArrayList<>(deadLetterReasons);
    outcomes.forEach(o -> texts.add(o.describe()));
    texts.add(logs);
    texts.add(config.toString());
    for (String text : texts) {
      for (String secret : secrets()) {
        assertThat(text).doesNotContain(secret);
      }
    }
    assertThat(String.join("\n", deadLetterReasons)).contains("[secret from env PD_ROUTING_KEY]",
        "[secret from env OPSGENIE_API_KEY]", "[URL from env SLACK_WEBHOOK_URL]");
  }

  @Test
  void configurationErrorsAboutSecretValuesDoNotQuoteThem() {
    Environment env = Environment.of(Map.of("PD_ROUTING_KEY", TestConfigs.PD_KEY,
        "OPSGENIE_API_KEY", TestConfigs.OPSGENIE_KEY, "SLACK_WEBHOOK_URL", "htps:/" + SLACK_TOKEN,
        "WEBHOOK_SIGNING_SECRET", TestConfigs.SIGNING_SECRET));
    String yaml = TestConfigs.allDestinations("http://localhost:1", TestConfigs.EVERYTHING).replace("allow_insecure_destinations: true",
        "allow_insecure_destinations: false");
    String message = "";
    try {
      TestConfigs.parse(yaml, env);
    } catch (RoutingConfigException e) {
      message = e.getMessage();
    }
    assertThat(message).contains("destinations.slack.webhook_url (from env SLACK_WEBHOOK_URL): must be an absolute"
        + " https:// URL", "destinations.pagerduty.url: http://localhost:1/v2/enqueue is not https");
    for (String secret : secrets()) {
      assertThat(message).doesNotContain(secret);
    }
  }

  @Test
  void aSecretUrlRefusedByTheGuardIsShownWithoutItsPath() {
    Environment env = Environment.of(Map.of("PD_ROUTING_KEY", TestConfigs.PD_KEY,
        "OPSGENIE_API_KEY", TestConfigs.OPSGENIE_KEY,
        "SLACK_WEBHOOK_URL", "https://127.0.0.1" + TestConfigs.SLACK_PATH,
        "WEBHOOK_SIGNING_SECRET", TestConfigs.SIGNING_SECRET));
    String yaml = TestConfigs.allDestinations("https://vendor.example", TestConfigs.EVERYTHING).replace("allow_insecure_destinations: true",
        "allow_insecure_destinations: false");
    String message = "";
    try {
      TestConfigs.parse(yaml, env);
    } catch (RoutingConfigException e) {
      message = e.getMessage();
    }
    assertThat(message).contains("destinations.slack.webhook_url: https://127.0.0.1/… (URL from env"
        + " SLACK_WEBHOOK_URL) resolves to 127.0.0.1, a loopback address").doesNotContain(SLACK_TOKEN);
  }
}
