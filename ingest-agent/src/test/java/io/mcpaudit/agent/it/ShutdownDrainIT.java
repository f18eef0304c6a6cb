package io.mcpaudit.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcpaudit.agent.AgentRuntime;
import io.mcpaudit.agent.config.AgentConfig;
import io.mcpaudit.agent.config.AgentConfigLoader;
import io.mcpaudit.agent.emit.AvroEventCodec;
import io.mcpaudit.agent.emit.Spool;
import io.mcpaudit.agent.stdio.StdioAgent;
import io.mcpaudit.event.AuditEvent;
import io.mcpaudit.schema.registry.SchemaRegistryClient;
import io.mcpaudit.schema.registry.SchemaRegistryConfig;
import io.mcpaudit.schema.serde.AvroDeserializer;
import io.mcpaudit.stack.StackEndpoints;
import io.mcpaudit.testing.RealServices;
import io.mcpaudit.testing.TcpOutage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stdio agent that stops soon after a Kafka outage, against a real broker and registry: what it
 * spooled is delivered while it stops if Kafka is back, and otherwise stays in the spool, within the
 * drain timeout, for the next agent to send exactly once. The exit code stays the server's.
 *
 * <p>The background probe is set to check only once an hour, so whatever reaches Kafka after the
 * outage was sent by the shutdown drain (or, in a later run, by the start-up replay).
 */
@RealServices
class ShutdownDrainIT {
  @TempDir
  Path dir;

  private StackEndpoints stack;
  private TcpOutage kafka;
  private String topic;
  private final List<String> status = new CopyOnWriteArrayList<>();

  /** One stdio session through the agent: the client writes lines, the server echoes them and exits. */
  private final class Session {
    final RecordingSink recording;
    private final PipedOutputStream client = new PipedOutputStream();
    private final CompletableFuture<Integer> exit;

    Session(String agentId, String drainTimeout, int serverExitCode) throws IOException {
      this(agentId, drainTimeout, serverExitCode, "1h");
    }

    Session(String agentId, String drainTimeout, int serverExitCode, String retryInterval) throws IOException {
      AgentConfig config = new AgentConfigLoader(dir).load(Optional.empty(), Map.of(), Map.of(
          "kafka.bootstrap", "127.0.0.1:" + kafka.port(), "kafka.schema-registry", stack.schemaRegistryUrl().toString(),
          "kafka.topic", topic, "kafka.retry-interval", retryInterval, "kafka.drain-timeout", drainTimeout,
          "agent.id", agentId, "spool.dir", dir.resolve("spool").toString(), "server.name", "echo",
          "secrets.fingerprint-key", Base64.getEncoder().encodeToString(new byte[32])));
      recording = new RecordingSink(AgentRuntime.sink(config, status::add));
      AgentRuntime runtime = AgentRuntime.start(config, status::add, recording);
      StdioAgent agent = new StdioAgent(runtime, List.of("sh", "-c", "cat; exit " + serverExitCode), dir,
          System.getenv(), status::add, Clock.systemUTC());
      PipedInputStream stdin = new PipedInputStream(client, 1 << 16);
      exit = CompletableFuture.supplyAsync(() -> {
        try {
          return agent.run(stdin, new ByteArrayOutputStream());
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        }
      });
    }

    void send(int requests) throws IOException {
      for (int i = 1; i <= requests; i++) {
        client.write(("{\"jsonrpc\":\"2.0\",\"id\":" + i + ",\"method\":\"tools/list\"}\n")
            .getBytes(StandardCharsets.UTF_8));
      }
      client.flush();
    }

    /** The client goes away; the server exits; the agent stops. Returns the agent's exit code. */
    int end() throws Exception {
      client.close();
      return exit.get(2, TimeUnit.MINUTES);
    }
  }

  @BeforeEach
  void setUp(StackEndpoints stack) throws IOException {
    this.stack = stack;
    this.topic = "it.agent.drain." + UUID.randomUUID();
    String broker = stack.kafkaBootstrap().split(",")[0].trim();
    // The agents bootstrap through this forwarder: cut at first, so each starts in an outage.
    this.kafka = new TcpOutage(broker.substring(0, broker.lastIndexOf(':')),
        Integer.parseInt(broker.substring(broker.lastIndexOf(':') + 1)));
    kafka.cut();
  }

  @AfterEach
  void tearDown() throws IOException {
    kafka.close();
  }

  @Test
  void eventsSpooledDuringAnOutageAreDeliveredWhenTheAgentStopsAfterKafkaCameBack() throws Exception {
    Session session = new Session("it-drain-" + UUID.randomUUID(), "15s", 7);
    session.send(3);
    awaitStatus("is unreachable");
    // Long enough for the probe's one check (3 s) to have failed: no one looks again before the agent stops.
    Thread.sleep(5_000);
    kafka.restore();
    Thread.sleep(3_000);
    assertThat(consumeIds(0, Duration.ofSeconds(5))).as("nothing delivered while the agent runs").isEmpty();

    int exit = session.end();

    assertThat(exit).as("the server's exit code").isEqualTo(7);
    List<String> sent = ids(session.recording.events);
    assertThat(sent).hasSizeGreaterThanOrEqualTo(8);
    assertThat(consumeIds(sent.size(), Duration.ofSeconds(60))).as("every event once, in order")
        .containsExactlyElementsOf(sent);
    assertThat(status).anySatisfy(line -> assertThat(line)
        .contains("is reachable again; " + sent.size() + " spooled events were delivered in order"));
    assertThat(segments("spool")).as("nothing left in the spool").isEmpty();
  }

