package io.mcpaudit.streams.topology;

import java.time.Duration;

/**
 * What the detection topology needs to know beyond its rules and detectors.
 *
 * @param traceMaxSteps    steps kept per session trace; older ones are dropped and counted
 * @param traceFlush       how often (stream time) changed traces are emitted
 * @param partitions       partitions of the events topic, so repartitions line up with it (0 = inherit)
 */
public record PipelineConfig(int traceMaxSteps, Duration traceFlush, int partitions) {
  public static PipelineConfig defaults() {
    return new PipelineConfig(1000, Duration.ofSeconds(5), 0);
  }
}
