package io.mcpaudit.router.destination;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcpaudit.event.Alert;
import io.mcpaudit.router.alert.RoutedAlert;
import io.mcpaudit.router.config.DestinationConfig;
import java.time.Instant;
import java.util.Map;

/**
 * PagerDuty Events API v2: a {@code trigger} event per page, with the alert's dedup key as
 * {@code dedup_key} so that PagerDuty folds repeats into the open alert.
 */
public final class PagerDutyDestination implements Destination {
  static final int SUMMARY_MAX = 1024;
  static final int DEDUP_KEY_MAX = 255;
  private static final int STORM_SAMPLE = 20;
  private static final int STORM_LINKS = 5;

  private final DestinationConfig.PagerDuty config;
  private final PageFacts facts;
  private final String client;

  PagerDutyDestination(DestinationConfig.PagerDuty config, PageFacts facts, String client) {
    this.config = config;
    this.facts = facts;
    this.client = client;
  }

  @Override
  public DestinationConfig config() {
    return config;
  }

  @Override
  public OutgoingRequest render(Page page, Instant attemptTime) {
    ObjectNode event = PageFacts.JSON.createObjectNode();
    event.put("routing_key", config.routingKey().reveal());
    event.put("event_action", "trigger");
    event.put("dedup_key", PageText.fitKey(page.key(), DEDUP_KEY_MAX));
    ObjectNode payload = event.putObject("payload");
    ArrayNode links = PageFacts.JSON.createArrayNode();
    if (page instanceof Page.AlertPage p) {
      alertPayload(p, payload, links);
    } else {
      stormPayload((Page.StormPage) page, payload, links);
    }
    if (!links.isEmpty()) {
      event.set("links", links);
    }
    event.put("client", client);
    try {
      return new OutgoingRequest(config.endpoint().uri(), Map.of("Content-Type", "application/json"),
          PageFacts.JSON.writeValueAsBytes(event));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private void alertPayload(Page.AlertPage page, ObjectNode payload, ArrayNode links) {
    RoutedAlert routed = page.alert();
    Alert a = routed.alert();
    payload.put("summary", PageText.truncate(routed.headline(), SUMMARY_MAX));
    payload.put("source", a.getServerName() != null ? a.getServerName() : config.source().orElse(client));
    payload.put("severity", config.severities().get(a.getSeverity()));
    payload.put("timestamp", a.getLastSeen().toString());
    payload.put("component", a.getRuleId());
    routed.server().ifPresent(s -> payload.put("group", s.getOwner()));
    payload.put("class", a.getCategory());
    payload.set("custom_details", facts.details(routed, page.route()));
    facts.traceLink(routed).ifPresent(l -> links.addObject().put("href", l).put("text", "Session trace"));
    facts.alertLink(routed).ifPresent(l -> links.addObject().put("href", l).put("text", "Alert"));
  }

  private void stormPayload(Page.StormPage page, ObjectNode payload, ArrayNode links) {
    payload.put("summary", PageText.truncate(page.summary(), SUMMARY_MAX));
    payload.put("source", config.source().orElse(client));
    payload.put("severity", config.severities().get(page.severity()));
    payload.put("timestamp", page.windowStart().toString());
    payload.put("component", page.route());
    payload.put("class", "alert-storm");
    ObjectNode details = payload.putObject("custom_details");
    details.put("route", page.route());
    details.put("count", page.alerts().size());
    details.put("paged_individually", page.pagedIndividually());
    ObjectNode categories = details.putObject("categories");
    page.categories().forEach(categories::put);
    details.put("window_start", page.windowStart().toString());
    details.put("window_end", page.windowEnd().toString());
    ArrayNode sample = details.putArray("alerts");
    page.alerts().stream().limit(STORM_SAMPLE).forEach(r -> {
      ObjectNode o = sample.addObject();
      o.put("title", r.alert().getTitle());
      o.put("category", r.alert().getCategory());
      o.put("severity", PageText.lower(r.alert().getSeverity()));
      o.put("session", r.alert().getSessionId());
      PageFacts.putIfPresent(o, "server", r.alert().getServerName());
      o.put("dedup_key", r.dedupKey());
    });
    if (page.alerts().size() > STORM_SAMPLE) {
      details.put("alerts_omitted", page.alerts().size() - STORM_SAMPLE);
    }
    page.alerts().stream().limit(STORM_LINKS).forEach(r -> facts.traceLink(r).ifPresent(l ->
        links.addObject().put("href", l).put("text", "Trace of session " + r.alert().getSessionId())));
  }
}
