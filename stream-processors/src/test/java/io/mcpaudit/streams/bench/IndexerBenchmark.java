package io.mcpaudit.streams.bench;

import io.mcpaudit.event.AuditEvent;
import io.mcpaudit.rules.RuleLoader;
import io.mcpaudit.schema.ecs.AuditEventDocuments;
import io.mcpaudit.schema.registry.SchemaRegistryClient;
import io.mcpaudit.schema.registry.SchemaRegistryConfig;
import io.mcpaudit.schema.topic.Topics;
import io.mcpaudit.stack.LocalStack;
import io.mcpaudit.stack.LocalStackConfig;
import io.mcpaudit.stack.StackEndpoints;
import io.mcpaudit.streams.Scenario;
import io.mcpaudit.streams.app.DetectionPipeline;
import io.mcpaudit.streams.app.PipelineSettings;
import io.mcpaudit.streams.app.TopicSetup;
import io.mcpaudit.streams.detect.chain.ToolRisk;
import io.mcpaudit.streams.rules.EngineRuleStage;
import io.mcpaudit.streams.sink.opensearch.IndexSetup;
import io.mcpaudit.streams.sink.opensearch.IndexerSettings;
import io.mcpaudit.streams.sink.opensearch.OpenSearchConnection;
import io.mcpaudit.streams.sink.opensearch.OpenSearchIndexer;
import io.mcpaudit.streams.topology.DetectorCatalog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.opensearch.client.opensearch.OpenSearchClient;
import org.opensearch.client.opensearch._types.FieldValue;
import org.opensearch.client.opensearch.core.BulkRequest;
import org.opensearch.client.opensearch.core.BulkResponse;
import org.opensearch.client.opensearch.core.bulk.BulkOperation;
import io.mcpaudit.schema.serde.AvroSerdeConfig;
import io.mcpaudit.schema.serde.AvroSerializer;

/**
 * Load harness for the OpenSearch indexer (not a test: see docs/benchmarks.md). On a fresh local
 * stack: (1) raw bulk — the same event documents sent by one thread as synchronous {@code _bulk}
 * requests of the indexer's batch size straight into a data stream with the same template, the
 * physical limit of this node; (2) the indexer draining the same events from Kafka into
 * {@code mcp-events} (decode, map, bulk, commit after acknowledgement); (3) event→alert-searchable
 * latency with the detection pipeline and the indexer running: a probe session that raises one
 * alert, from its send until a search of {@code mcp-alerts} finds the alert.
 */
public final class IndexerBenchmark {
  private IndexerBenchmark() {}

  public static void main(String[] args) throws Exception {
    int count = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    int probes = args.length > 1 ? Integer.parseInt(args[1]) : 100;
    Path runDir = Files.createTempDirectory("mcp-audit-bench-stack");
    LocalStack stack = LocalStack.start(LocalStackConfig.at(runDir), System.err::println);
    try {
      run(stack.endpoints(), count, probes);
    } finally {
      stack.stop();
    }
  }

