package io.mcpaudit.agent.emit;

import io.mcpaudit.event.AuditEvent;
import io.mcpaudit.schema.registry.SchemaRegistryClient;
import io.mcpaudit.schema.serde.AvroSerdeConfig;
import io.mcpaudit.schema.serde.AvroSerializer;
import io.mcpaudit.schema.serde.Subjects;
import io.mcpaudit.schema.topic.Topics;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Sends audit events to {@code mcp.audit.events.v1} (Avro, Confluent wire format, key =
 * session id) with an idempotent, acks=all producer. When Kafka or the schema registry
 * cannot be reached, events go to the on-disk {@link Spool} instead, in order, and are
 * replayed in order once both answer again; a status line on stderr says what is
 * happening. When even the spool is full, lost events are counted and reported as an
 * {@code AuditGapReported} event as soon as one can be delivered.
 *
 * <p>Only the agent's event thread calls {@link #deliver} and {@link #tick}; a small
 * daemon thread probes for recovery so that the event thread never waits on a dead broker.
 */
public final class KafkaEmitter implements EventSink {
  /** How long a send may wait for metadata before the broker counts as unreachable. */
  static final Duration MAX_BLOCK = Duration.ofSeconds(3);
  private static final int REPLAY_CHUNK = 500;
  private static final Duration STATUS_EVERY = Duration.ofSeconds(60);

  private final String bootstrap;
  private final String topic;
  private final SchemaRegistryClient registry;
  private final Producer<String, byte[]> producer;
  private final AvroSerializer<AuditEvent> serializer;
  private final AvroEventCodec codec = new AvroEventCodec();
  private final Spool spool;
  private final Consumer<String> status;
  private final Clock clock;
  private final Duration retryEvery;
  private final Map<String, Object> adminConfig;

  /** Sent, not yet acknowledged, by sequence: what must be spooled if the broker goes away. */
  private final ConcurrentSkipListMap<Long, byte[]> inFlight = new ConcurrentSkipListMap<>();
  private final AtomicReference<String> sendFailure = new AtomicReference<>();
  private final AtomicBoolean reachable = new AtomicBoolean(false);
  private final Thread prober;
  private volatile boolean closed;

  private boolean spooling;
  private String downReason;
  private Instant lastStatus = Instant.EPOCH;
  private long lostEvents;
  private Long firstLostSequence;
  private long replayedSinceDown;

  /**
   * @param producerOverrides extra producer settings (TLS, SASL, …); the delivery guarantees are not overridable
   * @param status where status lines go (stderr in the CLI)
   */
  public KafkaEmitter(String bootstrap, SchemaRegistryClient registry, Spool spool, Map<String, Object> producerOverrides,
                      String clientId, Consumer<String> status, Clock clock, Duration retryEvery) {
    this(bootstrap, Topics.EVENTS.name(), registry, spool, producerOverrides, clientId, status, clock, retryEvery);
  }

