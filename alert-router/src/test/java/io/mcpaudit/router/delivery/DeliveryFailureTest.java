package io.mcpaudit.router.delivery;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.mcpaudit.event.Severity;
import io.mcpaudit.router.TestAlerts;
import io.mcpaudit.router.TestConfigs;
import io.mcpaudit.router.config.RoutingConfig;
import io.mcpaudit.router.destination.Destination;
import io.mcpaudit.router.destination.Destinations;
import io.mcpaudit.router.destination.Page;
import io.mcpaudit.router.guard.DestinationGuard;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** How delivery behaves when the vendor throttles, fails, hangs, redirects, or cannot be trusted. */
class DeliveryFailureTest {
  private static final String PATH = "/v2/enqueue";

  private WireMockServer vendor;

  @BeforeEach
  void start() {
    vendor = new WireMockServer(wireMockConfig().dynamicPort().dynamicHttpsPort());
    vendor.start();
  }

  @AfterEach
  void stop() {
    vendor.stop();
  }

  private String http() {
    return "http://localhost:" + vendor.port();
  }

  private DeliveryResult deliver(String baseUrl) {
    return deliver(baseUrl, new DestinationGuard(true, DestinationGuard.HostResolver.system()));
  }

  private DeliveryResult deliver(String baseUrl, DestinationGuard guard) {
    return deliver(TestConfigs.allDestinations(baseUrl), guard);
  }

  private DeliveryResult deliver(RoutingConfig config, DestinationGuard guard) {
    Destination pagerDuty = Destinations.create(config).get("pagerduty");
    Page page = new Page.AlertPage("everything",
        TestAlerts.routed(TestAlerts.alert("token-reuse", Severity.HIGH, "k-1")));
    return HttpDelivery.create(config.delivery(), guard).deliver(pagerDuty, page);
  }

  private void respondInTurn(ResponseDefinitionBuilder... responses) {
    String state = STARTED;
    for (int i = 0; i < responses.length; i++) {
      String next = i == responses.length - 1 ? state : "attempt-" + (i + 2);
      vendor.stubFor(post(urlEqualTo(PATH)).inScenario("turns").whenScenarioStateIs(state)
          .willReturn(responses[i]).willSetStateTo(next));
      state = next;
    }
  }

  private List<LoggedRequest> requests() {
    return vendor.findAll(postRequestedFor(urlEqualTo(PATH)));
  }

  @Test
  void a429WithRetryAfterIsRetriedNoSoonerThanAsked() {
    respondInTurn(aResponse().withStatus(429).withHeader("Retry-After", "2"), aResponse().withStatus(202));

    DeliveryResult result = deliver(http());

    assertThat(result.status()).isEqualTo(DeliveryResult.Status.DELIVERED);
    assertThat(result.attempts()).isEqualTo(2);
    List<LoggedRequest> requests = requests();
    assertThat(requests).hasSize(2);
    long gap = requests.get(1).getLoggedDate().getTime() - requests.get(0).getLoggedDate().getTime();
    assertThat(gap).as("Retry-After: 2 honoured (the configured backoff is 50-200 ms)").isGreaterThanOrEqualTo(2000);
  }

  @Test
  void a429WithAnHttpDateRetryAfterIsHonouredToo() {
    String inTwoSeconds = java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(
        java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC).plusSeconds(3).withNano(0));
    respondInTurn(aResponse().withStatus(429).withHeader("Retry-After", inTwoSeconds), aResponse().withStatus(202));

    DeliveryResult result = deliver(http());

