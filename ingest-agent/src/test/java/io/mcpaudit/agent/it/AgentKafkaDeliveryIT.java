package io.mcpaudit.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcpaudit.agent.AgentRuntime;
import io.mcpaudit.agent.config.AgentConfig;
import io.mcpaudit.agent.config.AgentConfigLoader;
import io.mcpaudit.agent.http.HttpAgent;
import io.mcpaudit.event.AuditEvent;
import io.mcpaudit.event.RedactedText;
import io.mcpaudit.event.TokenPresented;
import io.mcpaudit.event.ToolCallRequested;
import io.mcpaudit.schema.chain.EventHashChain;
import io.mcpaudit.schema.registry.SchemaRegistryClient;
import io.mcpaudit.schema.registry.SchemaRegistryConfig;
import io.mcpaudit.schema.serde.AvroDeserializer;
import io.mcpaudit.schema.serde.Subjects;
import io.mcpaudit.stack.StackEndpoints;
import io.mcpaudit.testing.RealServices;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.ServerSocket;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's delivery against a real Kafka broker and schema registry: real MCP traffic (the
 * SDK client and server over HTTP, through the agent) must arrive as Avro records a consumer
 * decodes by schema id, exactly as the agent built them, in order per session, without a raw
 * token or secret anywhere in the bytes; and while Kafka is unreachable the events must wait
 * in the spool and be replayed in order, each exactly once, when it is reachable again.
 */
@RealServices
class AgentKafkaDeliveryIT {
  private static final String AWS_KEY = "AKIAIOSFODNN7EXAMPLE";
  private static final String AWS_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
  private static final String JWT = jwt("{\"iss\":\"https://auth.example.com\",\"sub\":\"alice\","
      + "\"aud\":\"https://mcp.example.com\",\"scope\":\"files:read\",\"jti\":\"" + UUID.randomUUID() + "\"}");

  @TempDir
  Path dir;

  private StackEndpoints stack;
  private String topic;
  private String agentId;
  private SdkHttpServer server;
  private final List<String> status = new CopyOnWriteArrayList<>();

