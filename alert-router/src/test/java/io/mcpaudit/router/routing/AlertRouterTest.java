package io.mcpaudit.router.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mcpaudit.event.Alert;
import io.mcpaudit.event.RiskTier;
import io.mcpaudit.event.Severity;
import io.mcpaudit.router.TestAlerts;
import io.mcpaudit.router.TestConfigs;
import io.mcpaudit.router.alert.Origin;
import io.mcpaudit.router.alert.RoutedAlert;
import io.mcpaudit.router.config.RoutingConfig;
import io.mcpaudit.router.delivery.Delivery;
import io.mcpaudit.router.delivery.DeliveryResult;
import io.mcpaudit.router.destination.Destinations;
import io.mcpaudit.router.destination.Page;
import io.mcpaudit.router.noise.InMemoryLedger;
import io.mcpaudit.router.noise.LedgerEntry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Routing decisions, dedup, storm grouping and failure handling, with a recording stand-in for HTTP. */
class AlertRouterTest {
  private static final String BASE = "https://vendor.example";
  private static final Instant NOW = TestAlerts.T0.plusSeconds(5);

  /** Records every page and answers with the status the test chose. */
  private static final class RecordingDelivery implements Delivery {
    final List<String> pages = new ArrayList<>();
    final List<Page> sent = new ArrayList<>();
    DeliveryResult.Status answer = DeliveryResult.Status.DELIVERED;

    @Override
    public DeliveryResult deliver(io.mcpaudit.router.destination.Destination destination, Page page) {
      pages.add(destination.name() + " " + page.key());
      sent.add(page);
      return new DeliveryResult(answer, 1, answer == DeliveryResult.Status.DELIVERED ? 202 : 400,
          answer == DeliveryResult.Status.DELIVERED ? "HTTP 202" : "HTTP 400 from vendor");
    }
  }

  private record DeadLetter(Origin origin, String destination, String reason) {}

  private final RecordingDelivery delivery = new RecordingDelivery();
  private final InMemoryLedger ledger = new InMemoryLedger();
  private final List<DeadLetter> deadLetters = new ArrayList<>();

  private AlertRouter router(String routes) {
    return router(routes, "");
  }

  private AlertRouter router(String routes, String noise) {
    String yaml = TestConfigs.allDestinations(BASE, routes);
    if (!noise.isEmpty()) {
      yaml = yaml.replace("  storm_threshold: 0\n", noise.indent(2));
    }
    RoutingConfig config = TestConfigs.parse(yaml, TestConfigs.environment(BASE));
    return new AlertRouter(config, Destinations.create(config), delivery, ledger,
        (origin, destination, reason) -> deadLetters.add(new DeadLetter(origin, destination, reason)));
  }

  private static RoutedAlert alert(String category, Severity severity, String key) {
    return TestAlerts.routed(TestAlerts.alert(category, severity, key));
  }

  @Test
  void severityAtLeastAndListsCategoriesAndServersSelectTheRoute() {
    AlertRouter router = router("""
        - name: pager
          match: {severity_at_least: high, category: [token-reuse, ssrf]}
          destinations: [pagerduty]
        - name: github-medium
          match: {severity: [medium], server: github}
          destinations: [opsgenie]
        - name: chat
          destinations: [slack]
        """);

    router.route(alert("token-reuse", Severity.CRITICAL, "a"), NOW);
    router.route(alert("token-reuse", Severity.MEDIUM, "b"), NOW);
    router.route(TestAlerts.routed(TestAlerts.builder("ssrf", Severity.MEDIUM, "c").setServerName("files").build()),
        NOW);
    router.route(alert("prompt-injection", Severity.HIGH, "d"), NOW);

    assertThat(delivery.pages).containsExactly("pagerduty a", "opsgenie b", "slack c", "slack d");
  }

  @Test
  void riskTierAndOwnerComeFromTheInventory() {
    AlertRouter router = router("""
        - name: critical-servers
          match: {risk_tier: [critical]}
          destinations: [pagerduty]
        - name: platform
          match: {owner: platform-team}
          destinations: [opsgenie]
        """);

    router.route(TestAlerts.routed(TestAlerts.alert("ssrf", Severity.LOW, "a"),
        TestAlerts.server("github", "developer-experience", RiskTier.CRITICAL)), NOW);
    router.route(TestAlerts.routed(TestAlerts.alert("ssrf", Severity.LOW, "b"),
        TestAlerts.server("github", "platform-team", RiskTier.LOW)), NOW);
    List<RoutingOutcome> unlisted = router.route(alert("ssrf", Severity.CRITICAL, "c"), NOW);

    assertThat(delivery.pages).containsExactly("pagerduty a", "opsgenie b");
    assertThat(unlisted).singleElement().extracting(RoutingOutcome::kind).isEqualTo(RoutingOutcome.Kind.UNROUTED);
  }

