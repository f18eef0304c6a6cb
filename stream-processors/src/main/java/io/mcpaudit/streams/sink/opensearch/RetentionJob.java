package io.mcpaudit.streams.sink.opensearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.opensearch.client.opensearch.OpenSearchClient;
import org.opensearch.client.opensearch.generic.Requests;
import org.opensearch.client.opensearch.generic.Response;

/**
 * Retention for a data stream on clusters without the Index State Management plugin: rolls the
 * stream over when its write index is old or large enough, and deletes backing indices whose newest
 * document is older than the retention. The write index is never deleted. Each run looks at the
 * cluster afresh, so running late, twice, or from a restarted process is harmless.
 */
public final class RetentionJob {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final OpenSearchClient client;
  private final RetentionPolicy policy;
  private final Clock clock;

  public RetentionJob(OpenSearchClient client, RetentionPolicy policy, Clock clock) {
    this.client = client;
    this.policy = policy;
    this.clock = clock;
  }

  /** What one backing index looks like to the job. {@code newest} is empty when it holds no documents. */
  record IndexFacts(String name, Instant created, long docs, long bytes, Optional<Instant> newest) {
    /** When the index last received a document; its creation when it never did. */
    Instant lastActivity() {
      return newest.orElse(created);
    }
  }

  /** A rollover the job performed. */
  public record Rollover(String oldIndex, String newIndex, String reason) {}

  /** A backing index the job deleted, and when it last received a document. */
  public record Deletion(String index, Instant lastActivity) {}

  /** The result of one run. */
  public record Outcome(String dataStream, boolean dataStreamExists, Optional<Rollover> rollover,
                        List<Deletion> deleted, Duration retention) {

    public boolean changedSomething() {
      return rollover.isPresent() || !deleted.isEmpty();
    }

    /** One line for the operator's log. */
    public String describe() {
      if (!dataStreamExists) {
        return dataStream + ": no such data stream yet, nothing to do";
      }
      if (!changedSomething()) {
        return dataStream + ": nothing to do";
      }
      List<String> parts = new ArrayList<>();
      rollover.ifPresent(r -> parts.add("rolled over " + r.oldIndex() + " -> " + r.newIndex() + " (" + r.reason() + ")"));
      for (Deletion d : deleted) {
        parts.add("deleted " + d.index() + " (last document " + d.lastActivity() + ", retention " + human(retention) + ")");
      }
      return dataStream + ": " + String.join("; ", parts);
    }
  }

  /** One pass: roll over if due, then delete expired backing indices (never the write index). */
  public Outcome runOnce() throws IOException {
    Optional<DataStream> stream = dataStream();
    if (stream.isEmpty()) {
      return new Outcome(policy.dataStream(), false, Optional.empty(), List.of(), policy.retention());
    }
    Instant now = clock.instant();
    Map<String, IndexFacts> facts = facts(stream.get());
    String write = stream.get().writeIndex();

    Optional<Rollover> rollover = Optional.empty();
    IndexFacts writeFacts = facts.get(write);
    Optional<String> reason = writeFacts == null ? Optional.empty() : rolloverReason(writeFacts, policy, now);
    if (reason.isPresent()) {
      rollover = Optional.of(rollOver(reason.get()));
      stream = dataStream();
      if (stream.isEmpty()) {
        throw new IOException("data stream " + policy.dataStream() + " disappeared during its rollover");
      }
      write = stream.get().writeIndex();
    }

    List<Deletion> deleted = new ArrayList<>();
    for (String index : stream.get().indices()) {
      IndexFacts f = facts.get(index);
      // An index the job has no facts for was created after it looked (the new write index); leave it.
      if (index.equals(write) || f == null || !expired(f, policy, now)) {
        continue;
      }
      if (delete(index)) {
        deleted.add(new Deletion(index, f.lastActivity()));
      }
    }
    return new Outcome(policy.dataStream(), true, rollover, List.copyOf(deleted), policy.retention());
  }

