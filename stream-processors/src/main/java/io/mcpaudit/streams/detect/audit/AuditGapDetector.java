package io.mcpaudit.streams.detect.audit;

import io.mcpaudit.event.Alert;
import io.mcpaudit.event.AuditEvent;
import io.mcpaudit.event.AuditGapReported;
import io.mcpaudit.schema.chain.EventHashChain;
import io.mcpaudit.streams.alert.AlertDraft;
import io.mcpaudit.streams.alert.AlertSubject;
import io.mcpaudit.streams.alert.DetectorSpec;
import io.mcpaudit.streams.detect.DetectionContext;
import io.mcpaudit.streams.detect.Detected;
import io.mcpaudit.streams.detect.Detector;
import io.mcpaudit.streams.detect.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * {@code audit-gap}: an agent's event sequence has a gap, a duplicate, or a broken hash chain, or
 * the agent itself reports lost events. Keyed by agent id.
 *
 * <p>An agent's events reach this detector through a repartition, which keeps each source
 * partition's order but may interleave partitions; so events that arrive ahead of their turn wait,
 * and a gap is declared only once stream time has moved a grace period past the first waiting one.
 * For the same reason the first event seen of an agent is not necessarily its first: unless it is
 * #1, the chain's start is left open for the grace period and then set at the lowest number seen,
 * so an agent serving several sessions, or a pipeline started after the agent, raises nothing.
 */
public final class AuditGapDetector implements Detector<AuditGapDetector.AgentChain> {
  /**
   * @param nextSequence the sequence number expected next, or {@link #UNKNOWN_START} while the chain's
   *                     start is not decided yet
   * @param lastHash     hash of event {@code nextSequence - 1}, or null when unknown (chain start, after a gap)
   * @param waiting      events that arrived ahead of their turn, by sequence number
   */
  public record AgentChain(long nextSequence, String lastHash, String lastEventId, TreeMap<Long, Link> waiting,
                           long lastSeenMillis) {}

  /** One event's place in the chain, with what an alert about it needs. */
  public record Link(String previousHash, String hash, boolean intact, AlertSubject subject) {}

  /** Agents number events from 1; 0 means this chain's first number is not known yet. */
  static final long UNKNOWN_START = 0;

  private final DetectorSpec spec;
  private final Duration grace;

  public AuditGapDetector(DetectorSpec spec) {
    this.spec = spec;
    this.grace = spec.duration("grace", Duration.ofSeconds(30));
  }

  @Override
  public String name() {
    return "audit-gap";
  }

  @Override
  public Class<AgentChain> stateType() {
    return AgentChain.class;
  }

  @Override
  public String keyOf(Detected input) {
    return input.event().getAgentId();
  }

  @Override
  public Duration retention() {
    return Duration.ofDays(30);
  }

  @Override
  public Outcome<AgentChain> onEvent(AgentChain chain, Detected input, DetectionContext context) {
    AuditEvent event = input.event();
    long now = event.getEventTime().toEpochMilli();
    List<Alert> alerts = new ArrayList<>();
    if (event.getPayload() instanceof AuditGapReported reported) {
      alerts.add(AlertDraft.of(spec, event)
          .title("Agent " + event.getAgentId() + " lost " + reported.getLostEvents() + " audit events")
          .description("The agent reported that it could not deliver " + reported.getLostEvents() + " events ("
              + reported.getReason() + "). Actions in that span are missing from the audit trail.")
          .excerpt(reported.getReason())
          .dedupAcrossSessions(event.getAgentId() + "|reported|" + reported.getFirstLostSequence())
          .attribute("lost_events", reported.getLostEvents())
          .attribute("first_lost_sequence", reported.getFirstLostSequence())
          .build());
    }
    long sequence = event.getSequence();
    if (chain == null) {
      chain = new AgentChain(UNKNOWN_START, null, null, new TreeMap<>(), now);
    }
    if (chain.nextSequence() == UNKNOWN_START && sequence == 1) {
      chain = new AgentChain(1, null, null, chain.waiting(), now);
    }
    boolean started = chain.nextSequence() != UNKNOWN_START;
    Link link = new Link(event.getPreviousHash(), event.getHash(), EventHashChain.isIntact(event),
        AlertSubject.of(event));
    if ((started && sequence < chain.nextSequence()) || chain.waiting().containsKey(sequence)) {
      alerts.add(AlertDraft.of(spec, event)
          .title("Duplicate audit event #" + sequence + " from agent " + event.getAgentId())
          .description("Agent " + event.getAgentId() + " sent sequence number " + sequence
              + " again. Agents never repeat a number: a duplicate is a replayed or injected event.")
          .excerpt("sequence " + sequence + ", expected " + chain.nextSequence())
          .dedupAcrossSessions(event.getAgentId() + "|dup|" + sequence)
          .attribute("sequence", sequence)
          .build());
      return Outcome.of(withTime(chain, now), alerts);
    }
    TreeMap<Long, Link> waiting = chain.waiting();
    waiting.put(sequence, link);
    AgentChain updated = new AgentChain(chain.nextSequence(), chain.lastHash(), chain.lastEventId(), waiting, now);
    Outcome<AgentChain> outcome = started ? drain(updated, alerts) : Outcome.of(updated, alerts);
    // The agent's own later events are a clock too: a wait older than the grace period ends here,
    // without depending on when the stream-time punctuator next runs.
    Outcome<AgentChain> overdue = onStreamTime(outcome.state(), event.getEventTime(), context);
    if (overdue.alerts().isEmpty() && overdue.state() == outcome.state()) {
      return outcome;
    }
    List<Alert> all = new ArrayList<>(outcome.alerts());
    all.addAll(overdue.alerts());
    return Outcome.of(overdue.state(), all);
  }

