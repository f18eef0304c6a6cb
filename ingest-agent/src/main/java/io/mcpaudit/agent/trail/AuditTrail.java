package io.mcpaudit.agent.trail;

import io.mcpaudit.agent.capture.CaptureWriter;
import io.mcpaudit.agent.emit.EventSink;
import io.mcpaudit.agent.events.AuditEventFactory;
import io.mcpaudit.agent.events.Observation;
import io.mcpaudit.agent.mcp.JsonRpcParser;
import io.mcpaudit.agent.mcp.McpFrame;
import io.mcpaudit.agent.mcp.McpSession;
import io.mcpaudit.event.AuditEvent;
import io.mcpaudit.schema.chain.EventHashChain;
import java.io.IOException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The agent's event thread. Relay threads hand it what they saw ({@link #observe}, which
 * never blocks); it parses, builds the events, links them into the agent's hash chain,
 * records the capture and hands the events to delivery, all in the order they were seen.
 *
 * <p>If the relay outruns it and its bounded queue fills, observations are dropped,
 * counted, and reported as an {@code AuditGapReported} event: traffic is never slowed
 * and a loss is never silent.
 */
public final class AuditTrail implements AutoCloseable {
  /** Sessions whose state (protocol version, pending requests, names) is kept at most. */
  static final int MAX_SESSIONS = 10_000;
  private static final Observation STOP = new Observation.SessionEnd(null, null, null, null);

