package io.mcpaudit.router.destination;

import io.mcpaudit.router.config.DestinationConfig;
import io.mcpaudit.router.config.RoutingConfig;
import java.util.LinkedHashMap;
import java.util.Map;

/** Builds each configured destination with its vendor format. */
public final class Destinations {
  private Destinations() {}

  public static Map<String, Destination> create(RoutingConfig config) {
    PageFacts facts = new PageFacts(config.links());
    Map<String, Destination> out = new LinkedHashMap<>();
    config.destinations().forEach((name, d) -> out.put(name, create(d, facts, config.source())));
    return out;
  }

  private static Destination create(DestinationConfig d, PageFacts facts, String source) {
    if (d instanceof DestinationConfig.PagerDuty pd) {
      return new PagerDutyDestination(pd, facts, source);
    }
    if (d instanceof DestinationConfig.Opsgenie og) {
      return new OpsgenieDestination(og, facts, source);
    }
    if (d instanceof DestinationConfig.Slack slack) {
      return new SlackDestination(slack, facts, source);
    }
    return new WebhookDestination((DestinationConfig.Webhook) d, facts);
  }
}
