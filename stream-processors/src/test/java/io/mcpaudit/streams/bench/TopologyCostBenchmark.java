package io.mcpaudit.streams.bench;

import io.mcpaudit.event.AuditEvent;
import io.mcpaudit.rules.RuleLoader;
import io.mcpaudit.streams.detect.chain.ToolRisk;
import io.mcpaudit.streams.offline.OfflineDetection;
import io.mcpaudit.streams.rules.EngineRuleStage;
import io.mcpaudit.streams.topology.DetectorCatalog;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The detection topology's own CPU cost, without a broker: the {@link PipelineLoadBenchmark}
 * workload through the whole topology in a TopologyTestDriver (every detector, the shipped rule
 * pack, RocksDB stores, serdes; no network, no transactions). Run it under a profiler to see
 * where per-event time goes; the broker-bound figure is PipelineLoadBenchmark's.
 */
public final class TopologyCostBenchmark {
  private TopologyCostBenchmark() {}

  public static void main(String[] args) {
    int count = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    EngineRuleStage rules = new EngineRuleStage(new RuleLoader().load(
        Path.of(System.getProperty("mcpaudit.repo.root", ".."), "detection-rules", "rules")).ruleSet());
    DetectorCatalog detectors = DetectorCatalog.defaults().with(EngineRuleStage.detectorSpecs(rules.rules()));
    List<AuditEvent> events = PipelineLoadBenchmark.workload(count);
    for (int round = 1; round <= rounds; round++) {
      long start = System.nanoTime();
      var result = new OfflineDetection(rules, detectors, ToolRisk.defaults(),
          r -> rules.dedupWindow(r).orElse(Duration.ofMinutes(10))).run(events, List.of());
      double seconds = (System.nanoTime() - start) / 1e9;
      System.out.printf("round %d: %d events in %.1f s = %.0f events/s (%d alerts, %d traces)%n", round,
          events.size(), seconds, events.size() / seconds, result.alerts().size(), result.traces().size());
    }
  }
}
