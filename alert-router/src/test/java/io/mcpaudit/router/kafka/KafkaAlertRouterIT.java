package io.mcpaudit.router.kafka;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.mcpaudit.event.Alert;
import io.mcpaudit.event.InventoryEntry;
import io.mcpaudit.event.RiskTier;
import io.mcpaudit.event.Severity;
import io.mcpaudit.router.TestAlerts;
import io.mcpaudit.router.TestConfigs;
import io.mcpaudit.router.config.RoutingConfig;
import io.mcpaudit.router.routing.RoutingOutcome;
import io.mcpaudit.schema.registry.SchemaRegistryClient;
import io.mcpaudit.schema.registry.SchemaRegistryConfig;
import io.mcpaudit.schema.serde.AvroSerdeConfig;
import io.mcpaudit.schema.serde.AvroSerializer;
import io.mcpaudit.stack.StackEndpoints;
import io.mcpaudit.testing.RealServices;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Routing on the inventory topic's risk tiers, and dead letters for pages a vendor refuses and for unreadable records. */
@RealServices
class KafkaAlertRouterIT {
  private final String run = UUID.randomUUID().toString().substring(0, 8);
  private final String alertsTopic = "it.router." + run + ".alerts";
  private final String inventoryTopic = "it.router." + run + ".inventory";
  private final String dlqTopic = "it.router." + run + ".dlq";

  private StackEndpoints stack;
  private SchemaRegistryClient registry;
  private WireMockServer vendor;

