package io.mcpaudit.testing;

import io.mcpaudit.stack.StackEndpoints;
import io.mcpaudit.stack.StackException;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.testcontainers.DockerClientFactory;

/**
 * The real servers one test JVM uses, or why it has none. A failure is kept too, so that every later
 * test class fails at once with the same message instead of waiting for the servers again.
 */
final class SharedServices implements AutoCloseable {

  static final String PROVIDER_ENV = "MCP_AUDIT_IT_PROVIDER";
  private static final List<String> ENDPOINT_ENV = List.of("MCP_AUDIT_IT_KAFKA", "MCP_AUDIT_IT_REGISTRY", "MCP_AUDIT_IT_OPENSEARCH");

  private final StackEndpoints endpoints;
  private final String failure;
  private final ContainerServices containers;

  private SharedServices(StackEndpoints endpoints, String failure, ContainerServices containers) {
    this.endpoints = endpoints;
    this.failure = failure;
    this.containers = containers;
  }

  static SharedServices start() {
    Consumer<String> progress = line -> System.err.println("[real-services] " + line);
    try {
      return choose(System.getenv(), progress);
    } catch (StackException | RuntimeException e) {
      return new SharedServices(null, "no real servers for the integration tests: " + e.getMessage(), null);
    }
  }

  private static SharedServices choose(Map<String, String> env, Consumer<String> progress) throws StackException {
    List<String> missing = ENDPOINT_ENV.stream().filter(name -> blank(env.get(name))).toList();
    if (missing.isEmpty()) {
      progress.accept("using the servers named by " + String.join(", ", ENDPOINT_ENV));
      return new SharedServices(new StackEndpoints(env.get(ENDPOINT_ENV.get(0)),
          URI.create(env.get(ENDPOINT_ENV.get(1))), URI.create(env.get(ENDPOINT_ENV.get(2)))), null, null);
    }
    if (missing.size() < ENDPOINT_ENV.size()) {
      throw new StackException("set all of " + String.join(", ", ENDPOINT_ENV) + " or none; missing: " + String.join(", ", missing));
    }
    String forced = Optional.ofNullable(env.get(PROVIDER_ENV)).orElse("").trim().toLowerCase(Locale.ROOT);
    boolean containers = switch (forced) {
      case "testcontainers" -> true;
      case "local-stack" -> false;
      case "" -> DockerClientFactory.instance().isDockerAvailable();
      default -> throw new StackException(PROVIDER_ENV + " must be 'testcontainers' or 'local-stack', not '" + forced + "'");
    };
    if (containers) {
      progress.accept("starting Kafka, a schema registry and OpenSearch with Testcontainers");
      ContainerServices services = ContainerServices.start(ItImages.bundled());
      return new SharedServices(services.endpoints(), null, services);
    }
    if (forced.isEmpty()) {
      progress.accept("no Docker engine found (Testcontainers' error above is expected): using the local stack");
    }
    return new SharedServices(ItStack.attachOrStart(progress), null, null);
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }

  StackEndpoints endpoints() {
    if (failure != null) {
      throw new ExtensionConfigurationException(failure);
    }
    return endpoints;
  }

  /** Stops containers at the end of the JVM's tests; a shared local stack stays up for the next module. */
  @Override
  public void close() {
    if (containers != null) {
      containers.close();
    }
  }
}