  @Test
  void continueSendsToLaterRoutesButEachDestinationOnlyOnce() {
    AlertRouter router = router("""
        - name: first
          match: {severity_at_least: high}
          destinations: [pagerduty, slack]
          continue: true
        - name: second
          destinations: [slack, webhook]
        - name: never
          destinations: [opsgenie]
        """);

    router.route(alert("ssrf", Severity.HIGH, "a"), NOW);

    assertThat(delivery.pages).containsExactly("pagerduty a", "slack a", "webhook a");
  }

  @Test
  void reEmissionsWithAHigherCountDoNotPageAgainWithinTheWindow() {
    AlertRouter router = router("""
        - name: all
          destinations: [pagerduty]
        """);
    Alert first = TestAlerts.alert("token-reuse", Severity.HIGH, "tok-1");
    Alert again = Alert.newBuilder(first).setCount(7).setLastSeen(TestAlerts.T0.plusSeconds(600)).build();

    router.route(TestAlerts.routed(first), NOW);
    List<RoutingOutcome> second = router.route(TestAlerts.routed(again), NOW.plus(Duration.ofMinutes(10)));
    List<RoutingOutcome> afterWindow = router.route(TestAlerts.routed(again), NOW.plus(Duration.ofMinutes(61)));

    assertThat(second).singleElement().satisfies(o -> {
      assertThat(o.kind()).isEqualTo(RoutingOutcome.Kind.SUPPRESSED);
      assertThat(o.detail()).contains("already paged", "dedup window 1h");
    });
    assertThat(afterWindow).singleElement().extracting(RoutingOutcome::kind).isEqualTo(RoutingOutcome.Kind.SENT);
    assertThat(delivery.pages).containsExactly("pagerduty tok-1", "pagerduty tok-1");
  }

  @Test
  void dedupIsPerDestination() {
    AlertRouter router = router("""
        - name: pager
          match: {severity: critical}
          destinations: [pagerduty]
        - name: chat
          destinations: [slack, pagerduty]
        """);

    router.route(alert("ssrf", Severity.CRITICAL, "k"), NOW);
    router.route(alert("ssrf", Severity.LOW, "k"), NOW.plusSeconds(1));

    assertThat(delivery.pages).containsExactly("pagerduty k", "slack k");
  }

  @Test
  void moreThanTheThresholdInAMinuteBecomesOneGroupedPage() {
    AlertRouter router = router("""
        - name: all
          destinations: [pagerduty, slack]
        """, "storm_threshold: 3\n");
    Instant minute = Instant.parse("2026-03-01T12:05:00Z");
    List<RoutingOutcome> outcomes = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      String category = i % 2 == 0 ? "token-reuse" : "ssrf";
      outcomes.addAll(router.route(alert(category, Severity.HIGH, "s-" + i), minute.plusSeconds(i)));
    }
    outcomes.addAll(router.route(alert("ssrf", Severity.HIGH, "s-7"), minute.plusSeconds(20)));

    assertThat(delivery.pages).containsExactly("pagerduty s-0", "slack s-0", "pagerduty s-1", "slack s-1",
        "pagerduty s-2", "slack s-2");
    assertThat(outcomes).filteredOn(o -> o.kind() == RoutingOutcome.Kind.GROUPED).hasSize(10);
    assertThat(outcomes).filteredOn(o -> o.kind() == RoutingOutcome.Kind.SUPPRESSED)
        .as("a repeat of a held alert").hasSize(2);
    assertThat(router.hasOpenGroups()).isTrue();
    assertThat(router.flushDue(minute.plusSeconds(59))).as("the minute is not over").isEmpty();

    List<RoutingOutcome> flushed = router.flushDue(minute.plusSeconds(60));

