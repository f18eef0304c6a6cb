package io.mcpaudit.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcpaudit.stack.StackEndpoints;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hc.core5.http.HttpHost;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.opensearch.client.json.jackson.JacksonJsonpMapper;
import org.opensearch.client.opensearch.OpenSearchClient;
import org.opensearch.client.opensearch._types.FieldValue;
import org.opensearch.client.opensearch._types.Refresh;
import org.opensearch.client.opensearch.core.SearchResponse;
import org.opensearch.client.opensearch.core.search.Hit;
import org.opensearch.client.transport.OpenSearchTransport;
import org.opensearch.client.transport.httpclient5.ApacheHttpClient5TransportBuilder;

/** Proves that the servers the extension hands out are real: each one stores and returns data. */
@RealServices
class RealServicesIT {

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  StackEndpoints endpoints;

  @Test
  void kafkaStoresAndReturnsARecord() throws Exception {
    String topic = "it-real-services-" + UUID.randomUUID();
    Map<String, Object> common = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, endpoints.kafkaBootstrap());
    try (Admin admin = Admin.create(common)) {
      admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
    }

    RecordMetadata written;
    try (KafkaProducer<String, String> producer =
             new KafkaProducer<>(common, new StringSerializer(), new StringSerializer())) {
      written = producer.send(new ProducerRecord<>(topic, "session-1", "tools/call read_file")).get();
    }

    List<ConsumerRecord<String, String>> read = new ArrayList<>();
    Map<String, Object> consumerConfig = Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, endpoints.kafkaBootstrap(),
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    try (KafkaConsumer<String, String> consumer =
             new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new StringDeserializer())) {
      TopicPartition partition = new TopicPartition(topic, 0);
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (read.isEmpty() && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(500)).forEach(read::add);
      }
    }

    assertThat(read).singleElement().satisfies(r -> {
      assertThat(r.key()).isEqualTo("session-1");
      assertThat(r.value()).isEqualTo("tools/call read_file");
      assertThat(r.offset()).isEqualTo(written.offset());
    });
  }

  @Test
  void schemaRegistryRegistersAndServesASchemaThroughTheConfluentApi() throws Exception {
    String subject = "it-real-services-" + UUID.randomUUID() + "-value";
    String schema = "{\"type\":\"record\",\"name\":\"AuditProbe\",\"namespace\":\"io.mcpaudit.it\","
        + "\"fields\":[{\"name\":\"session\",\"type\":\"string\"}]}";
    String body = "{\"schema\":\"" + schema.replace("\"", "\\\"") + "\"}";

    HttpResponse<String> registered = HTTP.send(HttpRequest.newBuilder(api("/subjects/" + subject + "/versions"))
        .header("Content-Type", "application/vnd.schemaregistry.v1+json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(registered.statusCode()).as(registered.body()).isEqualTo(200);
    Matcher id = Pattern.compile("\"id\"\\s*:\\s*(\\d+)").matcher(registered.body());
    assertThat(id.find()).as(registered.body()).isTrue();

    HttpResponse<String> fetched = HTTP.send(HttpRequest.newBuilder(api("/schemas/ids/" + id.group(1))).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(fetched.statusCode()).as(fetched.body()).isEqualTo(200);
    assertThat(fetched.body()).contains("AuditProbe").contains("io.mcpaudit.it");

    HttpResponse<String> subjects = HTTP.send(HttpRequest.newBuilder(api("/subjects")).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(subjects.body()).contains(subject);
  }

  /** A document shaped like the audit events the indexer writes, reduced to what the test needs. */
  record ProbeEvent(String session, String tool) {}

  @Test
  void openSearchIndexesAndFindsADocument() throws Exception {
    String index = "it-real-services-" + UUID.randomUUID();
    URI url = endpoints.openSearchUrl();
    OpenSearchTransport transport = ApacheHttpClient5TransportBuilder
        .builder(new HttpHost(url.getScheme(), url.getHost(), url.getPort()))
        .setMapper(new JacksonJsonpMapper())
        .build();
    try (transport) {
      OpenSearchClient client = new OpenSearchClient(transport);
      client.index(i -> i.index(index).id("event-1").document(new ProbeEvent("session-1", "read_file"))
          .refresh(Refresh.True));
      client.index(i -> i.index(index).id("event-2").document(new ProbeEvent("session-2", "write_file"))
          .refresh(Refresh.True));

      SearchResponse<ProbeEvent> found = client.search(s -> s.index(index)
          .query(q -> q.match(m -> m.field("tool").query(FieldValue.of("read_file")))), ProbeEvent.class);

      assertThat(found.hits().hits()).extracting(Hit::id).containsExactly("event-1");
      assertThat(found.hits().hits().get(0).source()).isEqualTo(new ProbeEvent("session-1", "read_file"));
    }
  }

  private URI api(String path) {
    return URI.create(endpoints.schemaRegistryUrl() + path);
  }
}
