package io.mcpaudit.streams.bench;

import io.mcpaudit.event.Alert;
import io.mcpaudit.event.AuditEvent;
import io.mcpaudit.rules.RuleLoader;
import io.mcpaudit.schema.registry.SchemaRegistryClient;
import io.mcpaudit.schema.registry.SchemaRegistryConfig;
import io.mcpaudit.schema.serde.AvroDeserializer;
import io.mcpaudit.schema.serde.AvroSerdeConfig;
import io.mcpaudit.schema.serde.AvroSerializer;
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
import io.mcpaudit.streams.topology.DetectorCatalog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;

/**
 * Load harness for the detection pipeline (not a test: run it on purpose, see docs/benchmarks.md).
 * On a fresh local stack it loads N pre-serialized events into the events topic, then measures
 * (1) a pass-through topology that only decodes and re-encodes each event — the physical limit of
 * this broker and serde on this machine — and (2) the full detection topology with every detector
 * and the shipped rule pack, each draining the same backlog. Then it measures event→alert latency
 * with probe sessions produced at a steady rate while the pipeline keeps up.
 *
 * <pre>./mvnw -pl stream-processors -am test-compile exec:java ... (see docs/benchmarks.md)</pre>
 */
public final class PipelineLoadBenchmark {
  private PipelineLoadBenchmark() {}

  public static void main(String[] args) throws Exception {
    int events = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
    Path runDir = Files.createTempDirectory("mcp-audit-bench-stack");
    LocalStack stack = LocalStack.start(LocalStackConfig.at(runDir), System.err::println);
    try {
      run(stack.endpoints(), events);
    } finally {
      stack.stop();
    }
  }

  static void run(StackEndpoints stack, int eventCount) throws Exception {
    TopicSetup.ensure(stack.kafkaBootstrap(), Map.of(), 3, (short) 1);
    SchemaRegistryClient registry = new SchemaRegistryClient(SchemaRegistryConfig.of(stack.schemaRegistryUrl()));
    List<AuditEvent> events = workload(eventCount);
    long produceStart = System.nanoTime();
    produce(stack, registry, events);
    double produceSeconds = (System.nanoTime() - produceStart) / 1e9;
    System.out.printf("loaded %d events in %.1f s (%.0f/s)%n", events.size(), produceSeconds,
        events.size() / produceSeconds);

    double passThrough = drain(stack, "bench-passthrough", passThroughStreams(stack, registry));
    System.out.printf("pass-through topology: %.0f events/s%n", events.size() / passThrough);

    EngineRuleStage rules = new EngineRuleStage(new RuleLoader().load(
        Path.of(System.getProperty("mcpaudit.repo.root", ".."), "detection-rules", "rules")).ruleSet());
    Path state = Files.createTempDirectory("bench-state");
    PipelineSettings settings = new PipelineSettings(stack.kafkaBootstrap(), stack.schemaRegistryUrl().toString(),
        "bench-detection", state, 1, 3, (short) 1, Map.of());
    long heapBefore = usedHeap();
    double detection;
    try (DetectionPipeline pipeline = DetectionPipeline.start(settings, rules, DetectorCatalog.defaults(),
        ToolRisk.defaults(), r -> rules.dedupWindow(r).orElse(Duration.ofMinutes(10)))) {
      detection = drainGroup(stack, "bench-detection", Duration.ofMinutes(20));
      System.out.printf("detection topology: %.0f events/s (ratio to pass-through %.2f)%n",
          events.size() / detection, passThrough / detection);
      System.out.printf("heap used after draining: %d MiB (before %d MiB); process RSS %d MiB%n",
          usedHeap() >> 20, heapBefore >> 20, rss() >> 20);
      latency(stack, registry, 200);
    }
  }

  /**
   * Sessions of realistic traffic: handshake, tool listing, calls and results, session end. Fifty
   * agents, each numbering its events across the sessions it carries, as real agents do (event ids
   * are agent id + sequence, so they are unique).
   */
  static List<AuditEvent> workload(int target) {
    List<AuditEvent> all = new ArrayList<>(target + 32);
    Scenario[] agents = new Scenario[50];
    int session = 0;
    while (all.size() < target) {
      int agent = session % agents.length;
      if (agents[agent] == null) {
        agents[agent] = new Scenario("bench-agent-" + agent);
      }
      Scenario s = agents[agent].session("bench-s" + session)
          .user("user" + (session % 200)).address("10.1." + (session % 250) + "." + (session % 200 + 1));
      int before = s.events().size();
      s.started();
      s.tools(Scenario.tool("read_file", "Read a file from the project."),
          Scenario.tool("search_code", "Search the code base."));
      for (int i = 0; i < 8; i++) {
        String id = s.call(i % 3 == 0 ? "search_code" : "read_file", "{\"path\":\"/srv/src/file" + i + ".java\"}");
        s.result(id, "read_file", "package example;\n\npublic class File" + i + " { /* " + "x".repeat(200) + " */ }");
      }
      s.ended("client closed");
      all.addAll(s.events().subList(before, s.events().size()));
      session++;
    }
    return all;
  }

