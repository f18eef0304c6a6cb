package io.mcpaudit.cli.pipeline;

import io.mcpaudit.cli.cluster.ClusterOptions;
import io.mcpaudit.router.config.RoutingConfig;
import io.mcpaudit.router.kafka.KafkaAlertRouter;
import io.mcpaudit.rules.RuleSet;
import io.mcpaudit.schema.registry.SchemaRegistryClient;
import io.mcpaudit.schema.registry.SchemaRegistryConfig;
import io.mcpaudit.streams.app.DetectionPipeline;
import io.mcpaudit.streams.app.PipelineSettings;
import io.mcpaudit.streams.detect.chain.ToolRisk;
import io.mcpaudit.streams.rules.EngineRuleStage;
import io.mcpaudit.streams.rules.RulesTopicWatcher;
import io.mcpaudit.streams.alert.Durations;
import io.mcpaudit.streams.sink.opensearch.IndexSetup;
import io.mcpaudit.streams.sink.opensearch.RetentionJob;
import io.mcpaudit.streams.sink.opensearch.RetentionPolicy;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import io.mcpaudit.streams.sink.opensearch.IndexerSettings;
import io.mcpaudit.streams.sink.opensearch.OpenSearchConnection;
import io.mcpaudit.streams.sink.opensearch.OpenSearchIndexer;
import io.mcpaudit.streams.topology.DetectorCatalog;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.opensearch.client.opensearch.OpenSearchClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code mcp-audit pipeline}: runs the detection topology (with rules hot-reloaded from the rules
 * topic) and the OpenSearch indexer against a real cluster, until stopped.
 */
@Command(name = "pipeline", mixinStandardHelpOptions = true,
    description = {"Run the detection pipeline: Kafka Streams detection (exactly once) with rules from the rules"
        + " topic, the OpenSearch indexer and, with --routing, the alert router. Runs until interrupted (Ctrl-C or"
        + " SIGTERM)."},
    footer = {"", "Example (against the local stack):", "  ./mcp-audit up && ./mcp-audit pipeline",
        "Example (a deployment):",
        "  ./mcp-audit pipeline --kafka kafka:9092 --schema-registry http://registry:8081 --opensearch https://os:9200"})
public final class PipelineCommand implements Callable<Integer> {
  @Spec
  private CommandSpec spec;

  @Mixin
  private ClusterOptions cluster;

  @Option(names = "--state-dir", paramLabel = "DIR",
      defaultValue = "${env:MCP_AUDIT_STATE_DIR:-${sys:user.home}/.mcp-audit/pipeline-state}",
      description = "Kafka Streams state directory (default: ${DEFAULT-VALUE}).")
  private Path stateDir;

  @Option(names = "--application-id", defaultValue = "mcp-audit-pipeline",
      description = "Kafka Streams application id; instances with the same id share the work (default: ${DEFAULT-VALUE}).")
  private String applicationId;

  @Option(names = "--threads", defaultValue = "1", description = "Stream threads (default: ${DEFAULT-VALUE}).")
  private int threads;

  @Option(names = "--partitions", defaultValue = "3",
      description = "Partitions for topics this command creates (default: ${DEFAULT-VALUE}).")
  private int partitions;

  @Option(names = "--replication-factor", defaultValue = "1",
      description = "Replication factor for topics this command creates (default: ${DEFAULT-VALUE}).")
  private short replication;

  @Option(names = "--no-indexer", description = "Do not run the OpenSearch indexer in this process.")
  private boolean noIndexer;

  @Option(names = "--retention", defaultValue = "30d", paramLabel = "SPAN",
      description = "Delete mcp-events backing indices older than this (15m, 24h, 30d; default: ${DEFAULT-VALUE}).")
  private String retention;

  @Option(names = "--no-retention",
      description = "Do not roll over or delete mcp-events indices (for clusters that use the ISM policy instead).")
  private boolean noRetention;

