package io.mcpaudit.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.mcpaudit.event.Alert;
import io.mcpaudit.event.AuditEvent;
import io.mcpaudit.schema.registry.SchemaRegistry;
import io.mcpaudit.schema.serde.AvroDeserializer;
import io.mcpaudit.schema.topic.Topics;
import io.mcpaudit.stack.StackEndpoints;
import io.mcpaudit.streams.deadletter.DeadLetters;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.opensearch.client.opensearch.OpenSearchClient;
import org.opensearch.client.opensearch._types.FieldValue;

/**
 * Counts one agent's traffic at every stage, from the sources of truth: the agent's own sequence
 * numbers, the events and alerts topics, the OpenSearch indices and the paging endpoint's journal.
 */
final class Ledger {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final StackEndpoints stack;
  private final SchemaRegistry registry;
  private final OpenSearchClient openSearch;
  private final WireMockServer pager;

  Ledger(StackEndpoints stack, SchemaRegistry registry, OpenSearchClient openSearch, WireMockServer pager) {
    this.stack = stack;
    this.registry = registry;
    this.openSearch = openSearch;
    this.pager = pager;
  }

  /** Where one agent's traffic stands, end to end. */
  record Counts(String agent, long eventsSent, long eventsInKafka, long eventsUnique, long outOfOrder, long eventsIndexed,
                Set<String> categories, Set<String> findings, long alertsProduced, long alertsDuplicated, long alertsIndexed,
                long pagesSent, long pagesDuplicated, long pagesExpected, long pagesUnknown) {
    long eventsDuplicatedInKafka() {
      return eventsInKafka - eventsUnique;
    }

    boolean settled(List<String> expectedCategories) {
      return eventsSent > 0 && eventsUnique == eventsSent && eventsIndexed == eventsUnique
          && categories.containsAll(expectedCategories) && alertsIndexed == alertsProduced
          && pagesSent - pagesDuplicated + pagesUnknown == pagesExpected;
    }

    String line(String fault) {
      return String.format("%-26s events sent %4d / in Kafka %4d (dup %d, out of order %d) / indexed %4d · alerts %3d"
              + " (dup keys %d) / indexed %3d · pages %3d of %3d (dup %d, unknown %d)", fault, eventsSent, eventsInKafka,
          eventsDuplicatedInKafka(), outOfOrder, eventsIndexed, alertsProduced, alertsDuplicated, alertsIndexed, pagesSent,
          pagesExpected, pagesDuplicated, pagesUnknown) + System.lineSeparator() + "    findings: " + String.join(", ", findings);
    }
  }

