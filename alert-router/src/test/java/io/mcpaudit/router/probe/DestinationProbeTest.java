package io.mcpaudit.router.probe;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.mcpaudit.router.TestConfigs;
import io.mcpaudit.router.config.RoutingConfig;
import io.mcpaudit.router.delivery.HttpDelivery;
import io.mcpaudit.router.guard.DestinationGuard;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code mcp-audit route test}: one test page per destination, and an honest verdict for each. */
class DestinationProbeTest {
  private WireMockServer vendor;

  @BeforeEach
  void start() {
    vendor = new WireMockServer(wireMockConfig().dynamicPort());
    vendor.start();
  }

  @AfterEach
  void stop() {
    vendor.stop();
  }

  @Test
  void everyDestinationGetsOneTestPageAndItsAnswerIsReported() {
    vendor.stubFor(post(urlEqualTo("/v2/enqueue")).willReturn(aResponse().withStatus(202)));
    vendor.stubFor(post(urlEqualTo("/v2/alerts")).willReturn(aResponse().withStatus(422)
        .withBody("{\"message\":\"Key format is not valid!\"}")));
    vendor.stubFor(post(urlEqualTo(TestConfigs.SLACK_PATH)).willReturn(aResponse().withStatus(200).withBody("ok")));
    vendor.stubFor(post(urlEqualTo("/hooks/mcp-audit")).willReturn(aResponse().withStatus(204)));
    RoutingConfig config = TestConfigs.allDestinations("http://localhost:" + vendor.port());

    List<DestinationProbe.Result> results = DestinationProbe.testAll(config,
        HttpDelivery.create(config.delivery(), new DestinationGuard(true, DestinationGuard.HostResolver.system())),
        Instant.parse("2026-03-01T12:00:00Z"));

    assertThat(results).extracting(r -> r.destination() + " " + r.delivery().delivered())
        .containsExactly("pagerduty true", "opsgenie false", "slack true", "webhook true");
    assertThat(results.get(1).delivery().detail()).contains("HTTP 422", "Key format is not valid");
    assertThat(results.get(2).endpoint()).doesNotContain("secret");
    vendor.verify(1, postRequestedFor(urlEqualTo("/v2/enqueue"))
        .withRequestBody(containing("\"dedup_key\":\"mcp-audit-route-test|pagerduty|1772366400\""))
        .withRequestBody(containing("\"severity\":\"info\""))
        .withRequestBody(containing("\"class\":\"route-test\"")));
  }
}
