package io.mcpaudit.agent.emit;

import io.mcpaudit.event.AuditEvent;
import io.mcpaudit.schema.registry.SchemaRegistryClient;
import io.mcpaudit.schema.serde.AvroSerdeConfig;
import io.mcpaudit.schema.serde.AvroSerializer;
import io.mcpaudit.schema.serde.Subjects;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
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
 * {@code AuditGapReported} event as soon as one can be delivered. Spools that stopped agents
 * with other ids left behind ({@link OrphanedSpools}) are replayed too while Kafka answers.
 *
 * <p>Closing drains, bounded by {@code kafka.drain-timeout}: the events in flight are waited for,
 * and if Kafka answers, the spool (then orphaned spools) is replayed; whatever is not acknowledged
 * by the deadline stays in, or goes to, the spool on disk.
 *
 * <p>Only the agent's event thread calls {@link #deliver}, {@link #tick} and {@link #close}; a
 * small daemon thread probes for recovery so that the event thread never waits on a dead broker.
 */
public final class KafkaEmitter implements EventSink {
  /** How long a send may wait for metadata before the broker counts as unreachable. */
  static final Duration MAX_BLOCK = Duration.ofSeconds(3);
  /** Spooled events replayed per turn of the event thread, so that new events are not held back long. */
  private static final int REPLAY_BUDGET = 4 * SpoolReplay.CHUNK;
  /** A replay turn of the running agent starts no new chunk after this long. */
  private static final Duration REPLAY_TURN = Duration.ofSeconds(30);
  private static final Duration STATUS_EVERY = Duration.ofSeconds(60);
  /** Of the drain timeout, at most this much is kept for closing the producer. */
  private static final Duration CLOSING_AT_MOST = Duration.ofMillis(250);

  private final String bootstrap;
  private final String topic;
  private final Duration retryEvery;
  private final Duration drainTimeout;
  private final Producer<String, byte[]> producer;
  private final AvroSerializer<AuditEvent> serializer;
  private final AvroEventCodec codec = new AvroEventCodec();
  private final SpoolReplay replay;
  private final Spool spool;
  private final OrphanedSpools orphans;
  private final RecoveryProbe probe;
  private final Consumer<String> status;
  private final Clock clock;

  /** Sent, not yet acknowledged, by sequence: what must be spooled if the broker goes away. */
  private final ConcurrentSkipListMap<Long, byte[]> inFlight = new ConcurrentSkipListMap<>();
  private final AtomicReference<String> sendFailure = new AtomicReference<>();
  /** Sends whose callback has not run yet. */
  private final AtomicInteger unanswered = new AtomicInteger();

  private boolean spooling;
  private Instant lastStatus = Instant.EPOCH;
  private Instant lastOrphanTurn = Instant.EPOCH;
  private long lostEvents;
  private Long firstLostSequence;
  private long replayedSinceDown;

