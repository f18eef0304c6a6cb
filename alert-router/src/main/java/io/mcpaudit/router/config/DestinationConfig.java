package io.mcpaudit.router.config;

import io.mcpaudit.event.Severity;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One place pages go, by type. Every secret it holds is listed by {@link #secrets()} for redaction. */
public sealed interface DestinationConfig {
  String name();

  /** {@code pagerduty}, {@code opsgenie}, {@code slack} or {@code webhook}. */
  String type();

  Endpoint endpoint();

  List<Secret> secrets();

  /** PagerDuty Events API v2. */
  record PagerDuty(String name, Endpoint endpoint, Secret routingKey, Map<Severity, String> severities,
                   Optional<String> source) implements DestinationConfig {
    public static final String DEFAULT_URL = "https://events.pagerduty.com/v2/enqueue";

    @Override
    public String type() {
      return "pagerduty";
    }

    @Override
    public List<Secret> secrets() {
      return withEndpoint(endpoint, List.of(routingKey));
    }
  }

  /** Opsgenie Alert API ({@code POST /v2/alerts}). */
  record Opsgenie(String name, Endpoint endpoint, Secret apiKey, Map<Severity, String> priorities,
                  List<String> tags, List<Map<String, String>> responders) implements DestinationConfig {
    public static final String DEFAULT_URL = "https://api.opsgenie.com/v2/alerts";

    @Override
    public String type() {
      return "opsgenie";
    }

    @Override
    public List<Secret> secrets() {
      return withEndpoint(endpoint, List.of(apiKey));
    }
  }

  /** A Slack incoming webhook; its URL is the secret. */
  record Slack(String name, Endpoint endpoint) implements DestinationConfig {
    @Override
    public String type() {
      return "slack";
    }

    @Override
    public List<Secret> secrets() {
      return withEndpoint(endpoint, List.of());
    }
  }

  /** A generic JSON webhook, signed with HMAC-SHA-256 so receivers can check origin and reject replays. */
  record Webhook(String name, Endpoint endpoint, Secret signingSecret, Map<String, TextValue> headers)
      implements DestinationConfig {
    @Override
    public String type() {
      return "webhook";
    }

    @Override
    public List<Secret> secrets() {
      List<Secret> all = new ArrayList<>(withEndpoint(endpoint, List.of(signingSecret)));
      headers.values().forEach(v -> v.secret().ifPresent(all::add));
      return List.copyOf(all);
    }
  }

  private static List<Secret> withEndpoint(Endpoint endpoint, List<Secret> others) {
    List<Secret> all = new ArrayList<>(others);
    endpoint.secret().ifPresent(all::add);
    return List.copyOf(all);
  }
}