  @Option(names = "--routing", paramLabel = "FILE",
      description = "Also run the alert router with this routing configuration (see docs/alert-routing.md).")
  private Path routing;

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    String kafka = cluster.kafka();
    String registryUrl = cluster.schemaRegistry();
    Map<String, Object> kafkaClient = cluster.kafkaClientConfig();
    PipelineSettings settings = new PipelineSettings(kafka, registryUrl, applicationId, stateDir, threads, partitions,
        replication, kafkaClient);
    EngineRuleStage rules = new EngineRuleStage(RuleSet.empty());
    CountDownLatch stopped = new CountDownLatch(1);
    // The indexer and the router run beside Kafka Streams; if one of them dies, the process must not
    // go on looking healthy: it stops with status 1 so that whatever runs it starts it again.
    java.util.concurrent.atomic.AtomicReference<String> failed = new java.util.concurrent.atomic.AtomicReference<>();
    Thread.UncaughtExceptionHandler stopOnFailure = (thread, e) -> {
      failed.compareAndSet(null, thread.getName() + " failed: " + e);
      log(err, thread.getName() + " failed, stopping the pipeline: " + e);
      stopped.countDown();
    };
    Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown, "mcp-audit-pipeline-shutdown"));
    DetectorCatalog detectors = DetectorCatalog.defaults();
    try (RulesTopicWatcher watcher = new RulesTopicWatcher(kafka, kafkaClient, rules, line -> log(err, line))
        .start(Duration.ofSeconds(30))) {
      detectors = detectors.with(EngineRuleStage.detectorSpecs(rules.rules()));
      Duration fallbackDedup = Duration.ofMinutes(10);
      try (DetectionPipeline pipeline = DetectionPipeline.start(settings, rules, detectors, ToolRisk.defaults(),
          ruleId -> rules.dedupWindow(ruleId).orElse(fallbackDedup))) {
        Thread indexerThread = null;
        OpenSearchIndexer indexer = null;
        if (!noIndexer) {
          OpenSearchConnection connection = OpenSearchConnection.fromEnvironment(URI.create(cluster.openSearch()),
              System.getenv());
          OpenSearchClient client = connection.client();
          IndexSetup.ensureTemplates(client);
          if (!noRetention) {
            Duration keep = Durations.parse(retention, "--retention");
            ScheduledExecutorService retentionTimer = Executors.newSingleThreadScheduledExecutor(r -> {
              Thread t = new Thread(r, "mcp-audit-retention");
              t.setDaemon(true);
              return t;
            });
            new RetentionJob(client, RetentionPolicy.defaults().withRetention(keep), Clock.systemUTC())
                .schedule(retentionTimer, Duration.ofMinutes(15), line -> log(err, line));
            log(err, "retention: mcp-events backing indices are kept " + retention);
          }
          IndexerSettings indexing = IndexerSettings.defaults(kafka);
          indexer = new OpenSearchIndexer(new IndexerSettings(kafka, indexing.groupId(), indexing.batchSize(),
              kafkaClient),
              new SchemaRegistryClient(SchemaRegistryConfig.of(URI.create(registryUrl))), client);
          indexerThread = new Thread(indexer, "mcp-audit-indexer");
          indexerThread.setUncaughtExceptionHandler(stopOnFailure);
          indexerThread.start();
          log(err, "indexer writing to " + connection);
        }
        KafkaAlertRouter router = null;
        Thread routerThread = null;
        if (routing != null) {
          RoutingConfig routes = RoutingConfig.load(routing).withKafkaClientDefaults(kafkaClient);
          router = new KafkaAlertRouter(routes, kafka, new SchemaRegistryClient(SchemaRegistryConfig.of(URI.create(registryUrl))));
          routerThread = new Thread(router, "mcp-audit-router");
          routerThread.setUncaughtExceptionHandler(stopOnFailure);
          routerThread.start();
          log(err, "routing alerts to " + String.join(", ", routes.destinations().keySet()));
        }
        if (!awaitRunning(pipeline, stopped, err)) {
          return 1;
        }
        if (stopped.getCount() > 0) {
          log(err, "pipeline running: " + kafka + ", registry " + registryUrl + ", " + rules.rules().size()
              + " rules, state in " + stateDir);
        }
        stopped.await();
        log(err, "stopping");
        if (indexer != null) {
          indexer.close();
          indexerThread.join(30_000);
        }
        if (router != null) {
          router.close();
          routerThread.join(30_000);
        }
      }
    }
    return failed.get() == null ? 0 : 1;
  }

  /**
   * Waits for the detection pipeline to run, or for a stop. A pipeline that cannot run yet (say the
   * schema registry is away, so each stream thread fails and is replaced) is reported every few
   * minutes and waited for: the process stays up, as it would once running. False only if Kafka
   * Streams stopped for good.
   */
  private static boolean awaitRunning(DetectionPipeline pipeline, CountDownLatch stopped, PrintWriter err)
      throws InterruptedException {
    Duration report = Duration.ofSeconds(120);
    long started = System.nanoTime();
    long nextReport = started + report.toNanos();
    while (stopped.getCount() > 0) {
      if (pipeline.awaitRunning(Duration.ofSeconds(1))) {
        return true;
      }
      if (pipeline.finished()) {
        log(err, "the detection pipeline stopped before it ran (state " + pipeline.state() + ")"
            + pipeline.lastThreadFailure().map(f -> "; last stream-thread failure: " + f).orElse(""));
        return false;
      }
      if (System.nanoTime() >= nextReport) {
        log(err, "the detection pipeline is not running yet after "
            + Duration.ofNanos(System.nanoTime() - started).toSeconds() + " s (state " + pipeline.state() + ")"
            + pipeline.lastThreadFailure().map(f -> "; last stream-thread failure: " + f).orElse("")
            + "; still trying");
        nextReport += report.toNanos();
      }
    }
    return true;
  }

  private static void log(PrintWriter err, String line) {
    err.println("mcp-audit pipeline: " + line);
    err.flush();
  }
}
