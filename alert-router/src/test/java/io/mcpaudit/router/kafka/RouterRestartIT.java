package io.mcpaudit.router.kafka;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;
import io.mcpaudit.event.Alert;
import io.mcpaudit.event.Severity;
import io.mcpaudit.router.TestAlerts;
import io.mcpaudit.router.TestConfigs;
import io.mcpaudit.router.config.Environment;
import io.mcpaudit.router.config.RoutingConfig;
import io.mcpaudit.router.config.RoutingConfigLoader;
import io.mcpaudit.router.routing.RoutingOutcome;
import io.mcpaudit.schema.registry.SchemaRegistryClient;
import io.mcpaudit.schema.registry.SchemaRegistryConfig;
import io.mcpaudit.schema.serde.AvroSerdeConfig;
import io.mcpaudit.schema.serde.AvroSerializer;
import io.mcpaudit.stack.StackEndpoints;
import io.mcpaudit.testing.RealServices;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The router against a real broker and registry: killed (SIGKILL) while PagerDuty is still
 * answering, then restarted, it does not page that alert again, and says so in the DLQ.
 */
@RealServices
class RouterRestartIT {
  private final String run = UUID.randomUUID().toString().substring(0, 8);
  private final String alertsTopic = "it.router." + run + ".alerts";
  private final String stateTopic = "it.router." + run + ".state";
  private final String dlqTopic = "it.router." + run + ".dlq";

  private StackEndpoints stack;
  private SchemaRegistryClient registry;
  private WireMockServer pagerDuty;
  @TempDir
  Path dir;