  @BeforeEach
  void setUp(StackEndpoints stack) throws Exception {
    this.stack = stack;
    this.registry = new SchemaRegistryClient(SchemaRegistryConfig.of(stack.schemaRegistryUrl()));
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap()))) {
      admin.createTopics(List.of(new NewTopic(alertsTopic, 2, (short) 1), new NewTopic(inventoryTopic, 1, (short) 1)))
          .all().get(30, TimeUnit.SECONDS);
    }
    vendor = new WireMockServer(wireMockConfig().dynamicPort());
    vendor.start();
  }

  @AfterEach
  void tearDown() {
    vendor.stop();
  }

  private RoutingConfig config() {
    String base = "http://localhost:" + vendor.port();
    String yaml = TestConfigs.allDestinations(base, """
        - name: critical-servers
          match: {risk_tier: [critical]}
          destinations: [pagerduty]
        - name: platform-owned
          match: {owner: [platform-team]}
          destinations: [opsgenie]
        """) + """
        kafka:
          group_id: it-router-%1$s
          alerts_topic: %2$s
          inventory_topic: %3$s
          state_topic: it.router.%1$s.state
          dlq_topic: %4$s
          start_from: earliest
        """.formatted(run, alertsTopic, inventoryTopic, dlqTopic);
    return TestConfigs.parse(yaml, TestConfigs.environment(base));
  }

  @Test
  void routesOnTheInventoryAndDeadLettersWhatCannotBePaged() throws Exception {
    vendor.stubFor(post(urlEqualTo("/v2/enqueue")).willReturn(aResponse().withStatus(202)));
    vendor.stubFor(post(urlEqualTo("/v2/alerts")).willReturn(aResponse().withStatus(403)
        .withBody("{\"message\":\"Your account does not allow this integration\"}")));
    publishInventory(TestAlerts.server("payments", "finance-eng", RiskTier.CRITICAL),
        TestAlerts.server("files", "platform-team", RiskTier.LOW));
    Alert payments = TestAlerts.builder("missing-approval", Severity.HIGH, run + "|payments").setServerName("payments")
        .build();
    Alert files = TestAlerts.builder("scope-overreach", Severity.MEDIUM, run + "|files").setServerName("files").build();
    Alert unknown = TestAlerts.builder("unregistered-server", Severity.HIGH, run + "|shadow").setServerName("shadow")
        .build();
    byte[] filesBytes;
    try (KafkaProducer<String, Alert> producer = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap(), ProducerConfig.ACKS_CONFIG, "all"),
        new StringSerializer(), new AvroSerializer<>(registry, AvroSerdeConfig.defaults(), false))) {
      for (Alert a : List.of(payments, files, unknown)) {
        producer.send(new ProducerRecord<>(alertsTopic, 0, a.getDedupKey(), a)).get(30, TimeUnit.SECONDS);
      }
      filesBytes = new AvroSerializer<Alert>(registry, AvroSerdeConfig.defaults(), false).serialize(alertsTopic, files);
    }
    try (KafkaProducer<byte[], byte[]> raw = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap()), new ByteArraySerializer(),
        new ByteArraySerializer())) {
      raw.send(new ProducerRecord<>(alertsTopic, 1, "junk".getBytes(StandardCharsets.UTF_8),
          "{\"not\":\"avro\"}".getBytes(StandardCharsets.UTF_8))).get(30, TimeUnit.SECONDS);
    }

    try (KafkaAlertRouter router = new KafkaAlertRouter(config(), stack.kafkaBootstrap(), registry)) {
      Thread thread = new Thread(router, "router");
      thread.start();
      long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
      while ((router.count(RoutingOutcome.Kind.SENT) + router.count(RoutingOutcome.Kind.FAILED)
          + router.count(RoutingOutcome.Kind.UNROUTED) < 3 || router.deadLettered() < 2)
          && System.nanoTime() < deadline) {
        Thread.sleep(200);
      }
      router.close();
      thread.join(30_000);
      assertThat(router.count(RoutingOutcome.Kind.SENT)).as("payments is critical in the inventory").isEqualTo(1);
      assertThat(router.count(RoutingOutcome.Kind.FAILED)).as("files belongs to platform-team").isEqualTo(1);
      assertThat(router.count(RoutingOutcome.Kind.UNROUTED)).as("shadow is not in the inventory").isEqualTo(1);
    }
    vendor.verify(1, postRequestedFor(urlEqualTo("/v2/enqueue")).withRequestBody(containing(run + "|payments"))
        .withRequestBody(containing("\"risk_tier\":\"critical\"")));
    vendor.verify(1, postRequestedFor(urlEqualTo("/v2/alerts")));

    List<ConsumerRecord<byte[], byte[]>> dead = read(dlqTopic, 2);
    assertThat(dead).hasSize(2);
    ConsumerRecord<byte[], byte[]> refused = dead.stream().filter(r -> header(r, "mcpaudit.dlq.stage")
        .equals("route opsgenie")).findFirst().orElseThrow();
    assertThat(new String(refused.key(), StandardCharsets.UTF_8)).isEqualTo(files.getDedupKey());
    assertThat(refused.value()).as("the original bytes").isEqualTo(filesBytes);
    assertThat(header(refused, "mcpaudit.dlq.reason")).isEqualTo("delivery to opsgenie failed: HTTP 403 from http://"
        + "localhost:" + vendor.port() + "/v2/alerts: {\"message\":\"Your account does not allow this integration\"}");
    assertThat(header(refused, "mcpaudit.dlq.source")).isEqualTo(alertsTopic + "/0@1");
    ConsumerRecord<byte[], byte[]> junk = dead.stream().filter(r -> header(r, "mcpaudit.dlq.stage")
        .equals("deserialize")).findFirst().orElseThrow();
    assertThat(header(junk, "mcpaudit.dlq.source")).isEqualTo(alertsTopic + "/1@0");
    assertThat(header(junk, "mcpaudit.dlq.reason")).startsWith("alert cannot be read:");
  }

  /**
   * While the schema registry is away no alert can be read: the router reads them again until it
   * answers, and dead-letters nothing for it (its inventory waits the same way).
   */
  @Test
  void alertsThatCannotBeReadWhileTheRegistryIsAwayAreReadAgainNotDeadLettered() throws Exception {
    vendor.stubFor(post(urlEqualTo("/v2/enqueue")).willReturn(aResponse().withStatus(202)));
    publishInventory(TestAlerts.server("payments", "finance-eng", RiskTier.CRITICAL));
    Alert payments = TestAlerts.builder("missing-approval", Severity.HIGH, run + "|payments").setServerName("payments")
        .build();
    try (KafkaProducer<String, Alert> producer = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap(), ProducerConfig.ACKS_CONFIG, "all"),
        new StringSerializer(), new AvroSerializer<>(registry, AvroSerdeConfig.defaults(), false))) {
      producer.send(new ProducerRecord<>(alertsTopic, 0, payments.getDedupKey(), payments)).get(30, TimeUnit.SECONDS);
    }
    // A fresh client: nothing cached, so every schema must be fetched.
    SwitchableRegistry away = new SwitchableRegistry(
        new SchemaRegistryClient(SchemaRegistryConfig.of(stack.schemaRegistryUrl())));
    away.away = true;

    try (KafkaAlertRouter router = new KafkaAlertRouter(config(), stack.kafkaBootstrap(), away)) {
      Thread thread = new Thread(router, "router");
      thread.start();
      Thread.sleep(8_000);
      assertThat(router.count(RoutingOutcome.Kind.SENT)).as("sent while the registry is away").isZero();
      assertThat(router.deadLettered()).as("dead-lettered while the registry is away").isZero();

      away.away = false;
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (router.count(RoutingOutcome.Kind.SENT) < 1 && System.nanoTime() < deadline) {
        Thread.sleep(200);
      }
      router.close();
      thread.join(30_000);
      assertThat(router.count(RoutingOutcome.Kind.SENT)).as("paged once the registry answers").isEqualTo(1);
      assertThat(router.deadLettered()).isZero();
    }
    vendor.verify(1, postRequestedFor(urlEqualTo("/v2/enqueue")).withRequestBody(containing(run + "|payments"))
        .withRequestBody(containing("\"risk_tier\":\"critical\"")));
  }

  private void publishInventory(InventoryEntry... entries) throws Exception {
    try (KafkaProducer<String, InventoryEntry> producer = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap(), ProducerConfig.ACKS_CONFIG, "all"),
        new StringSerializer(), new AvroSerializer<>(registry, AvroSerdeConfig.defaults(), false))) {
      for (InventoryEntry e : entries) {
        producer.send(new ProducerRecord<>(inventoryTopic, e.getName(), e)).get(30, TimeUnit.SECONDS);
      }
    }
  }

  private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
    var h = record.headers().lastHeader(name);
    return h == null ? "" : new String(h.value(), StandardCharsets.UTF_8);
  }

  private List<ConsumerRecord<byte[], byte[]>> read(String topic, int expected) {
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
    }
    return out;
  }
}
