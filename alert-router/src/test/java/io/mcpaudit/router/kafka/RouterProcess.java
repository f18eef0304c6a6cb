package io.mcpaudit.router.kafka;

import io.mcpaudit.router.config.RoutingConfig;
import io.mcpaudit.schema.registry.SchemaRegistryClient;
import io.mcpaudit.schema.registry.SchemaRegistryConfig;
import java.net.URI;
import java.nio.file.Path;

/** A router in a JVM of its own, so that a test can kill it (SIGKILL) in the middle of a delivery. */
public final class RouterProcess {
  private RouterProcess() {}

  /** Arguments: routing config file, Kafka bootstrap servers, schema registry URL. */
  public static void main(String[] args) {
    RoutingConfig config = RoutingConfig.load(Path.of(args[0]));
    SchemaRegistryClient registry = new SchemaRegistryClient(SchemaRegistryConfig.of(URI.create(args[2])));
    new KafkaAlertRouter(config, args[1], registry).run();
  }
}