  static void produce(StackEndpoints stack, SchemaRegistryClient registry, List<AuditEvent> events)
      throws Exception {
    AvroSerializer<AuditEvent> serializer = new AvroSerializer<>(registry, AvroSerdeConfig.defaults(), false);
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap(),
        ProducerConfig.LINGER_MS_CONFIG, 20,
        ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024,
        ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"), new StringSerializer(), new ByteArraySerializer())) {
      for (AuditEvent event : events) {
        producer.send(new ProducerRecord<>(Topics.EVENTS.name(), null, event.getEventTime().toEpochMilli(),
            event.getSessionId(), serializer.serialize(Topics.EVENTS.name(), event)));
      }
      producer.flush();
    }
  }

  private static KafkaStreams passThroughStreams(StackEndpoints stack, SchemaRegistryClient registry) throws Exception {
    StreamsBuilder builder = new StreamsBuilder();
    var serde = Topics.EVENTS.valueSerde(registry);
    builder.stream(Topics.EVENTS.name(), Consumed.with(Serdes.String(), serde))
        .to("bench.passthrough", Produced.with(Serdes.String(), serde));
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "bench-passthrough");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap());
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("bench-pt").toString());
    return new KafkaStreams(builder.build(), props);
  }

  /** Runs the streams app until its group has consumed the whole events topic; returns seconds. */
  private static double drain(StackEndpoints stack, String group, KafkaStreams streams) throws Exception {
    streams.start();
    try {
      return drainGroup(stack, group, Duration.ofMinutes(20));
    } finally {
      streams.close(Duration.ofSeconds(30));
    }
  }

  static double drainGroup(StackEndpoints stack, String group, Duration timeout) throws Exception {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap());
    try (Admin admin = Admin.create(props)) {
      List<TopicPartition> partitions = admin.describeTopics(List.of(Topics.EVENTS.name())).allTopicNames().get()
          .get(Topics.EVENTS.name()).partitions().stream()
          .map(p -> new TopicPartition(Topics.EVENTS.name(), p.partition())).toList();
      Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
      partitions.forEach(tp -> latest.put(tp, OffsetSpec.latest()));
      var ends = admin.listOffsets(latest).all().get();
      long start = 0;
      long deadline = System.nanoTime() + timeout.toNanos();
      while (System.nanoTime() < deadline) {
        Map<TopicPartition, OffsetAndMetadata> committed =
            admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
        long consumed = 0;
        long total = 0;
        for (TopicPartition tp : partitions) {
          total += ends.get(tp).offset();
          OffsetAndMetadata offset = committed.get(tp);
          consumed += offset == null ? 0 : offset.offset();
        }
        if (start == 0 && consumed > 0) {
          start = System.nanoTime();
        }
        if (consumed >= total && start != 0) {
          return (System.nanoTime() - start) / 1e9;
        }
        Thread.sleep(50);
      }
      throw new IllegalStateException(group + " did not drain the events topic within " + timeout);
    }
  }

  /** Probe sessions, one hijack each, produced one by one: wall time from send to the alert's arrival. */
  private static void latency(StackEndpoints stack, SchemaRegistryClient registry, int probes) throws Exception {
    Map<String, Long> sentAt = new ConcurrentHashMap<>();
    long[] latencies = new long[probes];
    int received = 0;
    try (KafkaConsumer<String, Alert> consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap(),
        ConsumerConfig.GROUP_ID_CONFIG, "bench-latency",
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest",
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(),
        new AvroDeserializer<>(registry, Alert.class));
         KafkaProducer<String, AuditEvent> producer = new KafkaProducer<>(Map.of(
             ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap(), ProducerConfig.LINGER_MS_CONFIG, 0),
             new StringSerializer(), new AvroSerializer<>(registry, AvroSerdeConfig.defaults(), false))) {
      consumer.subscribe(List.of(Topics.ALERTS.name()));
      while (consumer.assignment().isEmpty()) {
        consumer.poll(Duration.ofMillis(100));
      }
      for (int i = 0; i < probes; i++) {
        Scenario s = new Scenario("probe-agent-" + i).session("probe-" + i).address("10.9.0.1");
        s.started();
        s.address("10.9.0.2");
        s.call("read_file", "{}");
        sentAt.put("probe-" + i, System.nanoTime());
        for (AuditEvent event : s.events()) {
          producer.send(new ProducerRecord<>(Topics.EVENTS.name(), event.getSessionId(), event));
        }
        producer.flush();
        long waitUntil = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        boolean seen = false;
        while (!seen && System.nanoTime() < waitUntil) {
          for (var record : consumer.poll(Duration.ofMillis(5))) {
            Long sent = sentAt.remove(record.value().getSessionId());
            if (sent != null && record.value().getSessionId().equals("probe-" + i)) {
              latencies[received++] = System.nanoTime() - sent;
              seen = true;
            }
          }
        }
      }
    }
    long[] measured = Arrays.copyOf(latencies, received);
    Arrays.sort(measured);
    System.out.printf("event→alert latency over %d probes: p50 %.0f ms, p99 %.0f ms, max %.0f ms%n", received,
        measured[received / 2] / 1e6, measured[(int) Math.min(received - 1, Math.ceil(received * 0.99) - 1)] / 1e6,
        measured[received - 1] / 1e6);
  }

  private static long usedHeap() {
    Runtime rt = Runtime.getRuntime();
    return rt.totalMemory() - rt.freeMemory();
  }

  private static long rss() throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
      }
    }
    return 0;
  }
}
