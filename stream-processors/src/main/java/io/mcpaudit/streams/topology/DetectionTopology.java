package io.mcpaudit.streams.topology;

import io.mcpaudit.event.Alert;
import io.mcpaudit.event.AuditEvent;
import io.mcpaudit.event.InventoryEntry;
import io.mcpaudit.event.SessionTrace;
import io.mcpaudit.schema.registry.SchemaRegistry;
import io.mcpaudit.schema.topic.Topics;
import io.mcpaudit.streams.correlate.SessionTraceProcessor;
import io.mcpaudit.streams.correlate.TraceInput;
import io.mcpaudit.streams.dedup.AlertDedupProcessor;
import io.mcpaudit.streams.detect.Detected;
import io.mcpaudit.streams.detect.Detector;
import io.mcpaudit.streams.detect.DetectorProcessor;
import io.mcpaudit.streams.detect.InventoryLookup;
import io.mcpaudit.streams.detect.StatelessCheck;
import io.mcpaudit.streams.detect.StatelessChecksProcessor;
import io.mcpaudit.streams.detect.approval.ApprovalFatigueDetector;
import io.mcpaudit.streams.detect.audit.AuditGapDetector;
import io.mcpaudit.streams.detect.chain.SessionChainDetector;
import io.mcpaudit.streams.detect.chain.SessionChainSpecs;
import io.mcpaudit.streams.detect.chain.ToolRisk;
import io.mcpaudit.streams.detect.inventory.UnregisteredServerCheck;
import io.mcpaudit.streams.detect.rate.RateAnomalyDetector;
import io.mcpaudit.streams.detect.session.SessionHijackDetector;
import io.mcpaudit.streams.detect.session.SessionReplayDetector;
import io.mcpaudit.streams.detect.token.TokenAudienceCheck;
import io.mcpaudit.streams.detect.token.TokenLifetimeCheck;
import io.mcpaudit.streams.detect.token.TokenReuseDetector;
import io.mcpaudit.streams.detect.tool.ToolRugPullDetector;
import io.mcpaudit.streams.detect.tool.ToolShadowingDetector;
import io.mcpaudit.streams.normalize.EventValidator;
import io.mcpaudit.streams.rules.RuleStage;
import io.mcpaudit.streams.rules.RuleStageProcessor;
import io.mcpaudit.streams.state.JsonSerde;
import io.mcpaudit.streams.state.WriteAtCommitStoreBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

/**
 * The detection topology: normalize → enrich (inventory) → detect (rules, then chain-aware and
 * keyed detectors) → dedup → alerts; and correlate every session's events and alerts into its
 * trace. Built by a plain function from its inputs: nothing here reads the environment.
 */
public final class DetectionTopology {
  private DetectionTopology() {}

  /** Everything the topology is built from. */
  public record Inputs(PipelineConfig config, SchemaRegistry registry, RuleStage rules, DetectorCatalog detectors,
                       ToolRisk toolRisk, Function<String, Duration> dedupWindowForRule) {}

