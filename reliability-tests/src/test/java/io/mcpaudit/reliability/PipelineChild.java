package io.mcpaudit.reliability;

import io.mcpaudit.stack.StackEndpoints;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * {@code mcp-audit pipeline --routing FILE} in a process of its own — detection, indexer and
 * router, as deployed — so that a test can kill it without warning and start it again.
 */
final class PipelineChild {
  private final StackEndpoints stack;
  private final Path stateDir;
  private final Path routing;
  private final Path log;
  private Process process;

  PipelineChild(StackEndpoints stack, Path workDir, Path routing) {
    this.stack = stack;
    this.stateDir = workDir.resolve("pipeline-state");
    this.routing = routing;
    this.log = workDir.resolve("pipeline.log");
  }

  void start(Duration timeout) throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    long logStart = Files.exists(log) ? Files.size(log) : 0;
    process = new ProcessBuilder(List.of(java, "-Xmx768m",
        "-Dmcpaudit.repo.root=" + System.getProperty("mcpaudit.repo.root", ".."),
        "-cp", System.getProperty("java.class.path"), "io.mcpaudit.cli.Main", "pipeline",
        "--kafka", stack.kafkaBootstrap(), "--schema-registry", stack.schemaRegistryUrl().toString(),
        "--opensearch", stack.openSearchUrl().toString(), "--state-dir", stateDir.toString(),
        "--routing", routing.toString(), "--no-retention"))
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("the pipeline exited with " + process.exitValue() + "; see " + log);
      }
      String text = Files.readString(log, StandardCharsets.UTF_8);
      if (text.length() > logStart && text.substring((int) logStart).contains("pipeline running")) {
        return;
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("the pipeline did not report running within " + timeout + "; see " + log);
  }

  /** SIGKILL: no shutdown hook, no commit, no flush — a crash. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  void stop() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroy();
      process.waitFor();
    }
  }

  Path log() {
    return log;
  }
}
