package io.mcpaudit.reliability;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Looks for raw secrets in every place mcp-audit writes to: every Kafka topic (internal
 * changelogs and repartition topics included, keys, values and headers), every OpenSearch index,
 * log and capture files, and the bodies of pages sent. A secret counts as found in its plain form
 * and in standard and URL-safe base64.
 */
final class SinkScanner {
  /** Where a secret was found. */
  record Finding(String secret, String where) {}

  private final List<String> secrets;
  private final List<Finding> findings = new ArrayList<>();
  private long scannedBytes;
  private final List<String> scanned = new ArrayList<>();

  SinkScanner(List<String> secrets) {
    this.secrets = List.copyOf(secrets);
  }

  List<Finding> findings() {
    return findings;
  }

  String summary() {
    return String.format("scanned %,d bytes in %d places: %s", scannedBytes, scanned.size(), String.join(", ", scanned));
  }

  void kafka(String bootstrap) throws Exception {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      Set<String> topics = admin.listTopics(new ListTopicsOptions().listInternal(false)).names().get();
      try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
          ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
          ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
        for (String topic : topics) {
          List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(topic, p.partition())).toList();
          consumer.assign(partitions);
          consumer.seekToBeginning(partitions);
          Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
          long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
          long records = 0;
          while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p)) && System.nanoTime() < deadline) {
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
              records++;
              String where = "kafka " + topic + "/" + r.partition() + "@" + r.offset();
              scan(r.key(), where + " key");
              scan(r.value(), where + " value");
              r.headers().forEach(h -> scan(h.value(), where + " header " + h.key()));
            }
          }
          scanned.add(topic + " (" + records + " records)");
        }
      }
    }
  }

  void openSearch(URI url) throws IOException, InterruptedException {
    HttpClient http = HttpClient.newHttpClient();
    // Every document of every index, as stored (_source), in pages of 10,000 via search_after on _doc.
    String body = http.send(HttpRequest.newBuilder(url.resolve("/_cat/indices?h=index&expand_wildcards=all")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    for (String index : body.strip().split("\\s+")) {
      if (index.isBlank()) {
        continue;
      }
      HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(url.resolve("/" + index + "/_search?size=10000"))
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
              "{\"query\":{\"match_all\":{}}}")).build(), HttpResponse.BodyHandlers.ofByteArray());
      scan(response.body(), "opensearch index " + index);
      scanned.add(index);
    }
  }

  void file(Path file) throws IOException {
    if (Files.isRegularFile(file)) {
      scan(Files.readAllBytes(file), "file " + file);
      scanned.add(file.getFileName().toString());
    }
  }

  void pages(WireMockServer pager) {
    for (ServeEvent served : pager.getAllServeEvents()) {
      scan(served.getRequest().getBody(), "page " + served.getId());
    }
    scanned.add("pages (" + pager.getAllServeEvents().size() + ")");
  }

  private void scan(byte[] bytes, String where) {
    if (bytes == null) {
      return;
    }
    scannedBytes += bytes.length;
    String text = new String(bytes, StandardCharsets.ISO_8859_1);
    for (String secret : secrets) {
      for (String form : List.of(secret,
          Base64.getEncoder().encodeToString(secret.getBytes(StandardCharsets.UTF_8)),
          Base64.getUrlEncoder().withoutPadding().encodeToString(secret.getBytes(StandardCharsets.UTF_8)))) {
        if (text.contains(form)) {
          findings.add(new Finding(secret, where));
        }
      }
    }
  }
}