  Counts count(String agent) throws IOException {
    List<AuditEvent> events = new ArrayList<>();
    for (AuditEvent e : readAll(Topics.EVENTS.name(), new AvroDeserializer<>(registry, AuditEvent.class), "read_uncommitted")) {
      if (agent.equals(e.getAgentId())) {
        events.add(e);
      }
    }
    long sent = events.stream().mapToLong(AuditEvent::getSequence).max().orElse(0);
    // Within a session (one partition, read in offset order) the agent's numbers must only grow.
    // (A redelivered copy of an event already seen is a duplicate, counted apart.)
    Map<String, Long> lastBySession = new HashMap<>();
    Set<String> seen = new HashSet<>();
    long outOfOrder = 0;
    for (AuditEvent e : events) {
      if (!seen.add(e.getEventId())) {
        continue;
      }
      Long last = lastBySession.put(e.getSessionId(), e.getSequence());
      if (last != null && e.getSequence() < last) {
        outOfOrder++;
      }
    }
    Set<String> unique = new HashSet<>();
    Set<String> sessions = new HashSet<>();
    events.forEach(e -> {
      unique.add(e.getEventId());
      sessions.add(e.getSessionId());
    });
    // An index appears with its first document: until then the count is zero, not an error.
    long indexed = openSearch.count(c -> c.index("mcp-events").ignoreUnavailable(true).allowNoIndices(true)
        .query(q -> q.term(t -> t.field("mcp.audit.agent_id").value(FieldValue.of(agent))))).count();

    // Pages before alerts: a page is only sent for a committed alert, so every page read here has
    // its alert in the read below, and a snapshot never counts more pages than alerts.
    Map<String, Integer> pagesByDedupKey = new HashMap<>();
    for (ServeEvent served : pager.getAllServeEvents()) {
      if (served.getResponse().getStatus() / 100 != 2) {
        continue;
      }
      JsonNode alert = JSON.readTree(served.getRequest().getBodyAsString()).path("alert");
      if (sessions.contains(alert.path("session").asText())) {
        pagesByDedupKey.merge(alert.path("dedup_key").asText(), 1, Integer::sum);
      }
    }
    Map<String, Alert> alertsById = new HashMap<>();
    for (Alert a : readAll(Topics.ALERTS.name(), new AvroDeserializer<>(registry, Alert.class), "read_committed")) {
      if (sessions.contains(a.getSessionId())) {
        alertsById.put(a.getAlertId(), a);
      }
    }
    Map<String, Set<String>> idsByDedupKey = new HashMap<>();
    alertsById.values().forEach(a -> idsByDedupKey.computeIfAbsent(a.getDedupKey(), k -> new HashSet<>())
        .add(a.getAlertId()));
    long duplicatedKeys = idsByDedupKey.values().stream().filter(ids -> ids.size() > 1).count();
    Set<String> categories = new TreeSet<>();
    Set<String> findings = new TreeSet<>();
    alertsById.values().forEach(a -> {
      categories.add(a.getCategory());
      findings.add(a.getCategory() + ": " + a.getTitle() + " ×" + a.getCount());
    });
    long alertsIndexed = sessions.isEmpty() ? 0 : openSearch.count(c -> c.index("mcp-alerts").ignoreUnavailable(true)
        .allowNoIndices(true).query(q -> q.terms(t -> t.field("mcp.session.id")
            .terms(v -> v.value(sessions.stream().map(FieldValue::of).toList()))))).count();

    long pages = pagesByDedupKey.values().stream().mapToLong(Integer::longValue).sum();
    long duplicatedPages = pagesByDedupKey.values().stream().mapToLong(n -> n - 1).sum();
    // A router killed mid-request cannot know whether its page arrived: the next one dead-letters
    // that alert as unknown instead of paging twice (at most one page per dedup key).
    Set<String> unknown = new HashSet<>(unknownPages());
    unknown.retainAll(idsByDedupKey.keySet());
    unknown.removeAll(pagesByDedupKey.keySet());
    return new Counts(agent, sent, events.size(), unique.size(), outOfOrder, indexed, categories, findings, alertsById.size(),
        duplicatedKeys, alertsIndexed, pages, duplicatedPages, idsByDedupKey.size(), unknown.size());
  }

  /** Dedup keys of alerts a restarted router dead-lettered because the router before it stopped mid-request. */
  private Set<String> unknownPages() {
    Set<String> keys = new HashSet<>();
    for (DeadLetter d : deadLetters()) {
      if (d.key() != null && d.reason().contains("a router stopped while delivering")) {
        keys.add(d.key());
      }
    }
    return keys;
  }

  /** One record of the dead-letter topic: its key, where it came from and why. */
  record DeadLetter(String key, String source, String reason) {}

  /** Every record of the dead-letter topic so far. */
  List<DeadLetter> deadLetters() {
    List<DeadLetter> out = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap(),
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(Topics.DLQ.name()).stream()
          .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p)) && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          Header reason = r.headers().lastHeader(DeadLetters.REASON);
          out.add(new DeadLetter(r.key(), r.topic() + "/" + r.partition() + "@" + r.offset(),
              reason == null ? "" : new String(reason.value(), StandardCharsets.UTF_8)));
        }
      }
    }
    return out;
  }

  private <T> List<T> readAll(String topic, Deserializer<T> values, String isolation) {
    List<T> out = new ArrayList<>();
    try (KafkaConsumer<String, T> consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap(),
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation,
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
        ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000), new StringDeserializer(), values)) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
          .map(p -> new TopicPartition(topic, p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p)) && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, T> record : consumer.poll(Duration.ofMillis(200))) {
          if (record.value() != null) {
            out.add(record.value());
          }
        }
      }
    }
    return out;
  }
}
