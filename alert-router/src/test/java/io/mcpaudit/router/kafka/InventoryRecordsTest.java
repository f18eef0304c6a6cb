package io.mcpaudit.router.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcpaudit.event.InventoryEntry;
import io.mcpaudit.event.RiskTier;
import io.mcpaudit.event.ServerLocation;
import io.mcpaudit.schema.registry.InMemorySchemaRegistry;
import io.mcpaudit.schema.serde.AvroSerdeConfig;
import io.mcpaudit.schema.serde.AvroSerializer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class InventoryRecordsTest {
  private static final String TOPIC = "mcp.audit.inventory.v1";

  private final InMemorySchemaRegistry stored = new InMemorySchemaRegistry();
  private final SwitchableRegistry registry = new SwitchableRegistry(stored);
  private final InventoryRecords records = new InventoryRecords(registry);
  private long offset;

  @Test
  void aRecordReadWhileTheRegistryIsAwayIsReadOnceItAnswers() {
    ConsumerRecord<byte[], byte[]> github = record("github", entry("github", "platform-team"));
    registry.away = true;

    records.apply(github);
    records.retryUnread();

    assertThat(records.find("github")).isEmpty();
    assertThat(records.waiting()).isEqualTo(1);

    registry.away = false;
    records.retryUnread();

    assertThat(records.find("github")).map(InventoryEntry::getOwner).contains("platform-team");
    assertThat(records.waiting()).isZero();
  }

  @Test
  void aLaterRecordForTheSameServerReplacesOneWaitingForTheRegistry() {
    ConsumerRecord<byte[], byte[]> first = record("github", entry("github", "platform-team"));
    ConsumerRecord<byte[], byte[]> deleted = new ConsumerRecord<>(TOPIC, 0, offset++,
        "github".getBytes(StandardCharsets.UTF_8), null);
    registry.away = true;
    records.apply(first);
    records.apply(deleted);
    registry.away = false;
    records.retryUnread();

    assertThat(records.find("github")).isEmpty();
    assertThat(records.waiting()).isZero();
  }

  @Test
  void aRecordThatCannotBeReadAtAllKeepsThePreviousEntryAndDoesNotWait() {
    records.apply(record("github", entry("github", "platform-team")));
    records.apply(new ConsumerRecord<>(TOPIC, 0, offset++, "github".getBytes(StandardCharsets.UTF_8),
        new byte[] {0, 0, 0, 0, 42, 1, 2}));

    assertThat(records.find("github")).map(InventoryEntry::getOwner).contains("platform-team");
    assertThat(records.waiting()).isZero();
  }

  private ConsumerRecord<byte[], byte[]> record(String name, InventoryEntry entry) {
    byte[] value;
    try (AvroSerializer<InventoryEntry> serializer = new AvroSerializer<>(stored, AvroSerdeConfig.defaults(), false)) {
      value = serializer.serialize(TOPIC, entry);
    }
    return new ConsumerRecord<>(TOPIC, 0, offset++, name.getBytes(StandardCharsets.UTF_8), value);
  }

  private static InventoryEntry entry(String name, String owner) {
    return InventoryEntry.newBuilder().setName(name).setOwner(owner).setLocation(ServerLocation.REMOTE)
        .setRiskTier(RiskTier.HIGH).setAllowedScopes(List.of()).build();
  }
}
