package io.mcpaudit.testing;

import io.mcpaudit.stack.StackEndpoints;
import java.net.URI;
import org.opensearch.testcontainers.OpenSearchContainer;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.kafka.ConfluentKafkaContainer;
import org.testcontainers.lifecycle.Startables;
import org.testcontainers.utility.DockerImageName;

/** Kafka, Confluent's schema registry and OpenSearch (security off) as containers on one network. */
final class ContainerServices implements AutoCloseable {

  private static final String KAFKA_INSIDE = "kafka:19092";
  private static final int REGISTRY_PORT = 8081;

  private final Network network;
  private final ConfluentKafkaContainer kafka;
  private final GenericContainer<?> registry;
  private final OpenSearchContainer<?> openSearch;

  private ContainerServices(Network network, ConfluentKafkaContainer kafka, GenericContainer<?> registry,
      OpenSearchContainer<?> openSearch) {
    this.network = network;
    this.kafka = kafka;
    this.registry = registry;
    this.openSearch = openSearch;
  }

  static ContainerServices start(ItImages images) {
    Network network = Network.newNetwork();
    // The registry reaches Kafka inside the network; tests reach both through mapped ports.
    ConfluentKafkaContainer kafka = new ConfluentKafkaContainer(DockerImageName.parse(images.kafka()))
        .withNetwork(network)
        .withListener(KAFKA_INSIDE);
    GenericContainer<?> registry = new GenericContainer<>(DockerImageName.parse(images.schemaRegistry()))
        .withNetwork(network)
        .withExposedPorts(REGISTRY_PORT)
        .withEnv("SCHEMA_REGISTRY_HOST_NAME", "schema-registry")
        .withEnv("SCHEMA_REGISTRY_LISTENERS", "http://0.0.0.0:" + REGISTRY_PORT)
        .withEnv("SCHEMA_REGISTRY_KAFKASTORE_BOOTSTRAP_SERVERS", "PLAINTEXT://" + KAFKA_INSIDE)
        .dependsOn(kafka)
        .waitingFor(Wait.forHttp("/subjects").forStatusCode(200));
    OpenSearchContainer<?> openSearch = new OpenSearchContainer<>(DockerImageName.parse(images.openSearch()));
    Startables.deepStart(kafka, registry, openSearch).join();
    return new ContainerServices(network, kafka, registry, openSearch);
  }

  StackEndpoints endpoints() {
    return new StackEndpoints(
        kafka.getBootstrapServers(),
        URI.create("http://" + registry.getHost() + ":" + registry.getMappedPort(REGISTRY_PORT)),
        URI.create(openSearch.getHttpHostAddress()));
  }

  @Override
  public void close() {
    openSearch.stop();
    registry.stop();
    kafka.stop();
    network.close();
  }
}
