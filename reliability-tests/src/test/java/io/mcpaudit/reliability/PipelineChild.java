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
  private long logStart;

  PipelineChild(StackEndpoints stack, Path workDir, Path routing) {
    this.stack = stack;
    this.stateDir = workDir.resolve("pipeline-state");
    this.routing = routing;
    this.log = workDir.resolve("pipeline.log");
  }

  void start(Duration timeout) throws IOException, InterruptedException {
    launch();
    awaitRunning(timeout);
  }

  /** Starts the process without waiting for it to run. */
  void launch() throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    logStart = Files.exists(log) ? Files.size(log) : 0;
    process = new ProcessBuilder(List.of(java, "-Xmx768m",
        "-Dmcpaudit.repo.root=" + System.getProperty("mcpaudit.repo.root", ".."),
        "-cp", System.getProperty("java.class.path"), "io.mcpaudit.cli.Main", "pipeline",
        "--kafka", stack.kafkaBootstrap(), "--schema-registry", stack.schemaRegistryUrl().toString(),
        "--opensearch", stack.openSearchUrl().toString(), "--state-dir", stateDir.toString(),
        "--routing", routing.toString(), "--no-retention"))
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
  }

  /** Waits for the process {@link #launch} started to report that the pipeline runs. */
  void awaitRunning(Duration timeout) throws IOException, InterruptedException {
    awaitLog("pipeline running", timeout);
  }

  /** Waits until the output of the process {@link #launch} started contains {@code text}. */
  void awaitLog(String text, Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("the pipeline exited with " + process.exitValue() + "; see " + log);
      }
      String output = Files.readString(log, StandardCharsets.UTF_8);
      if (output.length() > logStart && output.substring((int) logStart).contains(text)) {
        return;
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("the pipeline did not write '" + text + "' within " + timeout + "; see " + log);
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
