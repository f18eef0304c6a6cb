package io.mcpaudit.router.routing;

import io.mcpaudit.event.Alert;
import io.mcpaudit.router.alert.Origin;
import io.mcpaudit.router.alert.RoutedAlert;
import io.mcpaudit.router.config.Durations;
import io.mcpaudit.router.config.Route;
import io.mcpaudit.router.config.RoutingConfig;
import io.mcpaudit.router.delivery.DeliveryResult;
import io.mcpaudit.router.delivery.Delivery;
import io.mcpaudit.router.destination.Destination;
import io.mcpaudit.router.destination.Page;
import io.mcpaudit.router.noise.DeliveryLedger;
import io.mcpaudit.router.noise.LedgerEntry;
import io.mcpaudit.router.noise.StormGrouping;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The routing decision and its side effects, with no Kafka in it: match routes, drop repeats
 * within the dedup window, hold storms for a grouped page, deliver, and record each step in the
 * ledger before and after the request. The Kafka router and {@code mcp-audit route --input}
 * both drive this class; time is always passed in, so a file replays the same way every time.
 */
public final class AlertRouter {
  private final RoutingConfig config;
  private final Map<String, Destination> destinations;
  private final Delivery delivery;
  private final DeliveryLedger ledger;
  private final DeadLetterSink deadLetters;
  private final StormGrouping storms = new StormGrouping();

  public AlertRouter(RoutingConfig config, Map<String, Destination> destinations, Delivery delivery,
                     DeliveryLedger ledger, DeadLetterSink deadLetters) {
    this.config = config;
    this.destinations = Map.copyOf(destinations);
    this.delivery = delivery;
    this.ledger = ledger;
    this.deadLetters = deadLetters;
  }

  /**
   * Routes one alert at {@code now}.
   *
   * @throws RouterStoppingException when the router is stopping mid-retry; the alert is not settled
   */
  public List<RoutingOutcome> route(RoutedAlert alert, Instant now) {
    List<RoutingOutcome> outcomes = new ArrayList<>();
    List<Route> routes = RouteMatcher.matching(config.routes(), alert);
    if (routes.isEmpty()) {
      outcomes.add(outcome(RoutingOutcome.Kind.UNROUTED, alert, null, null, "no route matched"));
      return outcomes;
    }
    Set<String> handled = new HashSet<>();
    for (Route route : routes) {
      List<String> pageable = new ArrayList<>();
      for (String destination : route.destinations()) {
        if (!handled.add(destination)) {
          continue; // an earlier route already took this alert to this destination
        }
        Optional<RoutingOutcome> held = alreadyPaged(route, destination, alert, now);
        if (held.isPresent()) {
          outcomes.add(held.get());
        } else {
          pageable.add(destination);
        }
      }
      if (pageable.isEmpty()) {
        continue;
      }
      if (storms.admit(route, now) == StormGrouping.Admission.GROUPED) {
        for (String destination : pageable) {
          storms.hold(route, destination, alert, now);
          outcomes.add(outcome(RoutingOutcome.Kind.GROUPED, alert, route.name(), destination,
              "more than " + route.stormThreshold() + " alerts this minute; held for the storm page"));
        }
        continue;
      }
      for (String destination : pageable) {
        outcomes.add(deliver(route.name(), destinations.get(destination), new Page.AlertPage(route.name(), alert),
            now));
      }
    }
    return outcomes;
  }

  /** Sends the storm pages whose minute has ended. */
  public List<RoutingOutcome> flushDue(Instant now) {
    return flush(storms.takeDue(now), now);
  }

  /** Sends every held storm page now (shutdown, partitions moving away, end of a file). */
  public List<RoutingOutcome> flushAll(Instant now) {
    return flush(storms.takeAll(), now);
  }

  /** Whether alerts are held for a storm page that has not been sent yet. */
  public boolean hasOpenGroups() {
    return storms.hasOpenGroups();
  }

  private List<RoutingOutcome> flush(List<StormGrouping.Due> due, Instant now) {
    List<RoutingOutcome> outcomes = new ArrayList<>();
    for (StormGrouping.Due d : due) {
      outcomes.add(deliver(d.page().route(), destinations.get(d.destination()), d.page(), now));
    }
    return outcomes;
  }

