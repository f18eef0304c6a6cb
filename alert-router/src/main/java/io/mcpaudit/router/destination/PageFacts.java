package io.mcpaudit.router.destination;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcpaudit.event.Alert;
import io.mcpaudit.router.alert.RoutedAlert;
import io.mcpaudit.router.config.LinkTemplate;
import io.mcpaudit.router.config.Links;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The facts every destination shows about an alert, and the links back to the investigation UI. */
final class PageFacts {
  static final ObjectMapper JSON = new ObjectMapper();

  private final Links links;

  PageFacts(Links links) {
    this.links = links;
  }

  Optional<String> traceLink(RoutedAlert a) {
    return links.trace().map(t -> t.expand(values(a)));
  }

  Optional<String> alertLink(RoutedAlert a) {
    return links.alert().map(t -> t.expand(values(a)));
  }

  private static Map<String, String> values(RoutedAlert routed) {
    Alert a = routed.alert();
    Map<String, String> v = new HashMap<>();
    v.put("session", a.getSessionId());
    v.put("alert_id", a.getAlertId());
    v.put("dedup_key", a.getDedupKey());
    v.put("server", a.getServerName() == null ? "" : a.getServerName());
    v.put("rule_id", a.getRuleId());
    v.put("category", a.getCategory());
    assert v.keySet().equals(LinkTemplate.PLACEHOLDERS);
    return v;
  }

  /** The alert as an object of named facts (PagerDuty custom_details, Opsgenie details before stringifying). */
  ObjectNode details(RoutedAlert routed, String route) {
    Alert a = routed.alert();
    ObjectNode d = JSON.createObjectNode();
    d.put("alert_id", a.getAlertId());
    d.put("category", a.getCategory());
    d.put("rule_id", a.getRuleId());
    d.put("severity", PageText.lower(a.getSeverity()));
    d.put("session", a.getSessionId());
    putIfPresent(d, "server", a.getServerName());
    routed.server().ifPresent(s -> {
      d.put("owner", s.getOwner());
      d.put("risk_tier", PageText.lower(s.getRiskTier()));
    });
    putIfPresent(d, "user", a.getUser());
    putIfPresent(d, "client_agent", a.getClientAgent());
    d.put("count", a.getCount());
    d.put("first_seen", a.getFirstSeen().toString());
    d.put("last_seen", a.getLastSeen().toString());
    putIfPresent(d, "description", a.getDescription());
    putIfPresent(d, "excerpt", a.getExcerpt());
    ArrayNode evidence = d.putArray("evidence_event_ids");
    a.getEvidenceEventIds().forEach(evidence::add);
    d.put("dedup_key", a.getDedupKey());
    d.put("route", route);
    if (!a.getAttributes().isEmpty()) {
      ObjectNode attrs = d.putObject("attributes");
      new TreeMap<>(a.getAttributes()).forEach(attrs::put);
    }
    traceLink(routed).ifPresent(l -> d.put("trace_url", l));
    return d;
  }

  static void putIfPresent(ObjectNode o, String key, String value) {
    if (value != null) {
      o.put(key, value);
    }
  }
}
