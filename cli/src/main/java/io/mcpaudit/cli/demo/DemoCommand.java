package io.mcpaudit.cli.demo;

import io.mcpaudit.cli.simulate.ScenarioCatalog;
import io.mcpaudit.cli.simulate.ScenarioOutcome;
import io.mcpaudit.cli.simulate.SimulateCommand;
import io.mcpaudit.cli.simulate.Simulation;
import io.mcpaudit.cli.stack.RepoPaths;
import io.mcpaudit.event.InventoryEntry;
import io.mcpaudit.event.RiskTier;
import io.mcpaudit.event.ServerLocation;
import io.mcpaudit.schema.registry.SchemaRegistryClient;
import io.mcpaudit.schema.registry.SchemaRegistryConfig;
import io.mcpaudit.stack.LocalStack;
import io.mcpaudit.stack.StackEndpoints;
import io.mcpaudit.streams.inventory.InventoryFile;
import io.mcpaudit.streams.inventory.InventoryPublisher;
import io.mcpaudit.streams.investigate.SessionStoryReader;
import io.mcpaudit.streams.sink.opensearch.OpenSearchConnection;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code mcp-audit demo}: the whole path on one machine, with nothing but a JDK. Starts the local
 * stack and the pipeline, runs a real MCP server (official Java SDK) behind the real stdio agent and
 * talks to it with the SDK's client — ordinary work, then a poisoned web page, a destructive call,
 * a credential and a cloud-metadata URL — then plays every built-in attack scenario, and shows what
 * the pipeline found: alerts by category and severity, one reconstructed session, where to look next.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = {"Start the local stack and pipeline, run a real MCP server behind the agent with ordinary"
        + " traffic and attacks, play every attack scenario, then print the alerts by category and severity and"
        + " one reconstructed session. The stack keeps running for exploration until ./mcp-audit down."})
public final class DemoCommand implements Callable<Integer> {
  @Spec
  private CommandSpec spec;

  @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "180",
      description = "How long to wait for the pipeline's alerts (default: ${DEFAULT-VALUE}).")
  private int timeoutSeconds;

  @Option(names = "--run-dir", paramLabel = "DIR", hidden = true,
      defaultValue = "${env:MCP_AUDIT_STACK_DIR:-${sys:user.home}/.mcp-audit/stack}")
  private Path runDir;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    long started = System.nanoTime();
    step(out, "1/5", "local stack and pipeline (first run downloads Kafka, the registry and OpenSearch through Maven)");
    CommandLine root = spec.root().commandLine();
    int up = root.execute("up", "--run-dir", runDir.toString());
    if (up != 0) {
      out.println("mcp-audit demo: the local stack did not start (exit " + up + "); see the messages above");
      return up;
    }
    StackEndpoints stack = LocalStack.attach(runDir).orElseThrow(
        () -> new IllegalStateException("the local stack in " + runDir + " is not running after up")).endpoints();
    SchemaRegistryClient registry = new SchemaRegistryClient(SchemaRegistryConfig.of(stack.schemaRegistryUrl()));
    List<InventoryEntry> inventory = new ArrayList<>(InventoryFile.read(
        RepoPaths.root().resolve("deploy/inventory/inventory.yml")));
    inventory.add(InventoryEntry.newBuilder().setName(DemoMcpServer.NAME).setOwner("platform-team")
        .setPurpose("the demo's notes server").setLocation(ServerLocation.LOCAL).setRiskTier(RiskTier.MEDIUM)
        .setAllowedScopes(List.of()).build());
    InventoryPublisher.publish(stack.kafkaBootstrap(), Map.of(), registry, inventory);
    out.printf("published the server inventory (%d servers)%n", inventory.size());

    String runId = Simulation.newRunId();
    AlertCollector alerts = AlertCollector.fromNow(stack.kafkaBootstrap(), registry);
    try (alerts) {
      step(out, "2/5", "a real MCP server (" + DemoMcpServer.NAME + ", MCP Java SDK) behind `mcp-audit agent stdio`");
      DemoSession session = new DemoSession(stack, "demo-" + runId);
      for (String line : session.run()) {
        out.println("  " + line);
      }
      out.flush();

      step(out, "3/5", "attack scenarios (mcp-audit simulate --scenario all)");
      List<ScenarioOutcome> outcomes = new Simulation(stack.kafkaBootstrap(), Map.of(), registry, Clock.systemUTC())
          .run(ScenarioCatalog.builtIn().all(), runId, Duration.ofSeconds(timeoutSeconds),
              line -> {
                out.println("  " + line);
                out.flush();
              });
      SimulateCommand.report(outcomes, out);

      step(out, "4/5", "what the pipeline raised");
      alerts.drain(Duration.ofSeconds(5));
      alerts.printTable(out);

      step(out, "5/5", "one session, reconstructed from OpenSearch");
      Optional<String> wireSession = alerts.sessionOf(DemoMcpServer.NAME);
      if (wireSession.isPresent() && awaitTrace(stack, wireSession.get(), Duration.ofSeconds(60))) {
        root.execute("trace", "--opensearch", stack.openSearchUrl().toString(), wireSession.get());
      } else {
        out.println("  (the demo session's trace is not searchable yet; try ./mcp-audit trace "
            + wireSession.orElse("SESSION") + " in a moment)");
      }
      out.printf("%nDone in %.0f s. The stack keeps running for exploration; stop it with ./mcp-audit down%n",
          (System.nanoTime() - started) / 1e9);
      out.println("Next:");
      out.println("  OpenSearch:         " + stack.openSearchUrl() + "  (indices mcp-events, mcp-alerts, mcp-traces)");
      out.println("  a session:          ./mcp-audit trace " + wireSession.orElse("SESSION") + " --format html > s.html");
      out.println("  ad-hoc questions:   ./mcp-audit search 'category:prompt-injection'");
      out.println("  hunting queries:    ./mcp-audit hunt --help");
      out.println("  run it again:       ./mcp-audit simulate --scenario all");
      out.println("  your own server:    ./mcp-audit agent stdio --server-name NAME -- COMMAND ARGS…  (docs/quickstart.md)");
      out.flush();
      return alerts.categories().size() >= 10 ? 0 : 1;
    }
  }

  private static boolean awaitTrace(StackEndpoints stack, String session, Duration timeout) throws Exception {
    var client = OpenSearchConnection.fromEnvironment(stack.openSearchUrl(), Map.of()).client();
    SessionStoryReader reader = new SessionStoryReader(client);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      var story = reader.read(session);
      if (story.found() && story.trace() != null && !story.alerts().isEmpty()) {
        return true;
      }
      Thread.sleep(1000);
    }
    return false;
  }

  private static void step(PrintWriter out, String number, String what) {
    out.printf("%n== %s %s%n", number, what);
    out.flush();
  }
}
