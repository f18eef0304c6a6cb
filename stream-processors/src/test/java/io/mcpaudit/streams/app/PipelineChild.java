package io.mcpaudit.streams.app;

import io.mcpaudit.streams.detect.chain.ToolRisk;
import io.mcpaudit.streams.rules.RuleStage;
import io.mcpaudit.streams.topology.DetectorCatalog;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/** The pipeline in its own JVM, so an integration test can kill it with SIGKILL mid-stream. */
public final class PipelineChild {
  private PipelineChild() {}

  public static void main(String[] args) throws Exception {
    PipelineSettings settings = PipelineSettings.local(args[0], args[1], Path.of(args[3]));
    settings = new PipelineSettings(settings.bootstrapServers(), settings.schemaRegistryUrl(), args[2],
        settings.stateDir(), 1, 3, (short) 1, java.util.Map.of());
    DetectionPipeline pipeline = DetectionPipeline.start(settings, RuleStage.none(), DetectorCatalog.defaults(),
        ToolRisk.defaults(), rule -> Duration.ofMinutes(10));
    System.out.println(pipeline.awaitRunning(Duration.ofSeconds(60)) ? "RUNNING" : "NOT RUNNING");
    System.out.flush();
    new CountDownLatch(1).await();
  }
}