    assertThat(result.delivered()).isTrue();
    List<LoggedRequest> requests = requests();
    long gap = requests.get(1).getLoggedDate().getTime() - requests.get(0).getLoggedDate().getTime();
    assertThat(gap).isGreaterThanOrEqualTo(1000);
  }

  @Test
  void serverErrorsAreRetriedWithBackoffUntilTheyPass() {
    respondInTurn(aResponse().withStatus(500), aResponse().withStatus(503), aResponse().withStatus(202));

    DeliveryResult result = deliver(http());

    assertThat(result.status()).isEqualTo(DeliveryResult.Status.DELIVERED);
    assertThat(result.attempts()).isEqualTo(3);
    assertThat(requests()).hasSize(3);
    assertThat(requests()).extracting(LoggedRequest::getBodyAsString).as("the same event every time")
        .containsOnly(requests().get(0).getBodyAsString());
  }

  @Test
  void aTimeoutIsRetried() {
    respondInTurn(aResponse().withStatus(202).withFixedDelay(6000), aResponse().withStatus(202));
    RoutingConfig config = TestConfigs.parse(TestConfigs.allDestinations(http(), TestConfigs.EVERYTHING)
        .replace("request_timeout: 5s", "request_timeout: 2s"), TestConfigs.environment(http()));

    DeliveryResult result = deliver(config, new DestinationGuard(true, DestinationGuard.HostResolver.system()));

    assertThat(result.status()).isEqualTo(DeliveryResult.Status.DELIVERED);
    assertThat(result.attempts()).isEqualTo(2);
  }

  @Test
  void aDestinationThatKeepsFailingEndsAfterTheConfiguredAttempts() {
    vendor.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(503).withBody("maintenance")));

    DeliveryResult result = deliver(http());

    assertThat(result.status()).isEqualTo(DeliveryResult.Status.EXHAUSTED);
    assertThat(result.attempts()).isEqualTo(4);
    assertThat(requests()).hasSize(4);
    assertThat(result.detail()).contains("gave up after 4 attempts", "delivery.max_attempts", "HTTP 503",
        "maintenance");
  }

  @Test
  void aRetryAfterBeyondTheBudgetEndsAtOnce() {
    vendor.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(429).withHeader("Retry-After", "60")));

    DeliveryResult result = deliver(http());

    assertThat(result.status()).isEqualTo(DeliveryResult.Status.EXHAUSTED);
    assertThat(requests()).hasSize(1);
    assertThat(result.detail()).contains("retry budget of 10s", "asked to retry after 1m", "HTTP 429");
  }

  @Test
  void connectionRefusedIsRetriedThenReported() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    DeliveryResult result = deliver("http://127.0.0.1:" + closedPort);

    assertThat(result.status()).isEqualTo(DeliveryResult.Status.EXHAUSTED);
    assertThat(result.attempts()).isEqualTo(4);
    assertThat(result.detail()).contains("refused");
  }

  @Test
  void aClientErrorIsPermanentAndNotRetried() {
    vendor.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(400)
        .withBody("{\"status\":\"invalid event\",\"message\":\"Event object is invalid\"}")));

    DeliveryResult result = deliver(http());

    assertThat(result.status()).isEqualTo(DeliveryResult.Status.REJECTED);
    assertThat(result.httpStatus()).isEqualTo(400);
    assertThat(requests()).hasSize(1);
    assertThat(result.detail()).contains("HTTP 400", "Event object is invalid");
  }

  @Test
  void redirectsAreNotFollowed() {
    vendor.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(307)
        .withHeader("Location", http() + "/elsewhere")));
    vendor.stubFor(post(urlEqualTo("/elsewhere")).willReturn(aResponse().withStatus(202)));

    DeliveryResult result = deliver(http());

    assertThat(result.status()).isEqualTo(DeliveryResult.Status.REJECTED);
    assertThat(result.detail()).contains("HTTP 307", "redirects are not followed");
    assertThat(vendor.findAll(postRequestedFor(urlEqualTo("/elsewhere")))).isEmpty();
  }

  @Test
  void anUntrustedCertificateIsAPermanentFailureWithAClearReason() {
    vendor.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(202)));
    String https = "https://localhost:" + vendor.httpsPort();
    // Generous timeouts: a slow first handshake must not be mistaken for the trust failure under test.
    RoutingConfig config = TestConfigs.parse(TestConfigs.allDestinations(https, TestConfigs.EVERYTHING)
        .replace("connect_timeout: 5s", "connect_timeout: 20s").replace("request_timeout: 5s", "request_timeout: 20s"),
        TestConfigs.environment(https));

    DeliveryResult result = deliver(config, new DestinationGuard(true, DestinationGuard.HostResolver.system()));

    assertThat(result.status()).isEqualTo(DeliveryResult.Status.REJECTED);
    assertThat(result.attempts()).as("not retried").isEqualTo(1);
    assertThat(result.detail()).contains("TLS handshake with " + https + PATH + " failed", "not trusted",
        "trust store");
    assertThat(requests()).as("nothing reached the application").isEmpty();
  }

  @Test
  void theGuardRefusesLoopbackBeforeAnyRequestIsMade() {
    vendor.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(202)));

    DeliveryResult result = deliver("https://localhost:" + vendor.httpsPort(),
        new DestinationGuard(false, DestinationGuard.HostResolver.system()));

    assertThat(result.status()).isEqualTo(DeliveryResult.Status.REJECTED);
    assertThat(result.detail()).contains("refused by the destination guard", "loopback");
    assertThat(requests()).isEmpty();
  }

  @Test
  void theGuardChecksWhatTheNameResolvesToAtSendTime() {
    DestinationGuard guard = new DestinationGuard(false, host -> new InetAddress[] {
        InetAddress.getByAddress(host, new byte[] {(byte) 169, (byte) 254, (byte) 169, (byte) 254})});

    DeliveryResult result = deliver("https://hooks.rebinding.example", guard);

    assertThat(result.status()).isEqualTo(DeliveryResult.Status.REJECTED);
    assertThat(result.detail()).contains("169.254.169.254", "link-local");
  }

  @Test
  void backoffGrowsExponentiallyWithJitterWithinTheCap() {
    var policy = new io.mcpaudit.router.config.DeliveryPolicy(Duration.ofSeconds(1), Duration.ofSeconds(1), 10,
        Duration.ofMillis(100), Duration.ofMillis(1000), Duration.ofMinutes(1));
    var random = java.util.random.RandomGenerator.of("L64X128MixRandom");
    for (int retry = 0; retry < 8; retry++) {
      long exp = Math.min(1000, 100L << retry);
      for (int i = 0; i < 50; i++) {
        long wait = HttpDelivery.backoff(policy, random, retry).toMillis();
        assertThat(wait).isBetween(exp / 2, exp);
      }
    }
  }
}