    assertThat(flushed).extracting(o -> o.destination().orElseThrow()).containsExactly("pagerduty", "slack");
    assertThat(router.hasOpenGroups()).isFalse();
    Page.StormPage storm = (Page.StormPage) delivery.sent.get(delivery.sent.size() - 1);
    assertThat(storm.alerts()).hasSize(5);
    assertThat(storm.categories()).containsEntry("ssrf", 3).containsEntry("token-reuse", 2);
    assertThat(storm.pagedIndividually()).isEqualTo(3);
    assertThat(storm.summary()).contains("5 more alerts in one minute", "ssrf ×3, token-reuse ×2");
    // The grouped alerts count as paged: their repeats stay quiet.
    assertThat(router.route(alert("ssrf", Severity.HIGH, "s-5"), minute.plusSeconds(70)))
        .extracting(RoutingOutcome::kind).containsOnly(RoutingOutcome.Kind.SUPPRESSED);
  }

  @Test
  void aNewMinuteStartsCountingAgain() {
    AlertRouter router = router("""
        - name: all
          destinations: [pagerduty]
        """, "storm_threshold: 2\n");
    Instant minute = Instant.parse("2026-03-01T12:05:00Z");
    for (int i = 0; i < 3; i++) {
      router.route(alert("ssrf", Severity.HIGH, "m1-" + i), minute.plusSeconds(10 + i));
    }
    router.flushDue(minute.plusSeconds(60));
    router.route(alert("ssrf", Severity.HIGH, "m2-0"), minute.plusSeconds(61));

    assertThat(delivery.pages).containsExactly("pagerduty m1-0", "pagerduty m1-1",
        "pagerduty storm|all|2026-03-01T12:05:00Z", "pagerduty m2-0");
  }

  @Test
  void aPermanentFailureIsDeadLetteredWithTheDestinationAndNotRetriedOnRepeat() {
    AlertRouter router = router("""
        - name: all
          destinations: [opsgenie]
        """);
    delivery.answer = DeliveryResult.Status.REJECTED;
    RoutedAlert alert = alert("ssrf", Severity.HIGH, "bad");

    List<RoutingOutcome> outcomes = router.route(alert, NOW);
    List<RoutingOutcome> repeat = router.route(alert, NOW.plusSeconds(30));

    assertThat(outcomes).singleElement().extracting(RoutingOutcome::kind).isEqualTo(RoutingOutcome.Kind.FAILED);
    assertThat(deadLetters).singleElement().satisfies(d -> {
      assertThat(d.destination()).isEqualTo("opsgenie");
      assertThat(d.origin()).isEqualTo(alert.origin());
      assertThat(d.reason()).isEqualTo("delivery to opsgenie failed: HTTP 400 from vendor");
    });
    assertThat(ledger.find("opsgenie", "bad")).get().extracting(LedgerEntry::status)
        .isEqualTo(LedgerEntry.Status.FAILED);
    assertThat(repeat).singleElement().extracting(RoutingOutcome::kind).isEqualTo(RoutingOutcome.Kind.SUPPRESSED);
    assertThat(delivery.pages).hasSize(1);
  }

  @Test
  void aPendingEntryFromAStoppedRouterIsNotPagedAgainButDeadLettered() {
    AlertRouter router = router("""
        - name: all
          destinations: [pagerduty]
        """);
    ledger.record(new LedgerEntry("pagerduty", "mid", LedgerEntry.Status.PENDING, NOW.minusSeconds(20), "a-1", 1));

    List<RoutingOutcome> outcomes = router.route(alert("ssrf", Severity.HIGH, "mid"), NOW);

    assertThat(delivery.pages).isEmpty();
    assertThat(outcomes).singleElement().extracting(RoutingOutcome::kind).isEqualTo(RoutingOutcome.Kind.UNKNOWN);
    assertThat(deadLetters).singleElement().satisfies(d -> assertThat(d.reason())
        .contains("stopped while delivering", "unknown", "not sent again"));
    assertThat(ledger.find("pagerduty", "mid")).get().extracting(LedgerEntry::status)
        .isEqualTo(LedgerEntry.Status.UNKNOWN);
    assertThat(router.route(alert("ssrf", Severity.HIGH, "mid"), NOW.plusSeconds(5)))
        .extracting(RoutingOutcome::kind).containsExactly(RoutingOutcome.Kind.SUPPRESSED);
    assertThat(deadLetters).as("dead-lettered once").hasSize(1);
  }

  @Test
  void theLedgerSaysPendingWhileTheRequestIsInFlight() {
    List<LedgerEntry.Status> seen = new ArrayList<>();
    RoutingConfig config = TestConfigs.parse(TestConfigs.allDestinations(BASE, """
        - name: all
          destinations: [pagerduty]
        """), TestConfigs.environment(BASE));
    AlertRouter router = new AlertRouter(config, Destinations.create(config), (destination, page) -> {
      seen.add(ledger.find("pagerduty", "k").orElseThrow().status());
      return new DeliveryResult(DeliveryResult.Status.DELIVERED, 1, 202, "HTTP 202");
    }, ledger, DeadLetterSink.none());

    router.route(alert("ssrf", Severity.HIGH, "k"), NOW);

    assertThat(seen).containsExactly(LedgerEntry.Status.PENDING);
    assertThat(ledger.find("pagerduty", "k")).get().extracting(LedgerEntry::status)
        .isEqualTo(LedgerEntry.Status.SENT);
  }

  @Test
  void stoppingMidRetryForgetsThePendingEntrySoTheNextRunPages() {
    AlertRouter router = router("""
        - name: all
          destinations: [pagerduty]
        """);
    delivery.answer = DeliveryResult.Status.STOPPED;

    assertThatThrownBy(() -> router.route(alert("ssrf", Severity.HIGH, "k"), NOW))
        .isInstanceOf(RouterStoppingException.class);
    assertThat(ledger.find("pagerduty", "k")).isEmpty();
    assertThat(deadLetters).isEmpty();
  }
}
