package io.mcpaudit.router.noise;

import io.mcpaudit.router.alert.RoutedAlert;
import io.mcpaudit.router.config.Route;
import io.mcpaudit.router.destination.Page;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Storm control per route, in tumbling one-minute windows: the first {@code storm_threshold}
 * alerts of a minute page one by one; the rest are held and, when the minute is over, sent as
 * one grouped page per destination with the count and the categories.
 */
public final class StormGrouping {
  public static final Duration WINDOW = Duration.ofMinutes(1);

  /** Whether an alert pages on its own or joins the route's storm page. */
  public enum Admission { INDIVIDUAL, GROUPED }

  private final Map<String, Counter> counters = new HashMap<>();
  private final Map<String, Group> groups = new LinkedHashMap<>();

  private static final class Counter {
    Instant window;
    int count;
  }

  private static final class Group {
    final Instant window;
    final int pagedIndividually;
    final Map<String, LinkedHashMap<String, RoutedAlert>> byDestination = new LinkedHashMap<>();

    Group(Instant window, int pagedIndividually) {
      this.window = window;
      this.pagedIndividually = pagedIndividually;
    }
  }

  /** A storm page ready to send to one destination. */
  public record Due(String destination, Page.StormPage page) {}

  /** Counts one alert on {@code route} at {@code now}. */
  public Admission admit(Route route, Instant now) {
    if (route.stormThreshold() <= 0) {
      return Admission.INDIVIDUAL;
    }
    Instant window = now.truncatedTo(ChronoUnit.MINUTES);
    Counter c = counters.computeIfAbsent(route.name(), k -> new Counter());
    if (!window.equals(c.window)) {
      c.window = window;
      c.count = 0;
    }
    c.count++;
    return c.count > route.stormThreshold() ? Admission.GROUPED : Admission.INDIVIDUAL;
  }

  /** Holds {@code alert} for the storm page of {@code route} to {@code destination}. */
  public void hold(Route route, String destination, RoutedAlert alert, Instant now) {
    Instant window = now.truncatedTo(ChronoUnit.MINUTES);
    Group g = groups.computeIfAbsent(route.name(), k -> new Group(window, route.stormThreshold()));
    g.byDestination.computeIfAbsent(destination, k -> new LinkedHashMap<>()).putIfAbsent(alert.dedupKey(), alert);
  }

  /** Whether an alert with this dedup key is already waiting in a storm page to this destination. */
  public boolean isHeld(String destination, String dedupKey) {
    for (Group g : groups.values()) {
      Map<String, RoutedAlert> held = g.byDestination.get(destination);
      if (held != null && held.containsKey(dedupKey)) {
        return true;
      }
    }
    return false;
  }

  public boolean hasOpenGroups() {
    return !groups.isEmpty();
  }

  /** Removes and returns the storm pages whose minute has ended by {@code now}. */
  public List<Due> takeDue(Instant now) {
    return take(g -> !g.window.plus(WINDOW).isAfter(now));
  }

  /** Removes and returns every storm page, ended or not (on shutdown and when partitions move). */
  public List<Due> takeAll() {
    return take(g -> true);
  }

  private List<Due> take(java.util.function.Predicate<Group> which) {
    List<Due> out = new ArrayList<>();
    Iterator<Map.Entry<String, Group>> it = groups.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<String, Group> e = it.next();
      Group g = e.getValue();
      if (!which.test(g)) {
        continue;
      }
      it.remove();
      g.byDestination.forEach((destination, alerts) -> out.add(new Due(destination,
          new Page.StormPage(e.getKey(), g.window, WINDOW, new ArrayList<>(alerts.values()), g.pagedIndividually))));
    }
    return out;
  }
}
