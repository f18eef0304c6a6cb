package io.mcpaudit.cli.stack;

import io.mcpaudit.stack.LocalStack;
import io.mcpaudit.stack.StackEndpoints;
import io.mcpaudit.streams.rules.RulePublisher;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code mcp-audit up}: start the local stack (real Kafka, schema registry, OpenSearch) and print its endpoints. */
@Command(
    name = "up",
    mixinStandardHelpOptions = true,
    description = {
        "Start a local Kafka broker, schema registry and OpenSearch node on 127.0.0.1, publish the rule pack,",
        "start the detection pipeline and OpenSearch indexer, and print where the servers are.",
        "The servers are the official distributions, fetched once through Maven and cached.",
        "Everything keeps running after this command returns; stop it with 'mcp-audit down'."},
    footer = {"", "Example:", "  ./mcp-audit up", "  kafka: 127.0.0.1:39092",
        "  schema-registry: http://127.0.0.1:38081/apis/ccompat/v7", "  opensearch: http://127.0.0.1:39200"})
public final class UpCommand implements Callable<Integer> {
  @Spec
  private CommandSpec spec;

  @Mixin
  private StackOptions options;

  @Option(names = "--no-pipeline", description = "Start only the servers, not the detection pipeline.")
  private boolean noPipeline;

  @Override
  public Integer call() throws Exception {
    Path runDir = options.runDir();
    Optional<LocalStack> running = LocalStack.attach(runDir);
    LocalStack stack;
    var err = spec.commandLine().getErr();
    if (running.isPresent()) {
      err.println("local stack already running in " + runDir);
      stack = running.get();
    } else {
      stack = LocalStack.start(options.config(), line -> {
        err.println(line);
        err.flush();
      });
    }
    if (!noPipeline) {
      startPipeline(stack.endpoints());
    }
    printEndpoints(stack.endpoints());
    return 0;
  }

  private void startPipeline(StackEndpoints endpoints) throws Exception {
    var err = spec.commandLine().getErr();
    Path rules = RepoPaths.rulePack();
    List<RulePublisher.PublishedRule> pack = RulePublisher.prepare(rules);
    RulePublisher.publish(endpoints.kafkaBootstrap(), java.util.Map.of(), pack);
    err.println("published " + pack.size() + " detection rules from " + rules);
    PipelineProcess pipeline = new PipelineProcess(options.runDir());
    if (pipeline.running().isPresent()) {
      err.println("pipeline already running (log: " + pipeline.log() + ")");
      return;
    }
    long started = System.nanoTime();
    err.println("starting the detection pipeline and OpenSearch indexer…");
    err.flush();
    ProcessHandle process = pipeline.start(endpoints, Duration.ofSeconds(180));
    err.printf("pipeline running (pid %d) in %.1f s; log: %s%n", process.pid(),
        (System.nanoTime() - started) / 1e9, pipeline.log());
    err.flush();
  }

  private void printEndpoints(StackEndpoints endpoints) {
    var out = spec.commandLine().getOut();
    out.println("kafka: " + endpoints.kafkaBootstrap());
    out.println("schema-registry: " + endpoints.schemaRegistryUrl());
    out.println("opensearch: " + endpoints.openSearchUrl());
    out.flush();
  }
}
