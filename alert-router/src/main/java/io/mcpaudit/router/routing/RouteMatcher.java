package io.mcpaudit.router.routing;

import io.mcpaudit.event.Alert;
import io.mcpaudit.event.InventoryEntry;
import io.mcpaudit.router.alert.RoutedAlert;
import io.mcpaudit.router.config.Match;
import io.mcpaudit.router.config.Route;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Which routes an alert takes: in order, stopping at the first match unless that route says {@code continue}. */
public final class RouteMatcher {
  private RouteMatcher() {}

  public static List<Route> matching(List<Route> routes, RoutedAlert alert) {
    List<Route> out = new ArrayList<>();
    for (Route route : routes) {
      if (matches(route.match(), alert)) {
        out.add(route);
        if (!route.continueMatching()) {
          break;
        }
      }
    }
    return out;
  }

  public static boolean matches(Match m, RoutedAlert routed) {
    Alert a = routed.alert();
    Optional<InventoryEntry> server = routed.server();
    if (m.severityAtLeast().isPresent() && a.getSeverity().compareTo(m.severityAtLeast().get()) < 0) {
      return false;
    }
    if (!m.severities().isEmpty() && !m.severities().contains(a.getSeverity())) {
      return false;
    }
    if (!m.categories().isEmpty() && !m.categories().contains(a.getCategory())) {
      return false;
    }
    if (!m.ruleIds().isEmpty() && !m.ruleIds().contains(a.getRuleId())) {
      return false;
    }
    if (!m.servers().isEmpty() && (a.getServerName() == null || !m.servers().contains(a.getServerName()))) {
      return false;
    }
    if (!m.riskTiers().isEmpty() && (server.isEmpty() || !m.riskTiers().contains(server.get().getRiskTier()))) {
      return false;
    }
    return m.owners().isEmpty() || (server.isPresent() && m.owners().contains(server.get().getOwner()));
  }
}