  private static String jwt(String claims) {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    return b64.encodeToString("{\"alg\":\"RS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
        + b64.encodeToString(claims.getBytes(StandardCharsets.UTF_8)) + "." + b64.encodeToString(new byte[64]);
  }

  @BeforeEach
  void setUp(StackEndpoints stack) throws Exception {
    this.stack = stack;
    String unique = UUID.randomUUID().toString();
    topic = "it.agent.events." + unique;
    agentId = "it-agent-" + unique;
    server = SdkHttpServer.streamableHttp();
  }

  @AfterEach
  void tearDown() throws Exception {
    server.close();
  }

  private AgentConfig config(String bootstrap) {
    Map<String, String> options = new HashMap<>(Map.of(
        "kafka.bootstrap", bootstrap, "kafka.schema-registry", stack.schemaRegistryUrl().toString(),
        "kafka.topic", topic, "kafka.retry-interval", "500ms", "agent.id", agentId,
        "spool.dir", dir.resolve("spool").toString(), "server.name", "sample-http",
        "http.listen", "127.0.0.1:0", "http.upstream", server.baseUrl(),
        "secrets.fingerprint-key", Base64.getEncoder().encodeToString(new byte[32])));
    return new AgentConfigLoader(dir).load(Optional.empty(), Map.of(), options);
  }

  /** Starts the HTTP agent with real delivery, recording what it delivers. */
  private HttpAgent agent(AgentConfig config, RecordingSink[] recording) throws Exception {
    recording[0] = new RecordingSink(AgentRuntime.sink(config, status::add));
    AgentRuntime runtime = AgentRuntime.start(config, status::add, recording[0]);
    return HttpAgent.create(runtime, status::add, Clock.systemUTC()).start();
  }

  /** A conversation that carries a bearer token and, in tool arguments, an AWS key pair. */
  private static void converse(HttpAgent agent) {
    HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport.builder(agent.url().toString())
        .endpoint("/mcp").requestBuilder(HttpRequest.newBuilder().header("Authorization", "Bearer " + JWT)).build();
    try (McpSyncClient client = McpClient.sync(transport)
        .clientInfo(new McpSchema.Implementation("it-kafka-client", "0.1"))
        .requestTimeout(Duration.ofSeconds(60)).build()) {
      client.initialize();
      client.listTools();
      client.callTool(new McpSchema.CallToolRequest("echo", Map.of("text", "deploy with " + AWS_KEY + " and "
          + "aws_secret_access_key=" + AWS_SECRET)));
      client.callTool(new McpSchema.CallToolRequest("add", Map.of("a", 1, "b", 2)));
    }
  }

  private Map<String, Object> consumerProps() {
    return Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap(),
        ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID(),
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
  }

  private <T> List<ConsumerRecord<String, T>> consume(Deserializer<T> values, int expected, Duration within) {
    List<ConsumerRecord<String, T>> received = new ArrayList<>();
    try (KafkaConsumer<String, T> consumer = new KafkaConsumer<>(consumerProps(), new StringDeserializer(), values)) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + within.toNanos();
      while (received.size() < expected && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(300)).forEach(received::add);
      }
      // Anything beyond the expected count (a duplicate) would show up now.
      consumer.poll(Duration.ofSeconds(1)).forEach(received::add);
    }
    return received;
  }

  private static Map<String, List<String>> idsBySession(Stream<AuditEvent> events) {
    Map<String, List<String>> bySession = new LinkedHashMap<>();
    events.forEach(event -> bySession.computeIfAbsent(event.getSessionId(), key -> new ArrayList<>())
        .add(event.getEventId()));
    return bySession;
  }

  @Test
  void eventsArriveDecodedBySchemaIdAsTheAgentBuiltThemAndNeverHoldARawSecret() throws Exception {
    RecordingSink[] recording = new RecordingSink[1];
    HttpAgent agent = agent(config(stack.kafkaBootstrap()), recording);
    converse(agent);
    agent.close();
    List<AuditEvent> sent = recording[0].events;
    assertThat(sent).hasSizeGreaterThan(10);

    SchemaRegistryClient registry = new SchemaRegistryClient(SchemaRegistryConfig.of(stack.schemaRegistryUrl()));
    List<ConsumerRecord<String, AuditEvent>> received = consume(new AvroDeserializer<>(registry, AuditEvent.class),
        sent.size(), Duration.ofSeconds(60));
    List<AuditEvent> values = received.stream().map(ConsumerRecord::value).toList();
    assertThat(values).containsExactlyElementsOf(sent);
    assertThat(received).allSatisfy(record -> assertThat(record.key()).isEqualTo(record.value().getSessionId()));
    assertThat(idsBySession(values.stream())).isEqualTo(idsBySession(sent.stream()));
    assertThat(values).allSatisfy(event -> assertThat(EventHashChain.isIntact(event)).isTrue());
    assertThat(values).extracting(AuditEvent::getSequence)
        .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, values.size()).boxed().toList());

    // The secrets did cross the agent: the token as a fingerprint with claims, the key pair redacted.
    TokenPresented token = values.stream().map(AuditEvent::getPayload).filter(TokenPresented.class::isInstance)
        .map(TokenPresented.class::cast).findFirst().orElseThrow();
    assertThat(token.getClaims().getSub()).isEqualTo("alice");
    RedactedText arguments = values.stream().map(AuditEvent::getPayload).filter(ToolCallRequested.class::isInstance)
        .map(ToolCallRequested.class::cast).filter(call -> call.getToolName().equals("echo")).findFirst()
        .orElseThrow().getArguments();
    assertThat(arguments.getRedactions()).contains("aws-access-key");

    // Every record's bytes: the Confluent wire format with the registered id, and no raw secret anywhere.
    int schemaId = registry.lookupId(Subjects.forTopic(topic, false), AuditEvent.getClassSchema());
    List<ConsumerRecord<String, byte[]>> raw = consume(new ByteArrayDeserializer(), sent.size(), Duration.ofSeconds(60));
    assertThat(raw).hasSize(sent.size());
    List<byte[]> secrets = Stream.of(JWT, JWT.substring(JWT.indexOf('.') + 1, JWT.lastIndexOf('.')), AWS_KEY, AWS_SECRET)
        .map(secret -> secret.getBytes(StandardCharsets.UTF_8)).toList();
    for (ConsumerRecord<String, byte[]> record : raw) {
      ByteBuffer value = ByteBuffer.wrap(record.value());
      assertThat(value.get()).isZero();
      assertThat(value.getInt()).isEqualTo(schemaId);
      List<byte[]> parts = new ArrayList<>(List.of(record.value(), record.key().getBytes(StandardCharsets.UTF_8)));
      for (Header header : record.headers()) {
        parts.add(header.value());
      }
      for (byte[] part : parts) {
        for (byte[] secret : secrets) {
          assertThat(indexOf(part, secret)).as("a raw secret in record %d", record.offset()).isEqualTo(-1);
        }
      }
    }
  }

  @Test
  void whileKafkaIsUnreachableEventsAreSpooledThenReplayedInOrderExactlyOnce() throws Exception {
    int nothingListens;
    try (ServerSocket socket = new ServerSocket(0)) {
      nothingListens = socket.getLocalPort();
    }
    // First run: the broker address answers nothing; the agent keeps proxying and spools.
    RecordingSink[] first = new RecordingSink[1];
    HttpAgent down = agent(config("127.0.0.1:" + nothingListens), first);
    converse(down);
    down.close();
    assertThat(first[0].events).hasSizeGreaterThan(10);
    assertThat(status).anySatisfy(line -> assertThat(line).contains("Kafka at 127.0.0.1:" + nothingListens
        + " is unreachable").contains("spooled to " + dir.resolve("spool")));
    try (Stream<Path> segments = Files.list(dir.resolve("spool").resolve(agentId))) {
      assertThat(segments.filter(path -> path.toString().endsWith(".seg"))).isNotEmpty();
    }

    // Second run, same agent id and spool, the real broker: the spool goes first, then the new events.
    RecordingSink[] second = new RecordingSink[1];
    HttpAgent up = agent(config(stack.kafkaBootstrap()), second);
    converse(up);
    awaitStatus("is reachable again", Duration.ofSeconds(60));
    up.close();
    assertThat(status).anySatisfy(line -> assertThat(line).contains("is reachable again")
        .contains("spooled events were delivered in order"));

    List<AuditEvent> all = new ArrayList<>(first[0].events);
    all.addAll(second[0].events);
    SchemaRegistryClient registry = new SchemaRegistryClient(SchemaRegistryConfig.of(stack.schemaRegistryUrl()));
    List<ConsumerRecord<String, AuditEvent>> received = consume(new AvroDeserializer<>(registry, AuditEvent.class),
        all.size(), Duration.ofSeconds(90));
    assertThat(received.stream().map(record -> record.value().getEventId()).toList())
        .as("every event once, the spooled ones first, each run in its own order")
        .containsExactlyElementsOf(all.stream().map(AuditEvent::getEventId).toList());
    assertThat(received.stream().map(ConsumerRecord::value).toList()).containsExactlyElementsOf(all);
    assertThat(idsBySession(received.stream().map(ConsumerRecord::value))).isEqualTo(idsBySession(all.stream()));
  }

  private void awaitStatus(String text, Duration within) throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < deadline) {
      if (status.stream().anyMatch(line -> line.contains(text))) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no status line with '" + text + "' within " + within + "; status: " + status);
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