  /** As above, sending to {@code topic} instead of {@code mcp.audit.events.v1}. */
  public KafkaEmitter(String bootstrap, String topic, SchemaRegistryClient registry, Spool spool,
                      Map<String, Object> producerOverrides, String clientId, Consumer<String> status, Clock clock,
                      Duration retryEvery) {
    this.bootstrap = bootstrap;
    this.topic = topic;
    this.registry = registry;
    this.spool = spool;
    this.status = status;
    this.clock = clock;
    this.retryEvery = retryEvery;
    this.serializer = new AvroSerializer<>(registry, AvroSerdeConfig.defaults(), false);
    Map<String, Object> config = new HashMap<>(producerOverrides);
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    config.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
    config.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 5);
    config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) MAX_BLOCK.toMillis());
    config.putIfAbsent(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
    config.putIfAbsent(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 15_000);
    config.putIfAbsent(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 2_000);
    this.producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    this.adminConfig = new HashMap<>();
    producerOverrides.forEach((key, value) -> {
      if (key.startsWith("security.") || key.startsWith("sasl.") || key.startsWith("ssl.")) {
        adminConfig.put(key, value);
      }
    });
    adminConfig.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    adminConfig.put(AdminClientConfig.CLIENT_ID_CONFIG, clientId + "-probe");
    adminConfig.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3_000);
    adminConfig.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3_000);
    this.prober = new Thread(this::probeLoop, "mcp-audit-kafka-probe");
    this.prober.setDaemon(true);
    this.prober.start();
    if (!spool.isEmpty()) {
      // Events left from an earlier run go first, in order; new ones queue behind them.
      spooling = true;
      downReason = "not yet checked";
      status.accept("mcp-audit agent: " + spool.records() + " events from an earlier run wait in " + spool.dir()
          + "; they are sent first, in order, once Kafka at " + bootstrap + " answers");
    }
  }

  @Override
  public void deliver(AuditEvent event) {
    settleFailures();
    if (spooling) {
      replayIfReachable();
    }
    if (spooling) {
      spool(event.getSequence(), codec.encode(event));
      return;
    }
    send(event);
  }

  @Override
  public void tick() {
    settleFailures();
    if (spooling) {
      replayIfReachable();
      if (spooling && Duration.between(lastStatus, clock.instant()).compareTo(STATUS_EVERY) >= 0) {
        reportSpooling();
      }
    }
    try {
      spool.flush();
    } catch (IOException e) {
      status.accept("mcp-audit agent: cannot write the spool " + spool.dir() + " (" + e.getMessage() + ")");
    }
  }

  @Override
  public Optional<Loss> takeLoss() {
    if (lostEvents == 0 || (spooling && !spool.fits(512))) {
      return Optional.empty();
    }
    Loss loss = new Loss(lostEvents, firstLostSequence,
        "spool full (" + Sizes.human(spool.maxBytes()) + " at " + spool.dir() + ") while Kafka at " + bootstrap
            + " was unreachable");
    lostEvents = 0;
    firstLostSequence = null;
    return Optional.of(loss);
  }

  /** Whether events currently go to the spool rather than Kafka. */
  public boolean isSpooling() {
    return spooling;
  }

  public Spool spool() {
    return spool;
  }

  @Override
  public void close() {
    closed = true;
    prober.interrupt();
    try {
      settleFailures();
      if (!spooling) {
        producer.flush();
        settleFailures();
      }
      spool.flush();
    } catch (IOException | RuntimeException e) {
      status.accept("mcp-audit agent: while closing, " + e.getMessage());
    } finally {
      producer.close(Duration.ofSeconds(5));
      try {
        spool.close();
      } catch (IOException e) {
        status.accept("mcp-audit agent: cannot close the spool " + spool.dir() + " (" + e.getMessage() + ")");
      }
    }
  }

  private void send(AuditEvent event) {
    byte[] avro = codec.encode(event);
    byte[] value;
    try {
      value = serializer.serialize(topic, event);
    } catch (RuntimeException e) {
      enterSpooling(describe(e));
      spool(event.getSequence(), avro);
      return;
    }
    long sequence = event.getSequence();
    inFlight.put(sequence, avro);
    try {
      producer.send(new ProducerRecord<>(topic, event.getSessionId(), value), (metadata, error) -> {
        if (error == null) {
          inFlight.remove(sequence);
        } else {
          sendFailure.compareAndSet(null, describe(error));
        }
      });
    } catch (RuntimeException e) {
      sendFailure.compareAndSet(null, describe(e));
      settleFailures();
    }
  }

  /** After a failed send: wait for what is still in flight, then spool everything unacknowledged, in order. */
  private void settleFailures() {
    String failure = sendFailure.get();
    if (failure == null) {
      return;
    }
    try {
      producer.flush();
    } catch (RuntimeException ignored) {
      // flush only waits; individual failures arrive through the callbacks
    }
    enterSpooling(failure);
    List<Map.Entry<Long, byte[]>> unacknowledged = new ArrayList<>(inFlight.entrySet());
    inFlight.clear();
    for (Map.Entry<Long, byte[]> entry : unacknowledged) {
      spool(entry.getKey(), entry.getValue());
    }
    sendFailure.set(null);
  }

  private void spool(long sequence, byte[] avro) {
    try {
      if (spool.append(avro)) {
        return;
      }
    } catch (IOException e) {
      status.accept("mcp-audit agent: cannot write the spool " + spool.dir() + " (" + e.getMessage() + ")");
    }
    if (lostEvents == 0) {
      status.accept("mcp-audit agent: the spool " + spool.dir() + " is full (" + Sizes.human(spool.maxBytes())
          + "); audit events are being LOST until Kafka at " + bootstrap + " is reachable again");
    }
    lostEvents++;
    if (firstLostSequence == null || (sequence > 0 && sequence < firstLostSequence)) {
      firstLostSequence = sequence > 0 ? sequence : null;
    }
  }

  private void enterSpooling(String reason) {
    if (!spooling) {
      spooling = true;
      reachable.set(false);
      downReason = reason;
      replayedSinceDown = 0;
      reportSpooling();
    }
  }

  private void reportSpooling() {
    lastStatus = clock.instant();
    status.accept("mcp-audit agent: Kafka at " + bootstrap + " is unreachable (" + downReason
        + "); events are being spooled to " + spool.dir() + " (" + Sizes.human(spool.sizeBytes()) + " of "
        + Sizes.human(spool.maxBytes()) + ")");
  }

  private void replayIfReachable() {
    if (!reachable.get()) {
      return;
    }
    try {
      int budget = 4 * REPLAY_CHUNK;
      while (!spool.isEmpty() && budget > 0) {
        List<byte[]> chunk = spool.peek(REPLAY_CHUNK);
        if (chunk.isEmpty()) {
          break;
        }
        AtomicReference<String> failure = new AtomicReference<>();
        for (byte[] avro : chunk) {
          AuditEvent event = codec.decode(avro);
          byte[] value = serializer.serialize(topic, event);
          producer.send(new ProducerRecord<>(topic, event.getSessionId(), value), (metadata, error) -> {
            if (error != null) {
              failure.compareAndSet(null, describe(error));
            }
          });
        }
        producer.flush();
        if (failure.get() != null) {
          // Still down: keep everything (what did get through is re-sent later; eventId identifies duplicates).
          reachable.set(false);
          downReason = failure.get();
          return;
        }
        spool.commit(chunk.size());
        replayedSinceDown += chunk.size();
        budget -= chunk.size();
      }
    } catch (IOException | RuntimeException e) {
      reachable.set(false);
      downReason = describe(e);
      return;
    }
    if (spool.isEmpty()) {
      spooling = false;
      status.accept("mcp-audit agent: Kafka at " + bootstrap + " is reachable again; " + replayedSinceDown
          + " spooled events were delivered in order");
    }
  }

  private void probeLoop() {
    Map<String, Object> config = adminConfig;
    try (Admin admin = Admin.create(config)) {
      while (!closed) {
        if (spooling && !reachable.get()) {
          try {
            admin.describeCluster(new DescribeClusterOptions().timeoutMs(3_000)).nodes().get(4, TimeUnit.SECONDS);
            registry.register(Subjects.forTopic(topic, false), AuditEvent.getClassSchema());
            reachable.set(true);
          } catch (InterruptedException e) {
            return;
          } catch (Exception e) {
            downReason = describe(e);
          }
        }
        try {
          Thread.sleep(retryEvery.toMillis());
        } catch (InterruptedException e) {
          return;
        }
      }
    } catch (RuntimeException e) {
      status.accept("mcp-audit agent: the Kafka recovery probe stopped (" + e.getMessage() + ")");
    }
  }

  /** A short reason for a status line: the innermost message that says something. */
  static String describe(Throwable error) {
    Throwable cause = error;
    while (cause.getCause() != null && cause.getCause() != cause) {
      if (cause instanceof io.mcpaudit.schema.registry.RegistryUnreachableException) {
        break;
      }
      cause = cause.getCause();
    }
    if (cause instanceof io.mcpaudit.schema.registry.RegistryUnreachableException) {
      return cause.getMessage();
    }
    if (cause instanceof java.net.ConnectException) {
      return "connection refused";
    }
    if (cause instanceof org.apache.kafka.common.errors.TimeoutException
        || cause instanceof java.util.concurrent.TimeoutException) {
      return "no answer within " + MAX_BLOCK.toSeconds() + " s";
    }
    String message = cause.getMessage();
    return message == null ? cause.getClass().getSimpleName() : message;
  }
}
