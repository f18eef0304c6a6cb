package io.mcpaudit.router.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The alert router's whole configuration, validated: destinations with their secrets resolved,
 * routes that name only known destinations, and the noise, delivery and Kafka settings. Load it
 * with {@link RoutingConfigLoader}; the format is documented in docs/alert-routing.md.
 *
 * @param source the name pages give as their sender (PagerDuty {@code client}, Opsgenie {@code source})
 */
public record RoutingConfig(
    String source,
    boolean allowInsecureDestinations,
    Links links,
    DeliveryPolicy delivery,
    NoisePolicy noise,
    KafkaSection kafka,
    Map<String, DestinationConfig> destinations,
    List<Route> routes) {

  /** Reads, validates and resolves secrets from the process environment. */
  public static RoutingConfig load(Path file) {
    return RoutingConfigLoader.load(file, Environment.system());
  }

  /** This configuration with shared Kafka client properties under the file's own {@code kafka.client}. */
  public RoutingConfig withKafkaClientDefaults(Map<String, Object> defaults) {
    return new RoutingConfig(source, allowInsecureDestinations, links, delivery, noise,
        kafka.withClientDefaults(defaults), destinations, routes);
  }

  /** Every secret in the configuration, so that text about to be logged or stored can be redacted. */
  public List<Secret> secrets() {
    List<Secret> all = new ArrayList<>();
    destinations.values().forEach(d -> all.addAll(d.secrets()));
    kafka.client().values().forEach(v -> v.secret().ifPresent(all::add));
    return List.copyOf(all);
  }

  /** Text with every configured secret value replaced by a note of where it came from. */
  public String redact(String text) {
    String out = text;
    for (DestinationConfig d : destinations.values()) {
      out = d.endpoint().redact(out);
    }
    for (Secret s : secrets()) {
      out = s.redact(out);
    }
    return out;
  }
}
