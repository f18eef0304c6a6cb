package io.mcpaudit.streams.sink.opensearch;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcpaudit.event.AuditEvent;
import io.mcpaudit.event.ClientIdentity;
import io.mcpaudit.schema.registry.SchemaRegistryClient;
import io.mcpaudit.schema.registry.SchemaRegistryConfig;
import io.mcpaudit.schema.serde.AvroSerdeConfig;
import io.mcpaudit.schema.serde.AvroSerializer;
import io.mcpaudit.schema.topic.Topics;
import io.mcpaudit.stack.StackEndpoints;
import io.mcpaudit.streams.Scenario;
import io.mcpaudit.streams.app.TopicSetup;
import io.mcpaudit.streams.deadletter.DeadLetters;
import io.mcpaudit.testing.RealServices;
import io.mcpaudit.testing.TcpOutage;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opensearch.client.opensearch.OpenSearchClient;

/** The indexer against a real broker, registry and OpenSearch node. */
@RealServices
class OpenSearchIndexerIT {
  private StackEndpoints stack;
  private SchemaRegistryClient registry;
  private OpenSearchClient openSearch;
  private final String run = UUID.randomUUID().toString().substring(0, 8);

  @BeforeEach
  void setUp(StackEndpoints stack) throws Exception {
    this.stack = stack;
    this.registry = new SchemaRegistryClient(SchemaRegistryConfig.of(stack.schemaRegistryUrl()));
    this.openSearch = OpenSearchConnection.plain(stack.openSearchUrl()).client();
    TopicSetup.ensure(stack.kafkaBootstrap(), Map.of(), 3, (short) 1);
    IndexSetup.ensureTemplates(openSearch);
  }

  @Test
  void anIndexerStoppedMidStreamAndRestartedEndsWithExactlyTheExpectedCount() throws Exception {
    String session = run + "-restart";
    Scenario s = new Scenario("agent-" + run).session(session);
    for (int i = 0; i < 600; i++) {
      s.call("read_file", "{\"n\":" + i + "}");
    }
    produce(s.events().subList(0, 300));

    String group = "it-indexer-" + run;
    try (Indexing first = Indexing.start(stack, registry, openSearch, group, 50)) {
      waitForCount(session, 100, Duration.ofSeconds(60));
    }
    produce(s.events().subList(300, 600));
    try (Indexing second = Indexing.start(stack, registry, openSearch, group, 50)) {
      assertThat(waitForCount(session, 600, Duration.ofSeconds(60))).isEqualTo(600);
      Thread.sleep(2000);
      assertThat(count(session)).as("no duplicates after the restart").isEqualTo(600);
    }
  }

  @Test
  void openSearchUnreachableFor30SecondsLosesNothing() throws Exception {
    String session = run + "-outage";
    Scenario s = new Scenario("agent-o-" + run).session(session);
    for (int i = 0; i < 200; i++) {
      s.call("read_file", "{\"n\":" + i + "}");
    }
    try (TcpOutage outage = new TcpOutage(stack.openSearchUrl().getHost(), stack.openSearchUrl().getPort())) {
      OpenSearchClient throughOutage = OpenSearchConnection.plain(
          URI.create("http://127.0.0.1:" + outage.port())).client();
      try (Indexing indexing = Indexing.start(stack, registry, throughOutage, "it-outage-" + run, 50)) {
        produce(s.events().subList(0, 50));
        waitForCount(session, 50, Duration.ofSeconds(60));
        outage.cut();
        produce(s.events().subList(50, 200));
        Thread.sleep(30_000);
        assertThat(count(session)).as("nothing indexed while unreachable").isEqualTo(50);
        outage.restore();
        assertThat(waitForCount(session, 200, Duration.ofSeconds(90))).isEqualTo(200);
      }
    }
  }

  @Test
  void aDocumentOpenSearchRejectsGoesToTheDeadLetterTopicWithItsReasonAndTheRestIsIndexed() throws Exception {
    String session = run + "-reject";
    Scenario s = new Scenario("agent-r-" + run).session(session);
    s.call("read_file", "{}");
    AuditEvent bad = s.last();
    s.call("read_file", "{}");
    // client.address is mapped as an IP: a host name there is a mapping error for this document only.
    AuditEvent rejected = AuditEvent.newBuilder(bad)
        .setClient(ClientIdentity.newBuilder(bad.getClient()).setAddress("not-an-ip-" + run).build()).build();
    produce(List.of(rejected, s.last()));

    try (Indexing indexing = Indexing.start(stack, registry, openSearch, "it-reject-" + run, 50)) {
      assertThat(waitForCount(session, 1, Duration.ofSeconds(60))).isEqualTo(1);
      ConsumerRecord<byte[], byte[]> dead = waitForDeadLetter(session, Duration.ofSeconds(30));
      String reason = new String(dead.headers().lastHeader(DeadLetters.REASON).value(), StandardCharsets.UTF_8);
      assertThat(reason).contains("OpenSearch rejected the document (HTTP 400)").contains("client.address");
    }
  }

  private void produce(List<AuditEvent> events) {
    try (KafkaProducer<String, AuditEvent> producer = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap(), ProducerConfig.ACKS_CONFIG, "all"),
        new StringSerializer(), new AvroSerializer<>(registry, AvroSerdeConfig.defaults(), false))) {
      events.forEach(e -> producer.send(new ProducerRecord<>(Topics.EVENTS.name(), e.getSessionId(), e)));
    }
  }

  private long count(String session) throws Exception {
    openSearch.indices().refresh(r -> r.index(IndexSetup.EVENTS));
    return openSearch.count(c -> c.index(IndexSetup.EVENTS)
        .query(q -> q.term(t -> t.field("mcp.session.id").value(v -> v.stringValue(session))))).count();
  }

  private long waitForCount(String session, long expected, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    long count = 0;
    while (System.nanoTime() < deadline) {
      try {
        count = count(session);
      } catch (Exception e) {
        // The data stream appears with the first document.
      }
      if (count >= expected) {
        return count;
      }
      Thread.sleep(250);
    }
    return count;
  }

  private ConsumerRecord<byte[], byte[]> waitForDeadLetter(String session, Duration timeout) {
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap(),
        ConsumerConfig.GROUP_ID_CONFIG, "it-dlq-reader-" + UUID.randomUUID(),
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(Topics.DLQ.name()));
      long deadline = System.nanoTime() + timeout.toNanos();
      while (System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          if (record.key() != null && new String(record.key(), StandardCharsets.UTF_8).equals(session)) {
            return record;
          }
        }
      }
    }
    throw new AssertionError("no dead letter for session " + session);
  }

  /** An indexer on its own thread, stopped on close. */
  private record Indexing(OpenSearchIndexer indexer, Thread thread) implements AutoCloseable {
    static Indexing start(StackEndpoints stack, SchemaRegistryClient registry, OpenSearchClient client, String group,
                          int batch) {
      OpenSearchIndexer indexer = new OpenSearchIndexer(
          new IndexerSettings(stack.kafkaBootstrap(), group, batch, Map.of()), registry, client);
      Thread thread = new Thread(indexer, "indexer-" + group);
      thread.start();
      return new Indexing(indexer, thread);
    }

    @Override
    public void close() throws InterruptedException {
      indexer.close();
      thread.join(30_000);
    }
  }
}
