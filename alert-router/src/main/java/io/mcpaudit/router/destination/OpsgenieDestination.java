package io.mcpaudit.router.destination;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcpaudit.event.Alert;
import io.mcpaudit.router.alert.RoutedAlert;
import io.mcpaudit.router.config.DestinationConfig;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Opsgenie Alert API: {@code POST /v2/alerts} with {@code Authorization: GenieKey <key>}, the
 * dedup key as {@code alias} (Opsgenie folds alerts with an open alias into one), the severity
 * mapped to a priority, and every field held to Opsgenie's documented limits.
 */
public final class OpsgenieDestination implements Destination {
  static final int MESSAGE_MAX = 130;
  static final int ALIAS_MAX = 512;
  static final int DESCRIPTION_MAX = 15_000;
  static final int TAGS_MAX = 20;
  static final int TAG_MAX = 50;
  static final int DETAILS_MAX = 8_000;
  static final int ENTITY_MAX = 512;
  private static final int DETAIL_VALUE_MAX = 1_000;
  private static final int STORM_LINES = 50;

  private final DestinationConfig.Opsgenie config;
  private final PageFacts facts;
  private final String source;

  OpsgenieDestination(DestinationConfig.Opsgenie config, PageFacts facts, String source) {
    this.config = config;
    this.facts = facts;
    this.source = source;
  }

  @Override
  public DestinationConfig config() {
    return config;
  }

  @Override
  public OutgoingRequest render(Page page, Instant attemptTime) {
    ObjectNode body = PageFacts.JSON.createObjectNode();
    List<String> tags = new ArrayList<>();
    tags.add("mcp-audit");
    Map<String, String> details;
    if (page instanceof Page.AlertPage p) {
      RoutedAlert routed = p.alert();
      Alert a = routed.alert();
      body.put("message", PageText.truncate(routed.headline(), MESSAGE_MAX));
      body.put("alias", PageText.fitKey(page.key(), ALIAS_MAX));
      body.put("description", PageText.truncate(description(routed), DESCRIPTION_MAX));
      tags.add(a.getCategory());
      tags.add("severity:" + PageText.lower(a.getSeverity()));
      details = flatten(facts.details(routed, page.route()));
      if (a.getServerName() != null) {
        body.put("entity", PageText.truncate(a.getServerName(), ENTITY_MAX));
      }
    } else {
      Page.StormPage storm = (Page.StormPage) page;
      body.put("message", PageText.truncate(storm.summary(), MESSAGE_MAX));
      body.put("alias", PageText.fitKey(page.key(), ALIAS_MAX));
      body.put("description", PageText.truncate(stormDescription(storm), DESCRIPTION_MAX));
      tags.add("alert-storm");
      details = new LinkedHashMap<>();
      details.put("route", storm.route());
      details.put("count", String.valueOf(storm.alerts().size()));
      details.put("paged_individually", String.valueOf(storm.pagedIndividually()));
      details.put("categories", storm.categorySummary());
      details.put("window_start", storm.windowStart().toString());
      details.put("window_end", storm.windowEnd().toString());
    }
    tags.addAll(config.tags());
    if (!config.responders().isEmpty()) {
      ArrayNode responders = body.putArray("responders");
      config.responders().forEach(r -> {
        ObjectNode o = responders.addObject();
        r.forEach(o::put);
      });
    }
    ArrayNode tagArray = body.putArray("tags");
    new LinkedHashSet<>(tags).stream().limit(TAGS_MAX).map(t -> PageText.truncate(t, TAG_MAX)).forEach(tagArray::add);
    ObjectNode detailNode = body.putObject("details");
    fitDetails(details).forEach(detailNode::put);
    body.put("source", source);
    body.put("priority", config.priorities().get(page.severity()));
    try {
      return new OutgoingRequest(config.endpoint().uri(),
          Map.of("Content-Type", "application/json", "Authorization", "GenieKey " + config.apiKey().reveal()),
          PageFacts.JSON.writeValueAsBytes(body));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private String description(RoutedAlert routed) {
    Alert a = routed.alert();
    StringBuilder d = new StringBuilder(a.getTitle());
    if (a.getDescription() != null) {
      d.append("\n\n").append(a.getDescription());
    }
    if (a.getExcerpt() != null) {
      d.append("\n\nExcerpt:\n").append(a.getExcerpt());
    }
    d.append("\n\nSession: ").append(a.getSessionId());
    if (a.getServerName() != null) {
      d.append("\nServer: ").append(a.getServerName());
      routed.server().ifPresent(s -> d.append(" (owner ").append(s.getOwner()).append(", risk tier ")
          .append(PageText.lower(s.getRiskTier())).append(")"));
    }
    if (a.getUser() != null) {
      d.append("\nUser: ").append(a.getUser());
    }
    d.append("\nSeen ").append(a.getCount()).append(a.getCount() == 1 ? " time" : " times").append(", last at ")
        .append(a.getLastSeen());
    facts.traceLink(routed).ifPresent(l -> d.append("\nTrace: ").append(l));
    return d.toString();
  }

  private String stormDescription(Page.StormPage storm) {
    StringBuilder d = new StringBuilder(storm.summary()).append("\n");
    storm.alerts().stream().limit(STORM_LINES).forEach(r -> {
      d.append("\n- ").append(r.headline()).append(" (session ").append(r.alert().getSessionId()).append(")");
      facts.traceLink(r).ifPresent(l -> d.append(" ").append(l));
    });
    if (storm.alerts().size() > STORM_LINES) {
      d.append("\n… and ").append(storm.alerts().size() - STORM_LINES).append(" more");
    }
    return d.toString();
  }

  /** Opsgenie details are a flat map of strings. */
  private static Map<String, String> flatten(ObjectNode details) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : details.properties()) {
      JsonNode v = e.getValue();
      if (v.isArray()) {
        List<String> items = new ArrayList<>();
        v.forEach(i -> items.add(i.asText()));
        out.put(e.getKey(), String.join(", ", items));
      } else if (v.isObject()) {
        v.properties().forEach(f -> out.put(e.getKey() + "." + f.getKey(), f.getValue().asText()));
      } else {
        out.put(e.getKey(), v.asText());
      }
    }
    return out;
  }

  /** Keeps the map within Opsgenie's total size, capping long values and dropping what no longer fits. */
  private static Map<String, String> fitDetails(Map<String, String> details) {
    Map<String, String> out = new LinkedHashMap<>();
    int used = 0;
    Set<String> dropped = new LinkedHashSet<>();
    for (Map.Entry<String, String> e : details.entrySet()) {
      String value = PageText.truncate(e.getValue(), DETAIL_VALUE_MAX);
      int size = e.getKey().length() + value.length();
      if (used + size > DETAILS_MAX - 100) {
        dropped.add(e.getKey());
        continue;
      }
      out.put(e.getKey(), value);
      used += size;
    }
    if (!dropped.isEmpty()) {
      out.put("omitted", PageText.truncate(String.join(", ", dropped), 90 - "omitted".length()));
    }
    return out;
  }
}