  public static Topology build(Inputs in) {
    StreamsBuilder builder = new StreamsBuilder();
    Serde<String> keys = Serdes.String();
    Serde<AuditEvent> events = Topics.EVENTS.valueSerde(in.registry());
    Serde<Alert> alerts = Topics.ALERTS.valueSerde(in.registry());
    Serde<SessionTrace> traces = Topics.TRACES.valueSerde(in.registry());
    Serde<InventoryEntry> inventory = Topics.INVENTORY.valueSerde(in.registry());
    DetectorCatalog catalog = in.detectors();

    builder.globalTable(Topics.INVENTORY.name(), Consumed.with(keys, inventory).withName("inventory-source"),
        Materialized.as(InventoryLookup.STORE));

    KStream<String, AuditEvent> valid = builder
        .stream(Topics.EVENTS.name(), Consumed.with(keys, events).withName("events-source"))
        .processValues(EventValidator::new, Named.as("normalize"));

    // Rules first: their findings travel with the event as signals for chain-aware detectors.
    // Every store caches its writes until the commit (Kafka Streams' record cache): a key changed
    // by many events between two commits costs one store write and one changelog record, not one
    // per event. Reads still see the latest write; exactly-once is unaffected (the cache is flushed
    // before each commit).
    builder.addStateStore(Stores.keyValueStoreBuilder(
        Stores.persistentKeyValueStore(RuleStageProcessor.STORE), keys, Serdes.ByteArray()).withCachingEnabled());
    KStream<String, Detected> detected = valid.process(() -> new RuleStageProcessor(in.rules()),
        Named.as("detect-rules"), RuleStageProcessor.STORE);

    List<KStream<String, Alert>> found = new ArrayList<>();
    found.add(detected.flatMap((session, d) -> d.ruleAlerts().stream()
        .map(alert -> KeyValue.pair(alert.getDedupKey(), alert)).toList(), Named.as("rule-alerts")));

    // Per-session detectors, on the session-partitioned stream.
    SessionChainSpecs chainSpecs = new SessionChainSpecs(catalog.spec("missing-approval"),
        catalog.spec("approval-mismatch"), catalog.spec("scope-overreach"), catalog.spec("injection-driven-action"));
    for (Detector<?> detector : List.<Detector<?>>of(
        new SessionChainDetector(chainSpecs, in.toolRisk()),
        new SessionHijackDetector(catalog.spec("session-hijack")),
        new SessionReplayDetector(catalog.spec("session-replay")))) {
      found.add(runDetector(builder, detected, detector));
    }
    List<StatelessCheck> checks = List.of(
        new TokenAudienceCheck(catalog.spec("token-audience-mismatch")),
        new TokenLifetimeCheck(catalog.spec("token-lifetime")),
        new UnregisteredServerCheck(catalog.spec("unregistered-server")));
    found.add(detected.process(() -> new StatelessChecksProcessor(checks), Named.as("detect-stateless")));

    // Detectors keyed by something other than the session: repartition the events by their key.
    for (Detector<?> detector : List.<Detector<?>>of(
        new TokenReuseDetector(catalog.spec("token-reuse")),
        new ToolRugPullDetector(catalog.spec("tool-rug-pull")),
        new ToolShadowingDetector(catalog.spec("tool-shadowing")),
        new AuditGapDetector(catalog.spec("audit-gap")),
        new RateAnomalyDetector(catalog.spec("rate-anomaly")),
        new ApprovalFatigueDetector(catalog.spec("approval-fatigue")))) {
      KStream<String, Detected> rekeyed = valid
          .filter((session, event) -> event != null && detector.keyOf(Detected.of(event)) != null,
              Named.as(detector.name() + "-relevant"))
          .selectKey((session, event) -> detector.keyOf(Detected.of(event)), Named.as(detector.name() + "-rekey"))
          .repartition(partitioned(Repartitioned.with(keys, events).withName(detector.name() + "-by-key"), in.config()))
          .mapValues(Detected::of, Named.as(detector.name() + "-input"));
      found.add(runDetector(builder, rekeyed, detector));
    }

    KStream<String, Alert> all = found.get(0);
    for (int i = 1; i < found.size(); i++) {
      all = all.merge(found.get(i), Named.as("merge-alerts-" + i));
    }
    builder.addStateStore(Stores.keyValueStoreBuilder(
        Stores.persistentKeyValueStore(AlertDedupProcessor.STORE), keys, alerts).withCachingEnabled());
    KStream<String, Alert> deduped = all
        .repartition(partitioned(Repartitioned.with(keys, alerts).withName("alerts-by-dedup-key"), in.config()))
        .process(() -> new AlertDedupProcessor(in.dedupWindowForRule()), Named.as("dedup-alerts"),
            AlertDedupProcessor.STORE);
    deduped.to(Topics.ALERTS.name(), Produced.with(keys, alerts).withName("alerts-sink"));

    // Correlate: the session's events and the alerts about it, into its trace.
    KStream<String, TraceInput> alertsBySession = deduped
        .selectKey((dedupKey, alert) -> alert == null ? dedupKey : alert.getSessionId(),
            Named.as("alerts-by-session-rekey"))
        .repartition(partitioned(Repartitioned.with(keys, alerts).withName("alerts-by-session"), in.config()))
        .mapValues(TraceInput::of, Named.as("alerts-as-trace-input"));
    // A session's trace grows with each of its events: it is encoded once per commit, not per event.
    builder.addStateStore(WriteAtCommitStoreBuilder.over(Stores.keyValueStoreBuilder(
        Stores.persistentKeyValueStore(SessionTraceProcessor.STORE), keys, traces)));
    builder.addStateStore(Stores.keyValueStoreBuilder(
        Stores.persistentKeyValueStore(SessionTraceProcessor.DIRTY_STORE), keys, Serdes.Long()).withCachingEnabled());
    valid.mapValues(TraceInput::of, Named.as("events-as-trace-input"))
        .merge(alertsBySession, Named.as("trace-inputs"))
        .process(() -> new SessionTraceProcessor(in.config().traceMaxSteps(), in.config().traceFlush()),
            Named.as("correlate-session-trace"), SessionTraceProcessor.STORE, SessionTraceProcessor.DIRTY_STORE)
        .to(Topics.TRACES.name(), Produced.with(keys, traces).withName("traces-sink"));

    return builder.build();
  }

  private static <S> KStream<String, Alert> runDetector(StreamsBuilder builder, KStream<String, Detected> input,
                                                        Detector<S> detector) {
    // Detector states are objects changed by nearly every event of their key: they are serialized
    // once per commit, not once per event.
    builder.addStateStore(WriteAtCommitStoreBuilder.over(Stores.keyValueStoreBuilder(
        Stores.persistentKeyValueStore(detector.name()), Serdes.String(), new JsonSerde<>(detector.stateType()))));
    return input.process(() -> new DetectorProcessor<>(detector), Named.as("detect-" + detector.name()),
        detector.name());
  }

  private static <V> Repartitioned<String, V> partitioned(Repartitioned<String, V> repartitioned, PipelineConfig config) {
    return config.partitions() > 0 ? repartitioned.withNumberOfPartitions(config.partitions()) : repartitioned;
  }
}
