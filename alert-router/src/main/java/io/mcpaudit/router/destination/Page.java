package io.mcpaudit.router.destination;

import io.mcpaudit.event.Severity;
import io.mcpaudit.router.alert.RoutedAlert;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/** What one request to a destination says: one alert, or a storm of alerts on one route grouped into one page. */
public sealed interface Page {
  /** The route that sent it. */
  String route();

  /** The key destinations deduplicate on: the alert's dedup key, or the storm's own key. */
  String key();

  /** The alerts this page stands for (one, or every alert of the storm). */
  List<RoutedAlert> alerts();

  /** The highest severity among the alerts. */
  default Severity severity() {
    return alerts().stream().map(a -> a.alert().getSeverity()).max(Comparator.naturalOrder()).orElse(Severity.LOW);
  }

  /** One alert. */
  record AlertPage(String route, RoutedAlert alert) implements Page {
    @Override
    public String key() {
      return alert.dedupKey();
    }

    @Override
    public List<RoutedAlert> alerts() {
      return List.of(alert);
    }
  }

  /**
   * More alerts in one minute on one route than its storm threshold: everything past the
   * threshold, in one page.
   *
   * @param pagedIndividually how many alerts of that minute were paged one by one before the storm began
   */
  record StormPage(String route, Instant windowStart, Duration window, List<RoutedAlert> alerts,
                   int pagedIndividually) implements Page {
    public StormPage {
      alerts = List.copyOf(alerts);
    }

    @Override
    public String key() {
      return "storm|" + route + "|" + windowStart;
    }

    public Instant windowEnd() {
      return windowStart.plus(window);
    }

    /** Alerts per category, by category name. */
    public SortedMap<String, Integer> categories() {
      SortedMap<String, Integer> counts = new TreeMap<>();
      alerts.forEach(a -> counts.merge(a.alert().getCategory(), 1, Integer::sum));
      return counts;
    }

    /** {@code token-reuse ×20, ssrf ×17}, most frequent first. */
    public String categorySummary() {
      return categories().entrySet().stream()
          .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
          .map(e -> e.getKey() + " ×" + e.getValue())
          .reduce((a, b) -> a + ", " + b).orElse("");
    }

    /** {@code Alert storm on route 'critical': 37 alerts in one minute (token-reuse ×20, ssrf ×17)}. */
    public String summary() {
      return "Alert storm on route '" + route + "': " + alerts.size() + " more alert" + (alerts.size() == 1 ? "" : "s")
          + " in one minute after " + pagedIndividually + " paged individually (" + categorySummary() + ")";
    }
  }
}