  @Test
  void stoppingWhileKafkaIsDownEndsByTheDeadlineAndTheNextStartSendsTheSpoolExactlyOnce() throws Exception {
    String agentId = "it-drain-" + UUID.randomUUID();
    Session outage = new Session(agentId, "1s", 5);
    outage.send(3);
    awaitStatus("is unreachable");

    int exit = outage.end();

    assertThat(exit).as("the server's exit code").isEqualTo(5);
    assertThat(outage.recording.closing).as("stopping ends at the 1 s drain timeout, not at the 3 s Kafka checks")
        .isLessThan(Duration.ofSeconds(3));
    List<String> spooled = ids(outage.recording.events);
    assertThat(spooledIds(agentId)).as("every event kept, in order").containsExactlyElementsOf(spooled);
    assertThat(status).anySatisfy(line -> assertThat(line).contains(spooled.size() + " events stay in the spool"));

    kafka.restore();
    Session next = new Session(agentId, "15s", 0);
    next.send(2);
    int nextExit = next.end();

    assertThat(nextExit).isZero();
    List<String> all = new ArrayList<>(spooled);
    all.addAll(ids(next.recording.events));
    assertThat(consumeIds(all.size(), Duration.ofSeconds(60)))
        .as("the spooled events once, first, then the new ones").containsExactlyElementsOf(all);
    assertThat(segments(agentId)).isEmpty();
  }

  @Test
  void aSpoolLeftByAnotherAgentIdIsSentByTheNextAgentThatReachesKafka() throws Exception {
    String stopped = "it-drain-stopped-" + UUID.randomUUID();
    List<String> left = spooledByAnAgentStoppedDuringTheOutage(stopped);
    assertThat(spooledIds(stopped)).containsExactlyElementsOf(left);

    kafka.restore();
    Session other = new Session("it-drain-other-" + UUID.randomUUID(), "15s", 0);
    other.send(2);
    other.end();

    List<String> all = new ArrayList<>(ids(other.recording.events));
    all.addAll(left);
    assertThat(consumeIds(all.size(), Duration.ofSeconds(60))).as("both agents' events, each once")
        .containsExactlyInAnyOrderElementsOf(all);
    assertThat(status).anySatisfy(line -> assertThat(line).contains(left.size() + " events left in")
        .contains("by agent " + stopped));
    assertThat(segments(stopped)).as("the stopped agent's spool is empty now").isEmpty();
  }

  @Test
  void aRunningAgentSendsASpoolLeftByAnotherAgentIdWithoutWaitingToStop() throws Exception {
    String stopped = "it-drain-stopped-" + UUID.randomUUID();
    List<String> left = spooledByAnAgentStoppedDuringTheOutage(stopped);

    kafka.restore();
    Session running = new Session("it-drain-running-" + UUID.randomUUID(), "15s", 0, "500ms");
    running.send(1);
    awaitStatus("the events left in " + dir.resolve("spool").resolve(stopped) + " were delivered in order");
    assertThat(segments(stopped)).as("sent while the other agent still runs").isEmpty();
    assertThat(consumeIds(left.size() + 3, Duration.ofSeconds(60))).containsAll(left);
    running.end();
  }

  /** An agent that starts and stops while Kafka is cut: the ids of the events it leaves in its spool. */
  private List<String> spooledByAnAgentStoppedDuringTheOutage(String agentId) throws Exception {
    Session outage = new Session(agentId, "1s", 0);
    outage.send(2);
    awaitStatus("is unreachable");
    outage.end();
    return ids(outage.recording.events);
  }

  private static List<String> ids(List<AuditEvent> events) {
    return events.stream().map(AuditEvent::getEventId).toList();
  }

  private List<String> spooledIds(String agentId) throws IOException {
    AvroEventCodec codec = new AvroEventCodec();
    try (Spool spool = Spool.open(dir.resolve("spool").resolve(agentId), 1 << 30, 1 << 20)) {
      return spool.peek(100_000).stream().map(bytes -> codec.decode(bytes).getEventId()).toList();
    }
  }

  private List<Path> segments(String agentId) throws IOException {
    Path folder = dir.resolve("spool").resolve(agentId);
    if (!Files.isDirectory(folder)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(folder)) {
      return files.filter(file -> file.toString().endsWith(".seg")).toList();
    }
  }

  /**
   * Event ids of the records on the topic, read until {@code expected} arrived (and a little longer, for
   * duplicates); with {@code expected} 0, read for all of {@code within}.
   */
  private List<String> consumeIds(int expected, Duration within) {
    SchemaRegistryClient registry = new SchemaRegistryClient(SchemaRegistryConfig.of(stack.schemaRegistryUrl()));
    List<String> received = new ArrayList<>();
    try (KafkaConsumer<String, AuditEvent> consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap(),
        ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID(),
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
        new StringDeserializer(), new AvroDeserializer<>(registry, AuditEvent.class))) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + within.toNanos();
      while ((expected == 0 || received.size() < expected) && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(300)).forEach(record -> received.add(record.value().getEventId()));
      }
      consumer.poll(Duration.ofSeconds(1)).forEach(record -> received.add(record.value().getEventId()));
    }
    return received;
  }

  private void awaitStatus(String text) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      if (status.stream().anyMatch(line -> line.contains(text))) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no status line with '" + text + "'; status: " + status);
  }
}
