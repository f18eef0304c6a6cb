package io.mcpaudit.streams.sink.opensearch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mcpaudit.stack.StackEndpoints;
import io.mcpaudit.testing.RealServices;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opensearch.client.opensearch.OpenSearchClient;
import org.opensearch.client.opensearch.generic.Body;
import org.opensearch.client.opensearch.generic.Requests;
import org.opensearch.client.opensearch.generic.Response;

/**
 * The retention job against a real OpenSearch node. Each test owns a data stream of its own
 * ({@code mcp-events-it-<random>}, with a template that outranks the shipped {@code mcp-events*} one)
 * so that it neither sees nor touches the data other tests and the pipeline write.
 */
@RealServices
class RetentionJobIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final RetentionPolicy LARGE = RetentionPolicy.forDataStream("unused")
      .withRollover(Duration.ofDays(365), 1_000_000, Long.MAX_VALUE).withRetention(Duration.ofDays(30));

  private OpenSearchClient client;
  private String stream;

  @BeforeEach
  void setUp(StackEndpoints stack) throws IOException {
    client = OpenSearchConnection.plain(stack.openSearchUrl()).client();
    stream = "mcp-events-it-" + UUID.randomUUID().toString().substring(0, 8);
    send("PUT", "/_index_template/" + stream, """
        {"index_patterns": ["%s"], "data_stream": {}, "priority": 500,
         "template": {"settings": {"index.number_of_shards": 1, "index.number_of_replicas": 0},
                      "mappings": {"properties": {"@timestamp": {"type": "date"}, "n": {"type": "long"}}}}}
        """.formatted(stream));
  }

  @AfterEach
  void tearDown() throws IOException {
    send("DELETE", "/_data_stream/" + stream, null);
    send("DELETE", "/_index_template/" + stream, null);
  }

  @Test
  void aMissingDataStreamIsNothingToDo() throws IOException {
    RetentionJob.Outcome outcome = job(policy(), Clock.systemUTC()).runOnce();

    assertThat(outcome.dataStreamExists()).isFalse();
    assertThat(outcome.changedSomething()).isFalse();
  }

  @Test
  void theWriteIndexRollsOverWhenItHoldsEnoughDocumentsAndAnEmptyOneStays() throws IOException {
    index(Instant.now(), 3);
    String first = backingIndices().get(0);

    RetentionJob.Outcome outcome = job(policy().withRollover(Duration.ofDays(365), 3, Long.MAX_VALUE),
        Clock.systemUTC()).runOnce();

    assertThat(outcome.rollover()).hasValueSatisfying(r -> {
      assertThat(r.oldIndex()).isEqualTo(first);
      assertThat(r.reason()).contains("3 documents");
    });
    assertThat(backingIndices()).hasSize(2);
    assertThat(job(policy().withRollover(Duration.ofDays(365), 3, Long.MAX_VALUE), Clock.systemUTC()).runOnce()
        .changedSomething()).as("the new write index is empty").isFalse();
    assertThat(backingIndices()).hasSize(2);
  }

  @Test
  void theWriteIndexRollsOverOnceItIsOlderThanTheLimitByTheJobsClock() throws IOException {
    index(Instant.now(), 1);
    RetentionPolicy hourly = policy().withRollover(Duration.ofHours(1), 1_000_000, Long.MAX_VALUE);

    assertThat(job(hourly, Clock.systemUTC()).runOnce().rollover()).isEmpty();
    RetentionJob.Outcome later = job(hourly, offset(Duration.ofHours(2))).runOnce();

    assertThat(later.rollover()).hasValueSatisfying(r -> assertThat(r.reason()).contains("old, limit 1h"));
    assertThat(backingIndices()).hasSize(2);
  }

  @Test
  void backingIndicesWhoseNewestDocumentIsPastRetentionAreDeletedButNeverTheWriteIndex() throws IOException {
    Instant now = Instant.now();
    index(now.minus(Duration.ofDays(40)), 2);
    rollOver();
    index(now.minus(Duration.ofDays(1)), 2);
    rollOver();
    // The write index holds only old documents: retention must still leave it alone.
    index(now.minus(Duration.ofDays(45)), 2);
    List<String> before = backingIndices();
    assertThat(before).hasSize(3);

    RetentionJob.Outcome outcome = job(policy(), Clock.systemUTC()).runOnce();

    assertThat(outcome.rollover()).isEmpty();
    assertThat(outcome.deleted()).extracting(RetentionJob.Deletion::index).containsExactly(before.get(0));
    assertThat(outcome.deleted().get(0).lastActivity())
        .isEqualTo(now.minus(Duration.ofDays(40)).truncatedTo(ChronoUnit.MILLIS));
    assertThat(backingIndices()).containsExactly(before.get(1), before.get(2));
    assertThat(count()).isEqualTo(4);

    // A month later the middle index has expired too; the write index still stays.
    RetentionJob.Outcome monthLater = job(policy(), offset(Duration.ofDays(31))).runOnce();
    assertThat(monthLater.deleted()).extracting(RetentionJob.Deletion::index).containsExactly(before.get(1));
    assertThat(backingIndices()).containsExactly(before.get(2));
    assertThat(job(policy(), offset(Duration.ofDays(200))).runOnce().deleted()).isEmpty();
  }

  @Test
  void anEmptyRolledOverIndexIsDeletedOnceItsCreationIsPastRetention() throws IOException {
    index(Instant.now(), 1);
    rollOver();
    rollOver();
    List<String> before = backingIndices();
    assertThat(before).hasSize(3);

    assertThat(job(policy(), Clock.systemUTC()).runOnce().deleted()).isEmpty();
    RetentionJob.Outcome later = job(policy(), offset(Duration.ofDays(31))).runOnce();

    assertThat(later.deleted()).extracting(RetentionJob.Deletion::index).containsExactly(before.get(0), before.get(1));
    assertThat(backingIndices()).containsExactly(before.get(2));
  }

  private RetentionPolicy policy() {
    return new RetentionPolicy(stream, LARGE.rolloverAge(), LARGE.rolloverDocs(), LARGE.rolloverBytes(),
        LARGE.retention());
  }

  private RetentionJob job(RetentionPolicy policy, Clock clock) {
    return new RetentionJob(client, policy, clock);
  }

  private static Clock offset(Duration ahead) {
    return Clock.offset(Clock.systemUTC().withZone(ZoneOffset.UTC), ahead);
  }

  private void index(Instant timestamp, int documents) throws IOException {
    StringBuilder bulk = new StringBuilder();
    for (int i = 0; i < documents; i++) {
      bulk.append("{\"create\":{}}\n").append("{\"@timestamp\":\"").append(timestamp).append("\",\"n\":").append(i)
          .append("}\n");
    }
    try (Response response = client.generic().execute(Requests.builder().method("POST")
        .endpoint("/" + stream + "/_bulk").query(Map.of("refresh", "true"))
        .body(Body.from(bulk.toString().getBytes(StandardCharsets.UTF_8), "application/x-ndjson")).build())) {
      JsonNode body = JSON.readTree(response.getBody().orElseThrow().bodyAsString());
      assertThat(body.path("errors").asBoolean(true)).as(body.toString()).isFalse();
    }
  }

  private void rollOver() throws IOException {
    send("POST", "/" + stream + "/_rollover", null);
  }

  private List<String> backingIndices() throws IOException {
    JsonNode body = send("GET", "/_data_stream/" + stream, null);
    List<String> names = new ArrayList<>();
    body.path("data_streams").path(0).path("indices").forEach(i -> names.add(i.path("index_name").asText()));
    return names;
  }

  private long count() throws IOException {
    send("POST", "/" + stream + "/_refresh", null);
    return send("GET", "/" + stream + "/_count", null).path("count").asLong();
  }

  private JsonNode send(String method, String endpoint, String json) throws IOException {
    Requests.JsonBodyBuilder request = Requests.builder().method(method).endpoint(endpoint);
    if (json != null) {
      request.json(json);
    }
    try (Response response = client.generic().execute(request.build())) {
      String body = response.getBody().map(b -> b.bodyAsString()).orElse("{}");
      if (response.getStatus() >= 300 && !(method.equals("DELETE") && response.getStatus() == 404)) {
        throw new IOException(method + " " + endpoint + ": HTTP " + response.getStatus() + " " + body);
      }
      return JSON.readTree(body);
    }
  }
}