  private Optional<RoutingOutcome> alreadyPaged(Route route, String destination, RoutedAlert alert, Instant now) {
    Duration window = config.noise().dedupWindow();
    Optional<LedgerEntry> entry = ledger.find(destination, alert.dedupKey())
        .filter(e -> e.at().plus(window).isAfter(now));
    if (entry.isPresent()) {
      LedgerEntry e = entry.get();
      if (e.status() == LedgerEntry.Status.PENDING) {
        // Delivery is synchronous, so a pending entry was left by a router that stopped mid-request.
        String reason = "a router stopped while delivering this alert to " + destination + " (attempt started "
            + e.at() + "); whether the page arrived is unknown, so it is not sent again within the dedup window";
        ledger.record(e.with(LedgerEntry.Status.UNKNOWN));
        deadLetters.deadLetter(alert.origin(), destination, reason);
        return Optional.of(outcome(RoutingOutcome.Kind.UNKNOWN, alert, route.name(), destination, reason));
      }
      return Optional.of(outcome(RoutingOutcome.Kind.SUPPRESSED, alert, route.name(), destination,
          "already " + describe(e.status()) + " at " + e.at() + "; dedup window " + Durations.format(window)));
    }
    if (storms.isHeld(destination, alert.dedupKey())) {
      return Optional.of(outcome(RoutingOutcome.Kind.SUPPRESSED, alert, route.name(), destination,
          "already held for this minute's storm page"));
    }
    return Optional.empty();
  }

  private static String describe(LedgerEntry.Status status) {
    return switch (status) {
      case SENT -> "paged";
      case FAILED -> "failed and dead-lettered";
      case UNKNOWN -> "attempted by a stopped router";
      case PENDING -> "being paged";
    };
  }

  private RoutingOutcome deliver(String route, Destination destination, Page page, Instant now) {
    for (RoutedAlert a : page.alerts()) {
      ledger.record(entry(destination, a, LedgerEntry.Status.PENDING, now));
    }
    DeliveryResult result = delivery.deliver(destination, page);
    switch (result.status()) {
      case DELIVERED -> page.alerts().forEach(a -> ledger.record(entry(destination, a, LedgerEntry.Status.SENT, now)));
      case STOPPED -> {
        page.alerts().forEach(a -> ledger.forget(destination.name(), a.dedupKey()));
        throw new RouterStoppingException("stopped while delivering " + page.key() + " to " + destination.name()
            + ": " + result.detail());
      }
      default -> {
        String reason = "delivery to " + destination.name() + " failed: " + result.detail();
        for (RoutedAlert a : page.alerts()) {
          ledger.record(entry(destination, a, LedgerEntry.Status.FAILED, now));
          deadLetters.deadLetter(a.origin(), destination.name(), reason);
        }
      }
    }
    RoutingOutcome.Kind kind = result.delivered() ? RoutingOutcome.Kind.SENT : RoutingOutcome.Kind.FAILED;
    if (page instanceof Page.StormPage storm) {
      return new RoutingOutcome(kind, storm.summary(), storm.key(), "storm", Optional.of(route),
          Optional.of(destination.name()), result.detail());
    }
    RoutedAlert alert = page.alerts().get(0);
    return outcome(kind, alert, route, destination.name(), result.detail());
  }

  private static LedgerEntry entry(Destination destination, RoutedAlert a, LedgerEntry.Status status, Instant now) {
    Alert alert = a.alert();
    return new LedgerEntry(destination.name(), a.dedupKey(), status, now, alert.getAlertId(), alert.getCount());
  }

  private static RoutingOutcome outcome(RoutingOutcome.Kind kind, RoutedAlert alert, String route,
                                        String destination, String detail) {
    Origin origin = alert.origin();
    return new RoutingOutcome(kind, alert.headline(), alert.dedupKey(), origin.source(), Optional.ofNullable(route),
        Optional.ofNullable(destination), detail);
  }
}
