package io.mcpaudit.cli.ingest;

import io.mcpaudit.agent.capture.CaptureReplay;
import io.mcpaudit.cli.capture.CaptureEvents;
import io.mcpaudit.cli.cluster.ClusterOptions;
import io.mcpaudit.event.AuditEvent;
import io.mcpaudit.schema.registry.SchemaRegistryClient;
import io.mcpaudit.schema.registry.SchemaRegistryConfig;
import io.mcpaudit.schema.serde.AvroSerdeConfig;
import io.mcpaudit.schema.serde.AvroSerializer;
import io.mcpaudit.schema.topic.Topics;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code mcp-audit ingest}: publishes a capture's events to Kafka exactly as the agent would. */
@Command(name = "ingest", mixinStandardHelpOptions = true,
    description = {"Publish a capture's events to the events topic, as the agent would have (Avro through the",
        "schema registry, keyed by session, idempotent producer, acks=all)."},
    footer = {"", "Example:", "  ./mcp-audit ingest --input incident.jsonl"})
public final class IngestCommand implements Callable<Integer> {
  @Spec
  private CommandSpec spec;

  @Mixin
  private ClusterOptions cluster;

  @Option(names = "--input", required = true, paramLabel = "CAPTURE", description = "The capture file (JSON Lines).")
  private Path input;

  @Option(names = "--fingerprint-key", paramLabel = "FILE",
      defaultValue = "${env:MCP_AUDIT_FINGERPRINT_KEY_FILE:-${sys:user.home}/.mcp-audit/agent/fingerprint.key}",
      description = "Key for fingerprinting raw tokens in hand-written captures (default: the agent's key if present).")
  private Path fingerprintKey;

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    CaptureReplay.Result capture;
    try {
      capture = CaptureEvents.read(input, fingerprintKey, err);
    } catch (java.io.IOException e) {
      err.println("mcp-audit ingest: cannot read " + input + ": " + e.getMessage());
      return 2;
    }
    SchemaRegistryClient registry = new SchemaRegistryClient(SchemaRegistryConfig.of(URI.create(cluster.schemaRegistry())));
    Map<String, Object> props = new java.util.HashMap<>(cluster.kafkaClientConfig());
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.kafka());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    try (KafkaProducer<String, AuditEvent> producer = new KafkaProducer<>(props, new StringSerializer(),
        new AvroSerializer<>(registry, AvroSerdeConfig.defaults(), false))) {
      for (AuditEvent event : capture.events()) {
        producer.send(new ProducerRecord<>(Topics.EVENTS.name(), null, event.getEventTime().toEpochMilli(),
            event.getSessionId(), event)).get();
      }
    }
    spec.commandLine().getOut().printf("published %d events from %s (%d lines, %d skipped) to %s%n",
        capture.events().size(), input, capture.lines(), capture.problems().size(), cluster.kafka());
    return 0;
  }
}
