package io.mcpaudit.streams.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store under Kafka Streams' own task life cycle (TopologyTestDriver commits after each input
 * record): many writes to a key within one commit serialize once, reads see the latest write, and
 * what was pending reaches the store and its changelog at the commit.
 */
class WriteAtCommitStoreTest {
  private static final String STORE = "counts";
  private final AtomicInteger serialized = new AtomicInteger();
  @TempDir
  Path stateDir;

  /** Adds the record's value to its key's count five times, one put each, reading back in between. */
  private final class Counter implements Processor<String, String, String, String> {
    private KeyValueStore<String, String> store;
    private ProcessorContext<String, String> context;

    @Override
    public void init(ProcessorContext<String, String> context) {
      this.context = context;
      this.store = context.getStateStore(STORE);
    }

    @Override
    public void process(Record<String, String> record) {
      if (record.value().equals("drop")) {
        store.delete(record.key());
        context.forward(record.withValue(String.valueOf(store.get(record.key()))));
        return;
      }
      if (record.value().equals("scan")) {
        List<String> keys = new ArrayList<>();
        store.put("scanned", "1");
        try (KeyValueIterator<String, String> all = store.all()) {
          all.forEachRemaining(kv -> keys.add(kv.key + "=" + kv.value));
        }
        context.forward(record.withValue(String.join(",", keys)));
        return;
      }
      for (int i = 0; i < 5; i++) {
        String current = store.get(record.key());
        store.put(record.key(), String.valueOf((current == null ? 0 : Integer.parseInt(current)) + 1));
      }
      context.forward(record.withValue(store.get(record.key())));
    }
  }

  private TopologyTestDriver driver() {
    Serde<String> counting = Serdes.serdeFrom(new Serializer<>() {
      @Override
      public byte[] serialize(String topic, String data) {
        serialized.incrementAndGet();
        return data == null ? null : data.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      }
    }, (Deserializer<String>) (topic, data) -> data == null ? null
        : new String(data, java.nio.charset.StandardCharsets.UTF_8));
    Topology topology = new Topology();
    topology.addSource("in", new StringDeserializer(), new StringDeserializer(), "in");
    topology.addProcessor("count", Counter::new, "in");
    topology.addStateStore(WriteAtCommitStoreBuilder.over(
        Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE), Serdes.String(), counting)), "count");
    topology.addSink("out", "out", new StringSerializer(), new StringSerializer(), "count");
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "write-at-commit-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    return new TopologyTestDriver(topology, props);
  }

  @Test
  void manyWritesToAKeyWithinOneCommitAreSerializedOnceAndReadsSeeTheLatest() {
    try (TopologyTestDriver driver = driver()) {
      TestInputTopic<String, String> in = driver.createInputTopic("in", new StringSerializer(), new StringSerializer());
      TestOutputTopic<String, String> out = driver.createOutputTopic("out", new StringDeserializer(),
          new StringDeserializer());

      in.pipeInput("a", "x");
      in.pipeInput("a", "x");
      in.pipeInput("b", "x");

      assertThat(out.readKeyValuesToList()).containsExactly(KeyValue.pair("a", "5"), KeyValue.pair("a", "10"),
          KeyValue.pair("b", "5"));
      assertThat(serialized.get()).as("one serialization per key and commit, not one per put").isEqualTo(3);
      KeyValueStore<String, String> store = driver.getKeyValueStore(STORE);
      assertThat(store.get("a")).isEqualTo("10");
    }
  }

  @Test
  void aDeleteIsSeenAtOnceAndWrittenAtTheCommit() {
    try (TopologyTestDriver driver = driver()) {
      TestInputTopic<String, String> in = driver.createInputTopic("in", new StringSerializer(), new StringSerializer());
      TestOutputTopic<String, String> out = driver.createOutputTopic("out", new StringDeserializer(),
          new StringDeserializer());

      in.pipeInput("a", "x");
      in.pipeInput("a", "drop");

      assertThat(out.readKeyValuesToList()).containsExactly(KeyValue.pair("a", "5"), KeyValue.pair("a", "null"));
      KeyValueStore<String, String> store = driver.getKeyValueStore(STORE);
      assertThat(store.get("a")).isNull();
    }
  }

  @Test
  void aScanSeesWritesNotYetCommitted() {
    try (TopologyTestDriver driver = driver()) {
      TestInputTopic<String, String> in = driver.createInputTopic("in", new StringSerializer(), new StringSerializer());
      TestOutputTopic<String, String> out = driver.createOutputTopic("out", new StringDeserializer(),
          new StringDeserializer());

      in.pipeInput("a", "x");
      in.pipeInput("z", "scan");

      assertThat(out.readKeyValuesToList()).containsExactly(KeyValue.pair("a", "5"),
          KeyValue.pair("z", "a=5,scanned=1"));
    }
  }
}