  /**
   * @param spool this agent's own spool
   * @param orphans spools other agent ids left in the same spool root, or {@link OrphanedSpools#none()}
   * @param status where status lines go (stderr in the CLI)
   */
  public KafkaEmitter(DeliverySettings settings, SchemaRegistryClient registry, Spool spool, OrphanedSpools orphans,
                      Consumer<String> status, Clock clock) {
    this.bootstrap = settings.bootstrap();
    this.topic = settings.topic();
    this.retryEvery = settings.retryEvery();
    this.drainTimeout = settings.drainTimeout();
    this.spool = spool;
    this.orphans = orphans;
    this.status = status;
    this.clock = clock;
    this.serializer = new AvroSerializer<>(registry, AvroSerdeConfig.defaults(), false);
    Map<String, Object> config = new HashMap<>(settings.producerSettings());
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    config.put(ProducerConfig.CLIENT_ID_CONFIG, settings.clientId());
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
    config.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 5);
    config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) MAX_BLOCK.toMillis());
    config.putIfAbsent(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
    config.putIfAbsent(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 15_000);
    config.putIfAbsent(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 2_000);
    this.producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    this.replay = new SpoolReplay(producer, serializer, codec, topic);
    this.probe = new RecoveryProbe(bootstrap, settings.clientId(), settings.producerSettings(), registry,
        Subjects.forTopic(topic, false), retryEvery, status);
    if (!spool.isEmpty()) {
      // Events left from an earlier run go first, in order; new ones queue behind them.
      spooling = true;
      probe.down("not yet checked");
      probe.waiting(true);
      status.accept("mcp-audit agent: " + spool.records() + " events from an earlier run wait in " + spool.dir()
          + "; they are sent first, in order, once Kafka at " + bootstrap + " answers");
    }
    probe.start();
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
    } else {
      replayOrphansWhenDue();
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

  /**
   * Drains, then stops: waits for the events in flight and, if Kafka answers, replays the spool and
   * then orphaned spools, all within {@code kafka.drain-timeout}. When it runs out, the producer is
   * closed without waiting further; every event not acknowledged by then stays in, or goes to, the
   * spool.
   */
  @Override
  public void close() {
    Deadline closeBy = Deadline.after(drainTimeout);
    // The last part of the time is kept for closing the producer, so that aborted sends report back.
    Duration closing = Collections.min(List.of(drainTimeout.dividedBy(5), CLOSING_AT_MOST));
    Deadline drainBy = Deadline.after(drainTimeout.minus(closing));
    try {
      drain(drainBy);
    } catch (IOException | RuntimeException e) {
      status.accept("mcp-audit agent: while closing, " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      probe.close();
      try {
        ProducerCloser.closeBy(producer, closeBy);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (RuntimeException e) {
        status.accept("mcp-audit agent: while closing the Kafka producer, " + e.getMessage());
      }
      String failure = sendFailure.get();
      spoolUnacknowledged(failure != null ? failure : "not acknowledged within kafka.drain-timeout");
      reportLeftOver();
      try {
        spool.close();
      } catch (IOException e) {
        status.accept("mcp-audit agent: cannot close the spool " + spool.dir() + " (" + e.getMessage() + ")");
      }
    }
  }

  /** The shutdown drain: no wait in it outlasts the deadline (see {@link SpoolReplay} for the one exception). */
  private void drain(Deadline deadline) throws IOException, InterruptedException {
    while (unanswered.get() > 0 && !deadline.passed()) {
      Thread.sleep(5);
    }
    String failure = sendFailure.get();
    if (failure != null && unanswered.get() == 0) {
      enterSpooling(failure);
      spoolUnacknowledged(failure);
    }
    if (spooling && !deadline.passed() && probe.awaitReachable(deadline)) {
      replayOwnSpool(Long.MAX_VALUE, deadline);
    }
    if (!spooling && !deadline.passed() && !orphans.candidates().isEmpty() && probe.awaitReachable(deadline)) {
      replayOrphans(Long.MAX_VALUE, deadline);
    }
    spool.flush();
  }

  private void reportLeftOver() {
    if (spool.isEmpty()) {
      return;
    }
    String why = probe.isReachable() ? "not all acknowledged within kafka.drain-timeout (" + drainTimeout.toMillis()
        + " ms)" : probe.downReason();
    status.accept("mcp-audit agent: " + spool.records() + " events stay in the spool " + spool.dir() + " (Kafka at "
        + bootstrap + ": " + why + "); the next agent started with this spool.dir, Kafka and topic sends them once"
        + " Kafka answers");
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
    unanswered.incrementAndGet();
    try {
      producer.send(new ProducerRecord<>(topic, event.getSessionId(), value), (metadata, error) -> {
        if (error == null) {
          inFlight.remove(sequence);
        } else {
          sendFailure.compareAndSet(null, describe(error));
        }
        unanswered.decrementAndGet();
      });
    } catch (RuntimeException e) {
      // Thrown instead of reported: the callback will not run.
      unanswered.decrementAndGet();
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
    spoolUnacknowledged(failure);
  }

  /** Spools, in order, the events sent but not acknowledged (call when their callbacks have run). */
  private void spoolUnacknowledged(String reason) {
    if (inFlight.isEmpty()) {
      sendFailure.set(null);
      return;
    }
    enterSpooling(reason);
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
      probe.down(reason);
      probe.waiting(true);
      replayedSinceDown = 0;
      reportSpooling();
    }
  }

  private void reportSpooling() {
    lastStatus = clock.instant();
    status.accept("mcp-audit agent: Kafka at " + bootstrap + " is unreachable (" + probe.downReason()
        + "); events are being spooled to " + spool.dir() + " (" + Sizes.human(spool.sizeBytes()) + " of "
        + Sizes.human(spool.maxBytes()) + ")");
  }

  private void replayIfReachable() {
    if (probe.isReachable()) {
      replayOwnSpool(REPLAY_BUDGET, Deadline.after(REPLAY_TURN));
    }
  }

  private void replayOwnSpool(long maxRecords, Deadline deadline) {
    try {
      SpoolReplay.Outcome outcome = replay.replay(spool, maxRecords, deadline);
      replayedSinceDown += outcome.delivered();
      if (outcome.failure() != null) {
        probe.down(outcome.failure());
        return;
      }
    } catch (IOException | RuntimeException e) {
      probe.down(describe(e));
      return;
    }
    if (spool.isEmpty()) {
      spooling = false;
      probe.waiting(false);
      status.accept("mcp-audit agent: Kafka at " + bootstrap + " is reachable again; " + replayedSinceDown
          + " spooled events were delivered in order");
    }
  }

  /** While the agent runs: one turn over orphaned spools per retry interval, once Kafka answers. */
  private void replayOrphansWhenDue() {
    Instant now = clock.instant();
    if (Duration.between(lastOrphanTurn, now).compareTo(retryEvery) < 0) {
      return;
    }
    lastOrphanTurn = now;
    boolean found = !orphans.candidates().isEmpty();
    probe.waiting(found);
    if (found && probe.isReachable()) {
      replayOrphans(REPLAY_BUDGET, Deadline.after(REPLAY_TURN));
    }
  }

  private void replayOrphans(long maxRecords, Deadline deadline) {
    SpoolReplay.Outcome outcome = orphans.replay(replay, maxRecords, deadline);
    if (outcome.failure() != null) {
      probe.down(outcome.failure());
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