  @Override
  public Outcome<AgentChain> onStreamTime(AgentChain chain, Instant streamTime, DetectionContext context) {
    if (chain.waiting().isEmpty()) {
      return Outcome.quiet(chain);
    }
    Link first = chain.waiting().firstEntry().getValue();
    if (first.subject().atMillis() + grace.toMillis() > streamTime.toEpochMilli()) {
      return Outcome.quiet(chain);
    }
    if (chain.nextSequence() == UNKNOWN_START) {
      // No #1 within the grace period: the chain starts at the lowest number seen.
      return drain(new AgentChain(chain.waiting().firstKey(), null, null, chain.waiting(), chain.lastSeenMillis()),
          new ArrayList<>());
    }
    long firstWaiting = chain.waiting().firstKey();
    long missing = firstWaiting - chain.nextSequence();
    List<Alert> alerts = new ArrayList<>();
    alerts.add(AlertDraft.of(spec, first.subject())
        .title(missing + " audit event" + (missing == 1 ? "" : "s") + " missing before #" + firstWaiting)
        .description("Sequence numbers " + chain.nextSequence() + (missing > 1 ? "–" + (firstWaiting - 1) : "")
            + " never arrived within " + grace.toSeconds() + " s of stream time. Events were lost or removed"
            + " between the agent and the pipeline.")
        .excerpt("expected #" + chain.nextSequence() + ", next seen #" + firstWaiting)
        .dedupAcrossSessions("gap|" + chain.nextSequence() + "|" + firstWaiting + "|" + first.subject().eventId())
        .evidence(chain.lastEventId() == null ? List.of() : List.of(chain.lastEventId()))
        .attribute("first_missing", chain.nextSequence())
        .attribute("missing", missing)
        .build());
    // The link after a gap cannot be checked against an event that never came.
    AgentChain skipped = new AgentChain(firstWaiting, null, chain.lastEventId(), chain.waiting(),
        chain.lastSeenMillis());
    return drain(skipped, alerts);
  }

  @Override
  public Instant wakeAt(AgentChain chain) {
    return chain.waiting().isEmpty() ? null
        : Instant.ofEpochMilli(chain.waiting().firstEntry().getValue().subject().atMillis() + grace.toMillis());
  }

  @Override
  public Instant lastActivity(AgentChain chain) {
    return Instant.ofEpochMilli(chain.lastSeenMillis());
  }

  /** Consumes waiting events that are next in line, checking each link of the hash chain. */
  private Outcome<AgentChain> drain(AgentChain chain, List<Alert> alerts) {
    long next = chain.nextSequence();
    String lastHash = chain.lastHash();
    String lastEventId = chain.lastEventId();
    TreeMap<Long, Link> waiting = chain.waiting();
    while (waiting.containsKey(next)) {
      Link link = waiting.remove(next);
      if (!link.intact()) {
        alerts.add(linkAlert(link, next, lastEventId, "Altered audit event #" + next,
            "Event #" + next + "'s content no longer matches its hash: it was modified after the agent wrote it."));
      } else if (lastHash != null && !lastHash.equals(link.previousHash())) {
        alerts.add(linkAlert(link, next, lastEventId, "Broken hash chain at audit event #" + next,
            "Event #" + next + " does not link to the hash of event #" + (next - 1)
                + ": an event was replaced or injected."));
      }
      lastHash = link.hash();
      lastEventId = link.subject().eventId();
      next++;
    }
    return Outcome.of(new AgentChain(next, lastHash, lastEventId, waiting, chain.lastSeenMillis()), alerts);
  }

  private Alert linkAlert(Link link, long sequence, String previousEventId, String title, String description) {
    return AlertDraft.of(spec, link.subject())
        .title(title)
        .description(description)
        .excerpt("event " + link.subject().eventId())
        .dedupAcrossSessions("chain|" + link.subject().eventId())
        .evidence(previousEventId == null ? List.of() : List.of(previousEventId))
        .attribute("sequence", sequence)
        .build();
  }

  private static AgentChain withTime(AgentChain chain, long now) {
    return new AgentChain(chain.nextSequence(), chain.lastHash(), chain.lastEventId(), chain.waiting(), now);
  }
}