  static void run(StackEndpoints stack, int count, int probes) throws Exception {
    TopicSetup.ensure(stack.kafkaBootstrap(), Map.of(), 3, (short) 1);
    SchemaRegistryClient registry = new SchemaRegistryClient(SchemaRegistryConfig.of(stack.schemaRegistryUrl()));
    OpenSearchClient client = OpenSearchConnection.plain(stack.openSearchUrl()).client();
    IndexSetup.ensureTemplates(client);
    List<AuditEvent> events = PipelineLoadBenchmark.workload(count);
    PipelineLoadBenchmark.produce(stack, registry, events);
    int batch = IndexerSettings.defaults(stack.kafkaBootstrap()).batchSize();

    long start = System.nanoTime();
    for (int from = 0; from < events.size(); from += batch) {
      List<BulkOperation> operations = new ArrayList<>(batch);
      for (AuditEvent event : events.subList(from, Math.min(events.size(), from + batch))) {
        Map<String, Object> document = AuditEventDocuments.toDocument(event);
        operations.add(BulkOperation.of(op -> op.create(c -> c.index("mcp-events-rawbench")
            .id(event.getEventId()).document(document))));
      }
      BulkResponse response = client.bulk(new BulkRequest.Builder().operations(operations).build());
      if (response.errors()) {
        throw new IllegalStateException("raw bulk had errors: " + response.items().stream()
            .filter(i -> i.error() != null).findFirst().map(i -> i.error().reason()).orElse("?"));
      }
    }
    double raw = (System.nanoTime() - start) / 1e9;
    System.out.printf("raw bulk: %d documents in %.1f s = %.0f docs/s%n", events.size(), raw, events.size() / raw);

    OpenSearchIndexer indexer = new OpenSearchIndexer(new IndexerSettings(stack.kafkaBootstrap(), "bench-indexer",
        batch, Map.of()), registry, client);
    Thread thread = new Thread(indexer, "bench-indexer");
    thread.start();
    double indexed = PipelineLoadBenchmark.drainGroup(stack, "bench-indexer", Duration.ofMinutes(20));
    System.out.printf("indexer: %d documents in %.1f s = %.0f docs/s (ratio to raw bulk %.2f)%n", indexer.indexed(),
        indexed, events.size() / indexed, raw / indexed);
    client.indices().refresh(r -> r.index("mcp-events*"));
    System.out.printf("documents: mcp-events %d, mcp-events-rawbench %d%n",
        client.count(c -> c.index("mcp-events")).count(), client.count(c -> c.index("mcp-events-rawbench")).count());

    EngineRuleStage rules = new EngineRuleStage(new RuleLoader().load(
        Path.of(System.getProperty("mcpaudit.repo.root", ".."), "detection-rules", "rules")).ruleSet());
    PipelineSettings settings = new PipelineSettings(stack.kafkaBootstrap(), stack.schemaRegistryUrl().toString(),
        "bench-detection", Files.createTempDirectory("bench-state"), 1, 3, (short) 1, Map.of());
    try (DetectionPipeline pipeline = DetectionPipeline.start(settings, rules, DetectorCatalog.defaults(),
        ToolRisk.defaults(), r -> rules.dedupWindow(r).orElse(Duration.ofMinutes(10)))) {
      PipelineLoadBenchmark.drainGroup(stack, "bench-detection", Duration.ofMinutes(30));
      searchableLatency(stack, registry, client, probes);
    } finally {
      indexer.close();
      thread.join(30_000);
    }
  }

  /** Alerts indexed for a session; 0 while no alert at all was indexed yet (the index does not exist). */
  private static long alertsFor(OpenSearchClient client, String session) throws java.io.IOException {
    try {
      return client.count(c -> c.index(IndexSetup.ALERTS)
          .query(q -> q.term(t -> t.field("mcp.session.id").value(FieldValue.of(session))))).count();
    } catch (org.opensearch.client.opensearch._types.OpenSearchException e) {
      if (e.getMessage() != null && e.getMessage().contains("index_not_found_exception")) {
        return 0;
      }
      throw e;
    }
  }

  private static void searchableLatency(StackEndpoints stack, SchemaRegistryClient registry, OpenSearchClient client,
                                        int probes) throws Exception {
    long[] latencies = new long[probes];
    int found = 0;
    try (KafkaProducer<String, AuditEvent> producer = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap(), ProducerConfig.LINGER_MS_CONFIG, 0),
        new StringSerializer(), new AvroSerializer<>(registry, AvroSerdeConfig.defaults(), false))) {
      for (int i = 0; i < probes; i++) {
        String session = "search-probe-" + i;
        Scenario s = new Scenario("search-probe-agent-" + i).session(session).address("10.9.1.1");
        s.started();
        s.address("10.9.1.2");
        s.call("read_file", "{}");
        long sent = System.nanoTime();
        for (AuditEvent event : s.events()) {
          producer.send(new ProducerRecord<>(Topics.EVENTS.name(), event.getSessionId(), event));
        }
        producer.flush();
        long deadline = sent + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
          long hits = alertsFor(client, session);
          if (hits > 0) {
            latencies[found++] = System.nanoTime() - sent;
            break;
          }
          Thread.sleep(20);
        }
      }
    }
    long[] measured = Arrays.copyOf(latencies, found);
    Arrays.sort(measured);
    System.out.printf("event→alert searchable over %d of %d probes: p50 %.0f ms, p99 %.0f ms, max %.0f ms%n", found,
        probes, measured[found / 2] / 1e6, measured[(int) Math.min(found - 1, Math.ceil(found * 0.99) - 1)] / 1e6,
        measured[found - 1] / 1e6);
  }
}
