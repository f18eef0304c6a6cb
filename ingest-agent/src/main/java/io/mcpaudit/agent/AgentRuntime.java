package io.mcpaudit.agent;

import io.mcpaudit.agent.capture.CaptureWriter;
import io.mcpaudit.agent.config.AgentConfig;
import io.mcpaudit.agent.emit.DeliverySettings;
import io.mcpaudit.agent.emit.EventSink;
import io.mcpaudit.agent.emit.KafkaEmitter;
import io.mcpaudit.agent.emit.OrphanedSpools;
import io.mcpaudit.agent.emit.Spool;
import io.mcpaudit.agent.emit.SpoolDestination;
import io.mcpaudit.agent.events.AuditEventFactory;
import io.mcpaudit.agent.mcp.JsonRpcParser;
import io.mcpaudit.agent.secrets.CredentialRedactor;
import io.mcpaudit.agent.secrets.FingerprintKey;
import io.mcpaudit.agent.secrets.TextRedaction;
import io.mcpaudit.agent.secrets.TokenFingerprinter;
import io.mcpaudit.agent.trail.AuditTrail;
import io.mcpaudit.agent.trail.FileSequenceLedger;
import io.mcpaudit.agent.trail.SequenceLedger;
import io.mcpaudit.schema.registry.SchemaRegistryClient;
import io.mcpaudit.schema.registry.SchemaRegistryConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * The agent's parts wired from one {@link AgentConfig}: parser, redaction, token
 * fingerprinting, capture, delivery and the event thread. Each transport mode (stdio,
 * HTTP) builds one and feeds its {@link #trail()}.
 */
public final class AgentRuntime implements AutoCloseable {
  /** How long a starting agent waits for its spool folder while another agent replays what is left in it. */
  private static final Duration SPOOL_LOCK_WAIT = Duration.ofSeconds(5);

  private final AgentConfig config;
  private final JsonRpcParser parser;
  private final TextRedaction redaction;
  private final TokenFingerprinter fingerprinter;
  private final AuditTrail trail;

  private AgentRuntime(AgentConfig config, JsonRpcParser parser, TextRedaction redaction,
                       TokenFingerprinter fingerprinter, AuditTrail trail) {
    this.config = config;
    this.parser = parser;
    this.redaction = redaction;
    this.fingerprinter = fingerprinter;
    this.trail = trail;
  }

  /** Builds and starts the agent; status lines (spooling, losses) go to {@code status}. */
  public static AgentRuntime start(AgentConfig config, Consumer<String> status) throws IOException {
    return start(config, status, null);
  }

  /** As {@link #start(AgentConfig, Consumer)}, with the event sink given (tests, embedding). */
  public static AgentRuntime start(AgentConfig config, Consumer<String> status, EventSink sinkOverride)
      throws IOException {
    JsonRpcParser parser = new JsonRpcParser();
    TextRedaction redaction = new TextRedaction(new CredentialRedactor(), config.maxTextBytes());
    FingerprintKey key = config.fingerprintKey().isPresent()
        ? FingerprintKey.fromBase64(config.fingerprintKey().get())
        : FingerprintKey.loadOrCreate(config.fingerprintKeyFile());
    TokenFingerprinter fingerprinter = new TokenFingerprinter(key);
    CaptureWriter capture = config.captureFile().isPresent()
        ? CaptureWriter.open(config.captureFile().get(), parser.mapper(), redaction) : null;
    EventSink sink;
    try {
      sink = sinkOverride != null ? sinkOverride : sink(config, status);
    } catch (IOException | RuntimeException e) {
      if (capture != null) {
        capture.close();
      }
      throw e;
    }
    // An agent that sends to Kafka keeps its numbering beside its spool, so a restart with the same
    // id continues the chain instead of repeating numbers.
    SequenceLedger ledger = config.kafkaBootstrap().isPresent()
        ? new FileSequenceLedger(spoolFolder(config), status) : SequenceLedger.fromOne();
    AuditTrail trail;
    try {
      trail = new AuditTrail(parser, new AuditEventFactory(config.agentId(), redaction), capture, sink,
          config.queueMaxEvents(), config.queueMaxBytes(), status, Clock.systemUTC(), ledger).start();
    } catch (RuntimeException e) {
      if (capture != null) {
        capture.close();
      }
      sink.close();
      throw e;
    }
    return new AgentRuntime(config, parser, redaction, fingerprinter, trail);
  }

  /**
   * Where the configured events go: the Kafka emitter with its spool in {@code spool.dir/<agent id>},
   * or nowhere for {@code --kafka none}. {@link #start(AgentConfig, Consumer)} uses it; tests and
   * embedders that wrap delivery build it here.
   */
  public static EventSink sink(AgentConfig config, Consumer<String> status) throws IOException {
    if (config.kafkaBootstrap().isEmpty()) {
      return EventSink.discard();
    }
    // Each agent process owns one spool folder; concurrent agents (one per stdio server) never share one.
    Spool spool = Spool.open(spoolFolder(config), config.spoolMaxBytes(),
        config.spoolSegmentBytes(), SPOOL_LOCK_WAIT);
    SpoolDestination destination = new SpoolDestination(config.kafkaBootstrap().get(), config.eventsTopic());
    try {
      destination.writeTo(spool.dir());
    } catch (IOException e) {
      spool.close();
      throw e;
    }
    OrphanedSpools orphans = new OrphanedSpools(config.spoolDir(), spool.dir(), destination, config.spoolMaxBytes(),
        config.spoolSegmentBytes(), status);
    SchemaRegistryClient registry = new SchemaRegistryClient(SchemaRegistryConfig.of(config.schemaRegistryUrl().get()));
    DeliverySettings delivery = new DeliverySettings(config.kafkaBootstrap().get(), config.eventsTopic(),
        config.producerProperties(), "mcp-audit-agent-" + config.agentId(), config.kafkaRetryInterval(),
        config.kafkaDrainTimeout());
    return new KafkaEmitter(delivery, registry, spool, orphans, status, Clock.systemUTC());
  }

  /** {@code spool.dir/<agent id>}: this agent's spool, and its numbering across runs. */
  private static Path spoolFolder(AgentConfig config) {
    return config.spoolDir().resolve(safeName(config.agentId()));
  }

  private static String safeName(String agentId) {
    return agentId.replaceAll("[^A-Za-z0-9._-]", "_");
  }

  public AgentConfig config() {
    return config;
  }

  public JsonRpcParser parser() {
    return parser;
  }

  public TextRedaction redaction() {
    return redaction;
  }

  public TokenFingerprinter fingerprinter() {
    return fingerprinter;
  }

  public AuditTrail trail() {
    return trail;
  }

  /** Drains what was observed into capture and delivery, then stops. */
  @Override
  public void close() throws InterruptedException {
    trail.close();
  }
}
