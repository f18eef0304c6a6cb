package io.mcpaudit.cli.cluster;

import io.mcpaudit.stack.LocalStack;
import io.mcpaudit.stack.StackEndpoints;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * Where Kafka, the schema registry and OpenSearch are, for every command that talks to a
 * deployment. Flags win, then environment variables, then the local stack started by
 * {@code mcp-audit up}; without any of them the command says what to pass.
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

  @Option(names = "--stack-dir", paramLabel = "DIR", hidden = true,
      defaultValue = "${env:MCP_AUDIT_STACK_DIR:-${sys:user.home}/.mcp-audit/stack}")
  private Path stackDir;

  public String kafka() {
    return pick(kafka, "MCP_AUDIT_KAFKA", StackEndpoints::kafkaBootstrap, "--kafka HOST:PORT");
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
