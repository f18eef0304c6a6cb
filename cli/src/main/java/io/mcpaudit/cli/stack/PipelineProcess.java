package io.mcpaudit.cli.stack;

import io.mcpaudit.stack.StackEndpoints;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The detection pipeline that {@code mcp-audit up} runs next to the local stack: a detached
 * {@code mcp-audit pipeline} process with its log and pid file in the stack's run directory, so
 * it outlives {@code up} and {@code down} can stop it.
 */
final class PipelineProcess {
  private static final String READY_LINE = "mcp-audit pipeline: pipeline running";

  private final Path runDir;

  PipelineProcess(Path runDir) {
    this.runDir = runDir;
  }

  Path log() {
    return runDir.resolve("logs").resolve("pipeline.log");
  }

  private Path pidFile() {
    return runDir.resolve("pipeline.pid");
  }

  /** The running pipeline's process, if the pid file names a live mcp-audit pipeline. */
  Optional<ProcessHandle> running() {
    try {
      if (!Files.exists(pidFile())) {
        return Optional.empty();
      }
      long pid = Long.parseLong(Files.readString(pidFile()).trim());
      return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
          .filter(p -> p.info().commandLine().map(c -> c.contains("io.mcpaudit.cli.Main") || c.contains("mcp-audit-cli"))
              .orElse(true));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** Starts the pipeline against the stack and waits until it processes, or fails with the log's tail. */
  ProcessHandle start(StackEndpoints endpoints, Duration timeout) throws IOException, InterruptedException {
    Files.createDirectories(log().getParent());
    List<String> command = new ArrayList<>();
    if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
      command.add("/usr/bin/setsid"); // its own session: closing the terminal does not stop it
    }
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx768m");
    String repoRoot = System.getProperty("mcpaudit.repo.root");
    if (repoRoot != null) {
      command.add("-Dmcpaudit.repo.root=" + repoRoot);
    }
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.mcpaudit.cli.Main", "pipeline",
        "--kafka", endpoints.kafkaBootstrap(),
        "--schema-registry", endpoints.schemaRegistryUrl().toString(),
        "--opensearch", endpoints.openSearchUrl().toString(),
        "--state-dir", runDir.resolve("pipeline-state").toString()));
    Process process = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(log().toFile())
        .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
        .start();
    Files.writeString(pidFile(), Long.toString(process.pid()), StandardCharsets.UTF_8);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException("the pipeline exited with code " + process.exitValue() + "; see " + log() + ":\n"
            + tail());
      }
      if (Files.readString(log(), StandardCharsets.UTF_8).contains(READY_LINE)) {
        return process.toHandle();
      }
      Thread.sleep(200);
    }
    process.destroy();
    throw new IOException("the pipeline did not start within " + timeout.toSeconds() + " s; see " + log() + ":\n"
        + tail());
  }

  /** Stops the pipeline (TERM, then KILL after the grace period); false if none was running. */
  boolean stop(Duration grace) throws InterruptedException {
    Optional<ProcessHandle> process = running();
    if (process.isEmpty()) {
      deletePidFile();
      return false;
    }
    process.get().destroy();
    long deadline = System.nanoTime() + grace.toNanos();
    while (process.get().isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    if (process.get().isAlive()) {
      process.get().destroyForcibly();
    }
    deletePidFile();
    return true;
  }

  private void deletePidFile() {
    try {
      Files.deleteIfExists(pidFile());
    } catch (IOException e) {
      // A stale pid file is re-checked against the live process next time.
    }
  }

  private String tail() {
    try {
      List<String> lines = Files.readAllLines(log(), StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
    } catch (IOException e) {
      return "(no log)";
    }
  }
}
