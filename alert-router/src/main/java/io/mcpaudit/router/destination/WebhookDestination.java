package io.mcpaudit.router.destination;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcpaudit.router.alert.AlertJson;
import io.mcpaudit.router.alert.RoutedAlert;
import io.mcpaudit.router.config.DestinationConfig;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A generic JSON webhook. The body is an envelope around the flat alert form; each attempt is
 * signed afresh (HMAC-SHA-256 over {@code "<timestamp>.<body>"}, see {@link WebhookSignature}),
 * and {@code X-McpAudit-Delivery} stays the same across retries so receivers can drop repeats.
 */
public final class WebhookDestination implements Destination {
  private final DestinationConfig.Webhook config;
  private final PageFacts facts;

  WebhookDestination(DestinationConfig.Webhook config, PageFacts facts) {
    this.config = config;
    this.facts = facts;
  }

  @Override
  public DestinationConfig config() {
    return config;
  }

  /** The same id for every attempt at one page to this destination. */
  public String deliveryId(Page page) {
    String alertIds = page.alerts().stream().map(a -> a.alert().getAlertId()).reduce("", (x, y) -> x + "," + y);
    return PageText.sha256(config.name() + "|" + page.key() + "|" + alertIds).substring(0, 32);
  }

  /** The JSON body for a page; the same bytes on every attempt. */
  public byte[] body(Page page) {
    ObjectNode body = PageFacts.JSON.createObjectNode();
    body.put("type", page instanceof Page.AlertPage ? "alert" : "storm");
    body.put("route", page.route());
    body.put("destination", config.name());
    body.put("delivery_id", deliveryId(page));
    if (page instanceof Page.AlertPage p) {
      RoutedAlert routed = p.alert();
      body.set("alert", AlertJson.toJson(routed.alert()));
      routed.server().ifPresent(s -> {
        ObjectNode server = body.putObject("server");
        server.put("name", s.getName());
        server.put("owner", s.getOwner());
        server.put("risk_tier", PageText.lower(s.getRiskTier()));
      });
      ObjectNode links = PageFacts.JSON.createObjectNode();
      facts.traceLink(routed).ifPresent(l -> links.put("trace", l));
      facts.alertLink(routed).ifPresent(l -> links.put("alert", l));
      if (!links.isEmpty()) {
        body.set("links", links);
      }
    } else {
      Page.StormPage storm = (Page.StormPage) page;
      body.put("summary", storm.summary());
      body.put("window_start", storm.windowStart().toString());
      body.put("window_end", storm.windowEnd().toString());
      body.put("count", storm.alerts().size());
      body.put("paged_individually", storm.pagedIndividually());
      ObjectNode categories = body.putObject("categories");
      storm.categories().forEach(categories::put);
      ArrayNode alerts = body.putArray("alerts");
      storm.alerts().forEach(a -> alerts.add(AlertJson.toJson(a.alert())));
    }
    try {
      return PageFacts.JSON.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public OutgoingRequest render(Page page, Instant attemptTime) {
    byte[] body = body(page);
    long timestamp = attemptTime.getEpochSecond();
    Map<String, String> headers = new LinkedHashMap<>();
    config.headers().forEach((k, v) -> headers.put(k, v.value()));
    headers.put("Content-Type", "application/json");
    headers.put(WebhookSignature.TIMESTAMP_HEADER, Long.toString(timestamp));
    headers.put(WebhookSignature.SIGNATURE_HEADER, WebhookSignature.sign(config.signingSecret().reveal(), timestamp,
        body));
    headers.put(WebhookSignature.DELIVERY_HEADER, deliveryId(page));
    return new OutgoingRequest(config.endpoint().uri(), headers, body);
  }
}
