package io.mcpaudit.cli.stack;

import io.mcpaudit.stack.LocalStack;
import io.mcpaudit.stack.StackEndpoints;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code mcp-audit up}: start the local stack (real Kafka, schema registry, OpenSearch) and print its endpoints. */
@Command(
    name = "up",
    mixinStandardHelpOptions = true,
    description = {
        "Start a local Kafka broker, schema registry and OpenSearch node on 127.0.0.1 and print where they are.",
        "The servers are the official distributions, fetched once through Maven and cached.",
        "They keep running after this command returns; stop them with 'mcp-audit down'."},
    footer = {"", "Example:", "  ./mcp-audit up", "  kafka: 127.0.0.1:39092",
        "  schema-registry: http://127.0.0.1:38081/apis/ccompat/v7", "  opensearch: http://127.0.0.1:39200"})
public final class UpCommand implements Callable<Integer> {
  @Spec
  private CommandSpec spec;

  @Mixin
  private StackOptions options;

  @Override
  public Integer call() throws Exception {
    Path runDir = options.runDir();
    Optional<LocalStack> running = LocalStack.attach(runDir);
    LocalStack stack;
    if (running.isPresent()) {
      spec.commandLine().getErr().println("local stack already running in " + runDir);
      stack = running.get();
    } else {
      stack = LocalStack.start(options.config(), line -> spec.commandLine().getErr().println(line));
    }
    printEndpoints(stack.endpoints());
    return 0;
  }

  private void printEndpoints(StackEndpoints endpoints) {
    var out = spec.commandLine().getOut();
    out.println("kafka: " + endpoints.kafkaBootstrap());
    out.println("schema-registry: " + endpoints.schemaRegistryUrl());
    out.println("opensearch: " + endpoints.openSearchUrl());
    out.flush();
  }
}
