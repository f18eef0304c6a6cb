package io.mcpaudit.streams.inventory;

import io.mcpaudit.event.InventoryEntry;
import io.mcpaudit.schema.registry.SchemaRegistry;
import io.mcpaudit.schema.serde.AvroSerdeConfig;
import io.mcpaudit.schema.serde.AvroSerializer;
import io.mcpaudit.schema.topic.Topics;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/** Publishes inventory entries to the compacted inventory topic, keyed by server name. */
public final class InventoryPublisher {
  private InventoryPublisher() {}

  public static void publish(String bootstrapServers, Map<String, Object> clientConfig, SchemaRegistry registry,
                             List<InventoryEntry> entries) throws ExecutionException, InterruptedException {
    Map<String, Object> props = new HashMap<>(clientConfig);
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    try (KafkaProducer<String, InventoryEntry> producer = new KafkaProducer<>(props, new StringSerializer(),
        new AvroSerializer<>(registry, AvroSerdeConfig.defaults(), false))) {
      for (InventoryEntry entry : entries) {
        producer.send(new ProducerRecord<>(Topics.INVENTORY.name(), entry.getName(), entry)).get();
      }
    }
  }
}
