package io.mcpaudit.cli.simulate;

import io.mcpaudit.cli.cluster.ClusterOptions;
import io.mcpaudit.schema.registry.SchemaRegistryClient;
import io.mcpaudit.schema.registry.SchemaRegistryConfig;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code mcp-audit simulate}: the incident exercise, repeatable. Sends attack scenarios into a
 * running deployment and reports, for each, whether the pipeline detected what it should.
 */
@Command(name = "simulate", mixinStandardHelpOptions = true,
    description = {"Run attack scenarios against a running deployment (Kafka, registry and the detection"
        + " pipeline) and report, per scenario, whether every expected alert category was raised. Each run uses"
        + " its own session ids, users and token fingerprints, so runs can be repeated; events are sent as an"
        + " agent sends them. Exit status 0 when everything was detected, 1 when something was missed."},
    footer = {"", "Examples:", "  ./mcp-audit simulate --list", "  ./mcp-audit simulate --scenario all",
        "  ./mcp-audit simulate --scenario token-misuse,session-takeover --kafka kafka:9092 \\",
        "      --schema-registry http://registry:8081 --kafka-config client.properties"})
public final class SimulateCommand implements Callable<Integer> {
  @Spec
  private CommandSpec spec;

  @Mixin
  private ClusterOptions cluster;

  @Option(names = "--scenario", paramLabel = "NAME|all", defaultValue = "all",
      description = "Scenario name(s), comma-separated, or all (default: ${DEFAULT-VALUE}).")
  private String scenario;

  @Option(names = "--scenario-dir", paramLabel = "DIR",
      description = "Also load every *.yml scenario in DIR (same name as a built-in one replaces it).")
  private Path scenarioDir;

  @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "120",
      description = "How long to wait for the alerts (default: ${DEFAULT-VALUE}).")
  private int timeoutSeconds;

  @Option(names = "--list", description = "List the scenarios and what each expects, then exit.")
  private boolean list;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    ScenarioCatalog catalog = scenarioDir == null ? ScenarioCatalog.builtIn()
        : ScenarioCatalog.builtIn().withDirectory(scenarioDir);
    if (list) {
      for (AttackScenario s : catalog.all()) {
        out.printf("%-22s %s%n%-22s expects: %s%n", s.name(), s.title(), "", String.join(", ", s.expect()));
      }
      out.flush();
      return 0;
    }
    List<AttackScenario> chosen = catalog.select(scenario);
    Simulation simulation = new Simulation(cluster.kafka(), cluster.kafkaClientConfig(),
        new SchemaRegistryClient(SchemaRegistryConfig.of(URI.create(cluster.schemaRegistry()))), Clock.systemUTC());
    List<ScenarioOutcome> outcomes = simulation.run(chosen, Simulation.newRunId(),
        Duration.ofSeconds(timeoutSeconds), line -> {
          err.println("mcp-audit simulate: " + line);
          err.flush();
        });
    return report(outcomes, out) ? 0 : 1;
  }

  /** Prints one row per scenario; says whether everything was detected. */
  public static boolean report(List<ScenarioOutcome> outcomes, PrintWriter out) {
    out.printf("%-24s %-9s %s%n", "SCENARIO", "RESULT", "EXPECTED CATEGORIES (✗ = missed)");
    boolean all = true;
    for (ScenarioOutcome outcome : outcomes) {
      all &= outcome.complete();
      List<String> marked = outcome.scenario().expect().stream()
          .map(c -> outcome.missed().contains(c) ? "✗ " + c : c).toList();
      out.printf("%-24s %-9s %s%n", outcome.scenario().name(), outcome.complete() ? "detected" : "MISSED",
          String.join(", ", marked));
    }
    long detected = outcomes.stream().filter(ScenarioOutcome::complete).count();
    out.printf("%d of %d scenarios detected%n", detected, outcomes.size());
    out.flush();
    return all;
  }
}