  /**
   * Runs the job now and then every {@code every} on {@code executor} (fixed delay), logging changes and
   * failures; a failed run is retried on the next tick instead of ending the schedule.
   */
  public ScheduledFuture<?> schedule(ScheduledExecutorService executor, Duration every, Consumer<String> log) {
    return executor.scheduleWithFixedDelay(() -> {
      try {
        Outcome outcome = runOnce();
        if (outcome.changedSomething()) {
          log.accept("retention " + outcome.describe());
        }
      } catch (Exception e) {
        // Whatever went wrong (OpenSearch down, refused request), the next tick tries again.
        log.accept("retention for " + policy.dataStream() + " failed, next attempt in " + human(every) + ": "
            + e.getMessage());
      }
    }, 0, every.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Why the write index should be rolled over now, if it should. An empty write index is never rolled over. */
  static Optional<String> rolloverReason(IndexFacts write, RetentionPolicy policy, Instant now) {
    if (write.docs() == 0) {
      return Optional.empty();
    }
    Duration age = Duration.between(write.created(), now);
    if (age.compareTo(policy.rolloverAge()) >= 0) {
      return Optional.of("write index is " + human(age) + " old, limit " + human(policy.rolloverAge()));
    }
    if (write.docs() >= policy.rolloverDocs()) {
      return Optional.of("write index holds " + write.docs() + " documents, limit " + policy.rolloverDocs());
    }
    if (write.bytes() >= policy.rolloverBytes()) {
      return Optional.of("write index stores " + write.bytes() + " bytes, limit " + policy.rolloverBytes());
    }
    return Optional.empty();
  }

  /** Whether a (non-write) backing index has outlived the retention. */
  static boolean expired(IndexFacts index, RetentionPolicy policy, Instant now) {
    return index.lastActivity().isBefore(now.minus(policy.retention()));
  }

  static String human(Duration d) {
    long seconds = d.getSeconds();
    if (seconds % 86_400 == 0 && seconds > 0) {
      return seconds / 86_400 + "d";
    }
    if (seconds >= 3_600) {
      return seconds / 3_600 + "h" + (seconds % 3_600 >= 60 ? " " + (seconds % 3_600) / 60 + "m" : "");
    }
    if (seconds >= 60) {
      return seconds / 60 + "m";
    }
    return seconds + "s";
  }

  private record DataStream(List<String> indices, String timestampField) {
    String writeIndex() {
      return indices.get(indices.size() - 1);
    }
  }

  private Optional<DataStream> dataStream() throws IOException {
    String name = policy.dataStream();
    JsonNode body;
    try (Response response = send("GET", "/_data_stream/" + name, null)) {
      if (response.getStatus() == 404) {
        return Optional.empty();
      }
      body = json(response, "read data stream " + name);
    }
    for (JsonNode stream : body.path("data_streams")) {
      if (stream.path("name").asText().equals(name)) {
        List<String> indices = new ArrayList<>();
        stream.path("indices").forEach(i -> indices.add(i.path("index_name").asText()));
        if (indices.isEmpty()) {
          return Optional.empty();
        }
        return Optional.of(new DataStream(List.copyOf(indices),
            stream.path("timestamp_field").path("name").asText("@timestamp")));
      }
    }
    return Optional.empty();
  }

  /** Creation date, size and newest document of every backing index: three requests, whatever their number. */
  private Map<String, IndexFacts> facts(DataStream stream) throws IOException {
    String name = policy.dataStream();
    JsonNode settings;
    try (Response response = send("GET", "/" + name + "/_settings/index.creation_date", null)) {
      settings = json(response, "read the backing indices of " + name);
    }
    JsonNode stats;
    try (Response response = send("GET", "/" + name + "/_stats/docs,store", null)) {
      stats = json(response, "read index statistics of " + name);
    }
    ObjectNode search = JSON.createObjectNode().put("size", 0);
    ObjectNode byIndex = search.putObject("aggs").putObject("by_index");
    byIndex.putObject("terms").put("field", "_index").put("size", stream.indices().size());
    byIndex.putObject("aggs").putObject("newest").putObject("max").put("field", stream.timestampField());
    JsonNode newest;
    try (Response response = send("POST", "/" + name + "/_search", search.toString())) {
      newest = json(response, "find the newest document per backing index of " + name);
    }
    Map<String, Instant> newestByIndex = new HashMap<>();
    for (JsonNode bucket : newest.path("aggregations").path("by_index").path("buckets")) {
      JsonNode value = bucket.path("newest").path("value");
      if (value.isNumber()) {
        newestByIndex.put(bucket.path("key").asText(), Instant.ofEpochMilli(value.asLong()));
      }
    }
    Map<String, IndexFacts> facts = new HashMap<>();
    for (String index : stream.indices()) {
      JsonNode created = settings.path(index).path("settings").path("index").path("creation_date");
      if (created.isMissingNode()) {
        continue;
      }
      JsonNode primaries = stats.path("indices").path(index).path("primaries");
      facts.put(index, new IndexFacts(index, Instant.ofEpochMilli(Long.parseLong(created.asText())),
          primaries.path("docs").path("count").asLong(0), primaries.path("store").path("size_in_bytes").asLong(0),
          Optional.ofNullable(newestByIndex.get(index))));
    }
    return facts;
  }

  private Rollover rollOver(String reason) throws IOException {
    String name = policy.dataStream();
    try (Response response = send("POST", "/" + name + "/_rollover", null)) {
      JsonNode body = json(response, "roll over " + name);
      return new Rollover(body.path("old_index").asText(), body.path("new_index").asText(), reason);
    }
  }

  /** Deletes one backing index; false when it was already gone. */
  private boolean delete(String index) throws IOException {
    try (Response response = send("DELETE", "/" + index, null)) {
      if (response.getStatus() == 404) {
        return false;
      }
      json(response, "delete expired backing index " + index + " of " + policy.dataStream());
      return true;
    }
  }

  private Response send(String method, String endpoint, String body) throws IOException {
    Requests.JsonBodyBuilder request = Requests.builder().method(method).endpoint(endpoint);
    if (body != null) {
      request.json(body);
    }
    try {
      return client.generic().execute(request.build());
    } catch (IOException e) {
      // The client turns 401 and 403 into exceptions that name neither the request nor the index.
      throw new IOException(method + " " + endpoint + " failed: " + e.getMessage(), e);
    }
  }

  private static JsonNode json(Response response, String what) throws IOException {
    String body = response.getBody().map(b -> b.bodyAsString()).orElse("");
    if (response.getStatus() >= 300) {
      throw new IOException("cannot " + what + ": OpenSearch answered HTTP " + response.getStatus() + ": " + body);
    }
    return body.isEmpty() ? JSON.createObjectNode() : JSON.readTree(body);
  }
}