  private final JsonRpcParser parser;
  private final AuditEventFactory factory;
  private final CaptureWriter capture;
  private final EventSink sink;
  private final Consumer<String> status;
  private final Clock clock;
  private final SequenceLedger ledger;
  private long lastSequence;
  private String lastHash;
  /** Sessions by id, least recently used first; an HTTP agent sees sessions that never say goodbye. */
  private final Map<String, McpSession> sessions = new LinkedHashMap<>(64, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, McpSession> eldest) {
      return size() > MAX_SESSIONS;
    }
  };
  private final LinkedBlockingQueue<Observation> queue;
  private final long maxQueuedBytes;
  private final AtomicLong queuedBytes = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong droppedSinceReport = new AtomicLong();
  private final Thread thread;
  private long eventsEmitted;
  private volatile boolean failed;
  private volatile boolean closing;

  /**
   * @param capture where the capture is recorded, or null
   * @param maxQueued observations waiting at most (count)
   * @param maxQueuedBytes bytes of observed messages waiting at most
   */
  public AuditTrail(JsonRpcParser parser, AuditEventFactory factory, CaptureWriter capture, EventSink sink,
                    int maxQueued, long maxQueuedBytes, Consumer<String> status, Clock clock) {
    this(parser, factory, capture, sink, maxQueued, maxQueuedBytes, status, clock, SequenceLedger.fromOne());
  }

  /** @param ledger where numbering resumes from and is recorded, across runs with the same agent id */
  public AuditTrail(JsonRpcParser parser, AuditEventFactory factory, CaptureWriter capture, EventSink sink,
                    int maxQueued, long maxQueuedBytes, Consumer<String> status, Clock clock, SequenceLedger ledger) {
    this.ledger = ledger;
    ChainPosition start = ledger.resume();
    this.lastSequence = start.lastSequence();
    this.lastHash = start.lastHash();
    this.parser = parser;
    this.factory = factory;
    this.capture = capture;
    this.sink = sink;
    this.status = status;
    this.clock = clock;
    this.queue = new LinkedBlockingQueue<>(maxQueued);
    this.maxQueuedBytes = maxQueuedBytes;
    this.thread = new Thread(this::run, "mcp-audit-events");
    this.thread.setDaemon(true);
  }

  public AuditTrail start() {
    thread.start();
    return this;
  }

  /**
   * Hands over an observation; never blocks. Returns false when it had to be dropped (counted), or
   * when the trail is already closing (nothing is processed after that).
   */
  public boolean observe(Observation observation) {
    if (closing) {
      return false;
    }
    long weight = observation.weight();
    if (failed || queuedBytes.get() + weight > maxQueuedBytes || !queue.offer(observation)) {
      if (dropped.getAndIncrement() == 0) {
        status.accept("mcp-audit agent: the audit queue is full; observations are being dropped (traffic is"
            + " not affected) and the loss will be reported as an audit gap");
      }
      droppedSinceReport.incrementAndGet();
      return false;
    }
    queuedBytes.addAndGet(weight);
    return true;
  }

  /** Observations dropped because the queue was full. */
  public long dropped() {
    return dropped.get();
  }

  /** Events handed to delivery so far (read after {@link #close}). */
  public long eventsEmitted() {
    return eventsEmitted;
  }

  /** Processes everything already observed, then stops the thread and closes capture and delivery. */
  @Override
  public void close() throws InterruptedException {
    closing = true;
    if (thread.isAlive()) {
      while (!queue.offer(STOP, 100, TimeUnit.MILLISECONDS)) {
        if (!thread.isAlive()) {
          break;
        }
      }
      thread.join();
    }
  }

  private void run() {
    try {
      while (true) {
        Observation next = queue.poll(1, TimeUnit.SECONDS);
        if (next == STOP) {
          break;
        }
        if (next != null) {
          queuedBytes.addAndGet(-next.weight());
          handle(next);
        }
        if (queue.isEmpty()) {
          idle();
        }
      }
      reportLosses();
      // Only a clean stop records the exact position; otherwise the ledger's reservation stands.
      ledger.stopped(new ChainPosition(lastSequence, lastHash));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException | Error e) {
      failed = true;
      status.accept("mcp-audit agent: the event thread stopped (" + e + "); traffic keeps flowing, unaudited");
    } finally {
      try {
        if (capture != null) {
          capture.close();
        }
      } catch (IOException e) {
        status.accept("mcp-audit agent: cannot finish the capture file (" + e.getMessage() + ")");
      }
      sink.close();
    }
  }

  private void idle() {
    try {
      if (capture != null) {
        capture.flush();
      }
    } catch (IOException e) {
      status.accept("mcp-audit agent: cannot write the capture file (" + e.getMessage() + ")");
    }
    sink.tick();
    reportLosses();
  }

  private void handle(Observation observation) {
    McpSession session = sessions.computeIfAbsent(observation.session().sessionId(), McpSession::new);
    List<AuditEvent> events;
    try {
      if (observation instanceof Observation.Message message) {
        McpFrame frame = message.bytes() != null ? parser.parse(message.bytes())
            : McpFrame.unparseable(message.size(), message.sha256(),
                "message of " + message.size() + " bytes is larger than the agent inspects; relayed unchanged", null);
        if (capture != null) {
          capture.message(message, frame, session);
        }
        events = new java.util.ArrayList<>();
        if (message.token().isPresent() && session.tokenPresented(message.token().get().fingerprint(),
            message.token().get().claims().map(c -> c.exp()).orElse(null), message.time())) {
          events.add(factory.tokenPresented(message.session(), session, message.time(), message.token().get(),
              resourceOf(message)));
        }
        events.addAll(factory.onFrame(message.session(), session, message.time(), message.direction(), frame));
      } else if (observation instanceof Observation.Launch launch) {
        if (capture != null) {
          capture.launch(launch);
        }
        events = List.of(factory.serverLaunched(launch.session(), session, launch.time(), launch.launch()));
      } else if (observation instanceof Observation.SessionEnd end) {
        if (capture != null) {
          capture.sessionEnd(end, session);
        }
        events = List.of(factory.sessionEnded(end.session(), session, end.time(), end.reason(), end.exitCode()));
        sessions.remove(end.session().sessionId());
      } else if (observation instanceof Observation.Approval approval) {
        if (capture != null) {
          capture.approval(approval, session);
        }
        events = List.of(factory.approvalDecided(approval.session(), session, approval));
      } else if (observation instanceof Observation.Scope scope) {
        if (capture != null) {
          capture.scope(scope, session);
        }
        events = List.of(factory.scopeChanged(scope.session(), session, scope));
      } else {
        throw new IllegalStateException("unknown observation " + observation);
      }
    } catch (IOException e) {
      status.accept("mcp-audit agent: cannot write the capture file (" + e.getMessage() + ")");
      return;
    }
    for (AuditEvent event : events) {
      emit(event);
    }
  }

  private static String resourceOf(Observation.Message message) {
    return message.session().serverUrl() != null ? message.session().serverUrl() : message.session().sessionId();
  }

  private void emit(AuditEvent event) {
    sink.deliver(link(event));
    eventsEmitted++;
  }

  /**
   * Numbers the event and links it into the agent's hash chain, as {@link EventHashChain#link}
   * does and with its formula ({@link EventHashChain#hashOf}), but in place: the factory's events
   * are fresh and owned by this thread, and copying each one twice was most of the event thread's time.
   */
  private AuditEvent link(AuditEvent event) {
    event.put("sequence", lastSequence + 1);
    event.put("previousHash", lastHash);
    event.put("hash", "");
    String hash = EventHashChain.hashOf(event);
    event.put("hash", hash);
    lastSequence++;
    lastHash = hash;
    ledger.numbered(lastSequence);
    return event;
  }

  private void reportLosses() {
    long droppedNow = droppedSinceReport.getAndSet(0);
    if (droppedNow > 0) {
      emit(factory.auditGap(clock.instant(), droppedNow, null,
          "audit queue full: " + droppedNow + " observations were relayed but not audited"));
    }
    sink.takeLoss().ifPresent(loss -> emit(factory.auditGap(clock.instant(), loss.events(), loss.firstSequence(),
        loss.reason())));
  }
}
