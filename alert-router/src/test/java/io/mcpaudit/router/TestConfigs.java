package io.mcpaudit.router;

import io.mcpaudit.router.config.Environment;
import io.mcpaudit.router.config.RoutingConfig;
import io.mcpaudit.router.config.RoutingConfigLoader;
import java.nio.file.Path;
import java.util.Map;

/** Routing configurations for tests, written as users write them. */
public final class TestConfigs {
  public static final String PD_KEY = "R0UT1NGKEY0123456789abcdefABCDEF";
  public static final String OPSGENIE_KEY = "eb243592-faa2-4ba2-a551-1afdf565c889";
  public static final String SLACK_PATH = "/services/T000SECRET/B000SECRET/XXXXsecretXXXXtokenXXXX";
  public static final String SIGNING_SECRET = "whsec-7f3a9c1e5b2d4f6a8c0e";

  private TestConfigs() {}

  /** The environment a test config's secrets come from, with Slack's webhook on {@code baseUrl}. */
  public static Environment environment(String baseUrl) {
    return Environment.of(Map.of(
        "PD_ROUTING_KEY", PD_KEY,
        "OPSGENIE_API_KEY", OPSGENIE_KEY,
        "SLACK_WEBHOOK_URL", baseUrl + SLACK_PATH,
        "WEBHOOK_SIGNING_SECRET", SIGNING_SECRET));
  }

  /** All four destination types on {@code baseUrl}, one catch-all route to each, fast retries. */
  public static String allDestinations(String baseUrl, String routes) {
    return """
        version: 1
        allow_insecure_destinations: true
        links:
          trace: https://dashboards.example/app/mcp-audit#/trace/{session}
          alert: https://dashboards.example/app/mcp-audit#/alert/{alert_id}
        delivery:
          connect_timeout: 5s
          request_timeout: 5s
          max_attempts: 4
          initial_backoff: 50ms
          max_backoff: 200ms
          retry_budget: 10s
        noise:
          dedup_window: 1h
          storm_threshold: 0
        destinations:
          pagerduty:
            type: pagerduty
            url: %1$s/v2/enqueue
            routing_key: {env: PD_ROUTING_KEY}
          opsgenie:
            type: opsgenie
            url: %1$s/v2/alerts
            api_key: {env: OPSGENIE_API_KEY}
            tags: [soc]
            responders: [{type: team, name: platform}]
          slack:
            type: slack
            webhook_url: {env: SLACK_WEBHOOK_URL}
          webhook:
            type: webhook
            url: %1$s/hooks/mcp-audit
            signing_secret: {env: WEBHOOK_SIGNING_SECRET}
            headers:
              X-Team: soc
        routes:
        %2$s
        """.formatted(baseUrl, routes.indent(2).stripTrailing());
  }

  public static RoutingConfig parse(String yaml, Environment environment) {
    return RoutingConfigLoader.parse(yaml, "test.yml", environment, Path.of("."));
  }

  /** One route that sends everything to all four destinations. */
  public static final String EVERYTHING = """
      - name: everything
        destinations: [pagerduty, opsgenie, slack, webhook]
      """;

  public static RoutingConfig allDestinations(String baseUrl) {
    return parse(allDestinations(baseUrl, EVERYTHING), environment(baseUrl));
  }
}
