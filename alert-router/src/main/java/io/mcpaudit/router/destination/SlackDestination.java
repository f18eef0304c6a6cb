package io.mcpaudit.router.destination;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcpaudit.event.Alert;
import io.mcpaudit.router.alert.RoutedAlert;
import io.mcpaudit.router.config.DestinationConfig;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * A Slack incoming webhook with a Block Kit message: header, the title and description, the key
 * facts as fields, the excerpt, and a button to the session trace. Alert text is untrusted (it
 * may quote a prompt-injection payload), so it is escaped: it cannot mention {@code @channel},
 * users or make links.
 */
public final class SlackDestination implements Destination {
  static final int HEADER_MAX = 150;
  static final int SECTION_MAX = 3_000;
  static final int FIELD_MAX = 2_000;
  static final int FIELDS_MAX = 10;
  static final int FALLBACK_MAX = 3_000;
  private static final int STORM_LINES = 15;

  private final DestinationConfig.Slack config;
  private final PageFacts facts;
  private final String source;

  SlackDestination(DestinationConfig.Slack config, PageFacts facts, String source) {
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
    ObjectNode message = PageFacts.JSON.createObjectNode();
    ArrayNode blocks = PageFacts.JSON.createArrayNode();
    String fallback;
    if (page instanceof Page.AlertPage p) {
      fallback = alertBlocks(p, blocks);
    } else {
      fallback = stormBlocks((Page.StormPage) page, blocks);
    }
    message.put("text", PageText.truncate(escape(fallback), FALLBACK_MAX));
    message.set("blocks", blocks);
    try {
      return new OutgoingRequest(config.endpoint().uri(), Map.of("Content-Type", "application/json"),
          PageFacts.JSON.writeValueAsBytes(message));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private String alertBlocks(Page.AlertPage page, ArrayNode blocks) {
    RoutedAlert routed = page.alert();
    Alert a = routed.alert();
    header(blocks, a.getSeverity() + " · " + a.getCategory()
        + (a.getServerName() == null ? "" : " on " + a.getServerName()));
    String text = "*" + escape(a.getTitle()) + "*"
        + (a.getDescription() == null ? "" : "\n" + escape(a.getDescription()));
    section(blocks, text);
    ArrayNode fields = blocks.addObject().put("type", "section").putArray("fields");
    field(fields, "Severity", PageText.lower(a.getSeverity()));
    field(fields, "Category", a.getCategory());
    if (a.getServerName() != null) {
      field(fields, "Server", a.getServerName() + routed.server()
          .map(s -> " (risk tier " + PageText.lower(s.getRiskTier()) + ")").orElse(""));
    }
    routed.server().ifPresent(s -> field(fields, "Owner", s.getOwner()));
    field(fields, "Session", a.getSessionId());
    if (a.getUser() != null) {
      field(fields, "User", a.getUser());
    }
    if (a.getClientAgent() != null) {
      field(fields, "Client", a.getClientAgent());
    }
    field(fields, "Rule", a.getRuleId());
    field(fields, "Seen", a.getCount() + (a.getCount() == 1 ? " time" : " times") + ", last " + a.getLastSeen());
    if (a.getExcerpt() != null) {
      String code = escape(a.getExcerpt()).replace("```", "'''");
      section(blocks, "*Excerpt*\n```" + PageText.truncate(code, SECTION_MAX - 30) + "```");
    }
    button(blocks, facts.traceLink(routed), "Open session trace");
    context(blocks, source + " · route " + page.route() + " · alert " + a.getAlertId() + " · dedup key "
        + a.getDedupKey());
    return routed.headline();
  }

  private String stormBlocks(Page.StormPage storm, ArrayNode blocks) {
    header(blocks, "Alert storm · " + storm.alerts().size() + " alerts on route " + storm.route());
    section(blocks, escape(storm.summary()));
    ArrayNode fields = blocks.addObject().put("type", "section").putArray("fields");
    storm.categories().entrySet().stream().limit(FIELDS_MAX)
        .forEach(e -> field(fields, e.getKey(), String.valueOf(e.getValue())));
    StringBuilder list = new StringBuilder();
    storm.alerts().stream().limit(STORM_LINES).forEach(r -> list.append("• ").append(escape(r.headline()))
        .append(" (session ").append(escape(r.alert().getSessionId())).append(")\n"));
    if (storm.alerts().size() > STORM_LINES) {
      list.append("… and ").append(storm.alerts().size() - STORM_LINES).append(" more");
    }
    section(blocks, list.toString().strip());
    button(blocks, storm.alerts().stream().map(facts::traceLink).flatMap(Optional::stream).findFirst(),
        "Open first trace");
    context(blocks, source + " · route " + storm.route() + " · window " + storm.windowStart() + " – "
        + storm.windowEnd());
    return storm.summary();
  }

  private static void header(ArrayNode blocks, String text) {
    blocks.addObject().put("type", "header").putObject("text").put("type", "plain_text")
        .put("text", PageText.truncate(text, HEADER_MAX));
  }

  private static void section(ArrayNode blocks, String mrkdwn) {
    blocks.addObject().put("type", "section").putObject("text").put("type", "mrkdwn")
        .put("text", PageText.truncate(mrkdwn, SECTION_MAX));
  }

  private static void field(ArrayNode fields, String name, String value) {
    if (fields.size() < FIELDS_MAX) {
      fields.addObject().put("type", "mrkdwn").put("text", PageText.truncate("*" + escape(name) + "*\n"
          + escape(value), FIELD_MAX));
    }
  }

  private static void button(ArrayNode blocks, Optional<String> url, String label) {
    url.filter(u -> u.length() <= 3000).ifPresent(u -> {
      ObjectNode button = blocks.addObject().put("type", "actions").putArray("elements").addObject();
      button.put("type", "button");
      button.putObject("text").put("type", "plain_text").put("text", label);
      button.put("url", u);
      button.put("action_id", "open-trace");
    });
  }

  private static void context(ArrayNode blocks, String text) {
    blocks.addObject().put("type", "context").putArray("elements").addObject().put("type", "mrkdwn")
        .put("text", PageText.truncate(escape(text), SECTION_MAX));
  }

  /** Slack's three control characters; with them escaped, text cannot mention, link or format channels. */
  static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
