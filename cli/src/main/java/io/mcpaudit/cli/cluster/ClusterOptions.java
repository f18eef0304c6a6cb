package io.mcpaudit.cli.cluster;

import io.mcpaudit.stack.LocalStack;
import io.mcpaudit.stack.StackEndpoints;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import picocli.CommandLine.Option;

/**
 * Where Kafka, the schema registry and OpenSearch are, for every command that talks to a
 * deployment. Flags win, then environment variables, then the local stack started by
 * {@code mcp-audit up}; without any of them the command says what to pass.
 *
 * <p>Kafka client settings beyond the bootstrap servers (TLS, SASL, config providers, Kafka
 * Streams tuning) come from a Java properties file, the same format every Kafka tool takes; it is
 * handed unchanged to each Kafka client and to Kafka Streams, so config providers such as
 * {@code ${dir:/path:key}} are resolved by Kafka itself and no secret passes through this process's
 * arguments or environment.
 */
public final class ClusterOptions {
  @Option(names = "--kafka", paramLabel = "HOST:PORT",
      description = "Kafka bootstrap servers (env MCP_AUDIT_KAFKA; default: the running local stack).")
  private String kafka;

  @Option(names = "--schema-registry", paramLabel = "URL",
      description = "Confluent-API schema registry URL (env MCP_AUDIT_SCHEMA_REGISTRY; default: the local stack).")
  private String schemaRegistry;

  @Option(names = "--opensearch", paramLabel = "URL",
      description = "OpenSearch URL (env MCP_AUDIT_OPENSEARCH; default: the local stack).")
  private String openSearch;

  @Option(names = "--kafka-config", paramLabel = "FILE",
      description = "Kafka client properties (security.protocol, ssl.*, sasl.*, ...) for every Kafka client and"
          + " Kafka Streams (env MCP_AUDIT_KAFKA_CONFIG).")
  private Path kafkaConfig;

  @Option(names = "--stack-dir", paramLabel = "DIR", hidden = true,
      defaultValue = "${env:MCP_AUDIT_STACK_DIR:-${sys:user.home}/.mcp-audit/stack}")
  private Path stackDir;

  public String kafka() {
    return pick(kafka, "MCP_AUDIT_KAFKA", StackEndpoints::kafkaBootstrap, "--kafka HOST:PORT");
  }

  /**
   * The Kafka client properties from {@code --kafka-config} or {@code MCP_AUDIT_KAFKA_CONFIG}, empty
   * when neither is given. {@code bootstrap.servers} in the file is ignored: {@link #kafka()} decides.
   */
  public Map<String, Object> kafkaClientConfig() {
    Path file = kafkaConfig;
    if (file == null) {
      String fromEnv = System.getenv("MCP_AUDIT_KAFKA_CONFIG");
      if (fromEnv == null || fromEnv.isBlank()) {
        return Map.of();
      }
      file = Path.of(fromEnv);
    }
    return readProperties(file);
  }

  static Map<String, Object> readProperties(Path file) {
    Properties props = new Properties();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      props.load(reader);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the Kafka client properties " + file + ": " + e.getMessage(), e);
    }
    Map<String, Object> config = new LinkedHashMap<>();
    props.stringPropertyNames().stream().sorted()
        .filter(name -> !name.equals("bootstrap.servers"))
        .forEach(name -> config.put(name, props.getProperty(name).strip()));
    return Map.copyOf(config);
  }

  public String schemaRegistry() {
    return pick(schemaRegistry, "MCP_AUDIT_SCHEMA_REGISTRY", e -> e.schemaRegistryUrl().toString(),
        "--schema-registry URL");
  }

  public String openSearch() {
    return pick(openSearch, "MCP_AUDIT_OPENSEARCH", e -> e.openSearchUrl().toString(), "--opensearch URL");
  }

  private String pick(String flag, String env, java.util.function.Function<StackEndpoints, String> fromStack,
                      String hint) {
    if (flag != null && !flag.isBlank()) {
      return flag;
    }
    String fromEnv = System.getenv(env);
    if (fromEnv != null && !fromEnv.isBlank()) {
      return fromEnv;
    }
    Optional<LocalStack> stack = LocalStack.attach(stackDir);
    if (stack.isPresent()) {
      return fromStack.apply(stack.get().endpoints());
    }
    throw new IllegalArgumentException("no " + hint.split(" ")[0].substring(2) + " given and no local stack is running;"
        + " pass " + hint + ", set " + env + ", or start one with ./mcp-audit up");
  }
}