  @BeforeEach
  void setUp(StackEndpoints stack) throws Exception {
    this.stack = stack;
    this.registry = new SchemaRegistryClient(SchemaRegistryConfig.of(stack.schemaRegistryUrl()));
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap()))) {
      admin.createTopics(List.of(new NewTopic(alertsTopic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
    }
    pagerDuty = new WireMockServer(wireMockConfig().dynamicPort());
    pagerDuty.start();
  }

  @AfterEach
  void tearDown() {
    pagerDuty.stop();
  }

  private Path writeConfig() throws Exception {
    String yaml = """
        version: 1
        allow_insecure_destinations: true
        links:
          trace: https://dashboards.example/app/mcp-audit#/trace/{session}
        delivery:
          request_timeout: 60s
          max_attempts: 3
          initial_backoff: 100ms
          max_backoff: 1s
        kafka:
          group_id: it-router-%1$s
          alerts_topic: %2$s
          inventory_topic: it.router.%1$s.inventory
          state_topic: %3$s
          dlq_topic: %4$s
          start_from: earliest
          client:
            session.timeout.ms: 6000
            heartbeat.interval.ms: 1000
        destinations:
          pagerduty:
            type: pagerduty
            url: http://localhost:%5$d/v2/enqueue
            routing_key: {env: PD_ROUTING_KEY}
        routes:
          - name: everything
            destinations: [pagerduty]
        """.formatted(run, alertsTopic, stateTopic, dlqTopic, pagerDuty.port());
    Path file = dir.resolve("routing.yml");
    Files.writeString(file, yaml);
    return file;
  }

  private void produce(Alert... alerts) throws Exception {
    try (KafkaProducer<String, Alert> producer = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap(), ProducerConfig.ACKS_CONFIG, "all"),
        new StringSerializer(), new AvroSerializer<>(registry, AvroSerdeConfig.defaults(), false))) {
      for (Alert a : alerts) {
        producer.send(new ProducerRecord<>(alertsTopic, a.getDedupKey(), a)).get(30, TimeUnit.SECONDS);
      }
    }
  }

  private static RequestPatternBuilder pagesFor(String dedupKey) {
    return postRequestedFor(urlEqualTo("/v2/enqueue")).withRequestBody(containing("\"dedup_key\":\"" + dedupKey + "\""));
  }

  private static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("waited " + timeout.toSeconds() + " s for " + what).isLessThan(deadline);
      Thread.sleep(200);
    }
  }

  @Test
  void aRouterKilledMidDeliveryDoesNotPageAgainAfterItsRestart() throws Exception {
    String midKey = "it-" + run + "|killed-mid-delivery";
    String laterKey = "it-" + run + "|after-restart";
    // PagerDuty takes 30 s to answer the first page: long enough to kill the router while it waits.
    pagerDuty.stubFor(post(urlEqualTo("/v2/enqueue")).withRequestBody(containing(midKey))
        .willReturn(aResponse().withStatus(202).withFixedDelay(30_000)));
    pagerDuty.stubFor(post(urlEqualTo("/v2/enqueue")).withRequestBody(containing(laterKey))
        .willReturn(aResponse().withStatus(202)));
    Path config = writeConfig();
    Alert first = TestAlerts.builder("token-reuse", Severity.CRITICAL, midKey).build();
    produce(first);

    Path log = dir.resolve("router-a.log");
    ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), RouterProcess.class.getName(),
        config.toString(), stack.kafkaBootstrap(), stack.schemaRegistryUrl().toString())
        .redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().put("PD_ROUTING_KEY", TestConfigs.PD_KEY);
    Process routerA = builder.start();
    try {
      await("router A to send the first page (its log: " + log + ")", Duration.ofSeconds(120),
          () -> pagerDuty.findAll(pagesFor(midKey)).size() == 1 || !routerA.isAlive());
      assertThat(routerA.isAlive()).as("router A runs; its log:\n%s", readLog(log)).isTrue();
    } finally {
      routerA.destroyForcibly();
      routerA.waitFor(30, TimeUnit.SECONDS);
    }

    // The detection pipeline re-emits the same alert with a higher count, then raises another.
    produce(Alert.newBuilder(first).setCount(2).build(),
        TestAlerts.builder("ssrf", Severity.HIGH, laterKey).build());
    RoutingConfig routing = RoutingConfigLoader.load(config,
        Environment.of(Map.of("PD_ROUTING_KEY", TestConfigs.PD_KEY)));
    try (KafkaAlertRouter routerB = new KafkaAlertRouter(routing, stack.kafkaBootstrap(), registry)) {
      Thread thread = new Thread(routerB, "router-b");
      thread.start();
      await("router B to page the later alert", Duration.ofSeconds(120),
          () -> pagerDuty.findAll(pagesFor(laterKey)).size() == 1);
      Thread.sleep(1000);

      assertThat(pagerDuty.findAll(pagesFor(midKey))).as("the alert in flight at the kill is not paged again")
          .hasSize(1);
      assertThat(routerB.count(RoutingOutcome.Kind.UNKNOWN)).isEqualTo(1);
      assertThat(routerB.count(RoutingOutcome.Kind.SUPPRESSED)).as("its re-emission").isEqualTo(1);
      assertThat(routerB.count(RoutingOutcome.Kind.SENT)).isEqualTo(1);
      routerB.close();
      thread.join(30_000);
    }

    List<ConsumerRecord<byte[], byte[]>> deadLetters = readAll(dlqTopic, 1);
    assertThat(deadLetters).hasSize(1);
    ConsumerRecord<byte[], byte[]> dead = deadLetters.get(0);
    assertThat(new String(dead.key(), StandardCharsets.UTF_8)).isEqualTo(midKey);
    assertThat(header(dead, "mcpaudit.dlq.stage")).isEqualTo("route pagerduty");
    assertThat(header(dead, "mcpaudit.dlq.source")).isEqualTo(alertsTopic + "/0@0");
    assertThat(header(dead, "mcpaudit.dlq.reason")).contains("stopped while delivering", "unknown");

    // A third router, started after all this, pages nothing: every alert is settled and committed.
    try (KafkaAlertRouter routerC = new KafkaAlertRouter(routing, stack.kafkaBootstrap(), registry)) {
      Thread thread = new Thread(routerC, "router-c");
      thread.start();
      assertThat(routerC.awaitStarted(Duration.ofSeconds(60))).isTrue();
      Thread.sleep(3000);
      routerC.close();
      thread.join(30_000);
      assertThat(routerC.count(RoutingOutcome.Kind.SENT) + routerC.count(RoutingOutcome.Kind.UNKNOWN)).isZero();
    }
    assertThat(pagerDuty.findAll(postRequestedFor(urlEqualTo("/v2/enqueue")))).hasSize(2);
  }

  private static String readLog(Path log) {
    try {
      return Files.readString(log);
    } catch (java.io.IOException e) {
      return e.toString();
    }
  }

  private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
    Header h = record.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  private List<ConsumerRecord<byte[], byte[]>> readAll(String topic, int expected) {
    List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap(),
        ConsumerConfig.GROUP_ID_CONFIG, "it-read-" + UUID.randomUUID(),
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (out.size() < expected && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(500)).forEach(out::add);
      }
      consumer.poll(Duration.ofMillis(1000)).forEach(out::add);
    }
    return out;
  }
}
