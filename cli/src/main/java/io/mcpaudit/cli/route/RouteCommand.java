package io.mcpaudit.cli.route;

import io.mcpaudit.cli.cluster.ClusterOptions;
import io.mcpaudit.router.config.RoutingConfig;
import io.mcpaudit.router.delivery.Delivery;
import io.mcpaudit.router.delivery.HttpDelivery;
import io.mcpaudit.router.file.AlertFileRouting;
import io.mcpaudit.router.guard.DestinationGuard;
import io.mcpaudit.router.kafka.KafkaAlertRouter;
import io.mcpaudit.router.probe.DestinationProbe;
import io.mcpaudit.router.routing.InventoryLookup;
import io.mcpaudit.router.routing.RoutingOutcome;
import io.mcpaudit.schema.registry.SchemaRegistryClient;
import io.mcpaudit.schema.registry.SchemaRegistryConfig;
import io.mcpaudit.streams.inventory.InventoryFile;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code mcp-audit route}: try a routing configuration on a file of alerts, test its destinations, or run the router. */
@Command(name = "route", mixinStandardHelpOptions = true,
    description = {
        "Route alerts to PagerDuty, Opsgenie, Slack and webhooks (docs/alert-routing.md).",
        "With --config and --input: route the alerts of a JSON Lines file once and print what was sent where."},
    subcommands = {RouteCommand.Test.class, RouteCommand.Run.class},
    footer = {"", "Examples:",
        "  ./mcp-audit route --config deploy/routing/routing.yml --input alerts.jsonl --dry-run",
        "  ./mcp-audit route test --config deploy/routing/routing.yml",
        "  ./mcp-audit route run --config deploy/routing/routing.yml"})
public final class RouteCommand implements Callable<Integer> {
  @Spec
  private CommandSpec spec;

  @Option(names = "--config", paramLabel = "FILE", description = "Routing configuration (YAML).")
  private Path config;

  @Option(names = "--input", paramLabel = "ALERTS.jsonl",
      description = "Alerts, one JSON object per line (the flat form `mcp-audit detect --format json` prints).")
  private Path input;

  @Option(names = "--inventory", paramLabel = "FILE",
      description = "Server inventory YAML for risk_tier and owner conditions (e.g. deploy/inventory/inventory.yml).")
  private Path inventory;

  @Option(names = "--dry-run", description = "Decide and print, but send nothing.")
  private boolean dryRun;

  @Override
  public Integer call() throws Exception {
    if (config == null || input == null) {
      throw new IllegalArgumentException("give --config FILE and --input ALERTS.jsonl, or a subcommand (test, run);"
          + " see mcp-audit route --help");
    }
    RoutingConfig routing = RoutingConfig.load(config);
    InventoryLookup servers = inventory == null ? InventoryLookup.empty() : InventoryLookup.of(InventoryFile.read(inventory));
    Delivery delivery = dryRun ? Delivery.dryRun() : http(routing);
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    AlertFileRouting.Summary summary = AlertFileRouting.run(routing, input, servers, delivery,
        outcome -> out.println(routing.redact(outcome.describe(dryRun))), err::println);
    out.printf("%d alerts%s: %s %d, suppressed %d, grouped %d, failed %d, unrouted %d%n", summary.alerts(),
        summary.badLines() == 0 ? "" : " (" + summary.badLines() + " lines skipped)", dryRun ? "would send" : "sent",
        summary.count(RoutingOutcome.Kind.SENT), summary.count(RoutingOutcome.Kind.SUPPRESSED),
        summary.count(RoutingOutcome.Kind.GROUPED), summary.count(RoutingOutcome.Kind.FAILED),
        summary.count(RoutingOutcome.Kind.UNROUTED));
    return summary.count(RoutingOutcome.Kind.FAILED) > 0 ? 1 : 0;
  }

  private static HttpDelivery http(RoutingConfig routing) {
    return HttpDelivery.create(routing.delivery(),
        new DestinationGuard(routing.allowInsecureDestinations(), DestinationGuard.HostResolver.system()));
  }

  /** {@code mcp-audit route test --config F}. */
  @Command(name = "test", mixinStandardHelpOptions = true,
      description = "Send one low-severity test alert (category route-test) to every destination and report each.")
  static final class Test implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "Routing configuration (YAML).")
    private Path config;

    @Override
    public Integer call() {
      RoutingConfig routing = RoutingConfig.load(config);
      List<DestinationProbe.Result> results = DestinationProbe.testAll(routing, http(routing), Instant.now());
      PrintWriter out = spec.commandLine().getOut();
      int failed = 0;
      for (DestinationProbe.Result r : results) {
        boolean ok = r.delivery().delivered();
        failed += ok ? 0 : 1;
        out.println(routing.redact((ok ? "ok      " : "FAILED  ") + r.destination() + " (" + r.type() + ", "
            + r.endpoint() + "): " + r.delivery().detail()));
      }
      out.println((results.size() - failed) + " of " + results.size() + " destinations accepted the test alert");
      return failed == 0 ? 0 : 1;
    }
  }

  /** {@code mcp-audit route run --config F}. */
  @Command(name = "run", mixinStandardHelpOptions = true,
      description = "Run the alert router against Kafka until stopped (Ctrl-C stops it cleanly).")
  static final class Run implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private ClusterOptions cluster;

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "Routing configuration (YAML).")
    private Path config;

    @Override
    public Integer call() throws InterruptedException {
      RoutingConfig routing = RoutingConfig.load(config).withKafkaClientDefaults(cluster.kafkaClientConfig());
      SchemaRegistryClient registry = new SchemaRegistryClient(SchemaRegistryConfig.of(URI.create(cluster.schemaRegistry())));
      String kafka = cluster.kafka();
      KafkaAlertRouter router = new KafkaAlertRouter(routing, kafka, registry);
      CountDownLatch stopped = new CountDownLatch(1);
      Thread hook = new Thread(() -> {
        router.close();
        try {
          stopped.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, "route-shutdown");
      Runtime.getRuntime().addShutdownHook(hook);
      spec.commandLine().getErr().println("routing " + routing.kafka().alertsTopic() + " from " + kafka + " as group "
          + routing.kafka().groupId() + " to " + String.join(", ", routing.destinations().keySet()) + "; Ctrl-C stops");
      try {
        router.run();
        return 0;
      } catch (IllegalStateException e) {
        spec.commandLine().getErr().println("mcp-audit route run: " + routing.redact(String.valueOf(e.getMessage())));
        return 1;
      } finally {
        stopped.countDown();
      }
    }
  }
}
