package io.mcpaudit.stack;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The Maven the launcher fetches distributions with, so that they come through the same repositories,
 * mirrors and credentials the machine's builds already use.
 *
 * @param executable the {@code mvn} or {@code mvnw} to run
 * @param origin     how it was found, for messages
 */
record Maven(Path executable, String origin) {

  static final String ENV = "MCP_AUDIT_MVN";

  /** The configured Maven, else {@code $MCP_AUDIT_MVN}, else the project's wrapper, else {@code mvn} on the PATH. */
  static Maven locate(Path configured) throws StackException {
    if (configured != null) {
      return new Maven(configured, "the stack's Maven setting");
    }
    String env = System.getenv(ENV);
    if (env != null && !env.isBlank()) {
      return new Maven(Path.of(env), "$" + ENV);
    }
    Optional<Path> wrapper = RepoRoot.find().map(root -> root.resolve("mvnw")).filter(Files::isExecutable);
    if (wrapper.isPresent()) {
      return new Maven(wrapper.get(), "the project's Maven wrapper");
    }
    String path = Optional.ofNullable(System.getenv("PATH")).orElse("");
    for (String dir : path.split(File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "mvn"))) {
        return new Maven(Path.of(dir, "mvn"), "mvn on the PATH");
      }
    }
    throw new StackException("no Maven to fetch the server distributions with: set " + ENV
        + " to a mvn executable, run from the project folder, or put mvn on the PATH");
  }

  /** Runs Maven in batch mode in {@code workDir}, all output into {@code log}; returns the exit code. */
  int run(List<String> arguments, Path workDir, Path log, Duration timeout) throws StackException {
    List<String> command = new ArrayList<>(List.of(executable.toString(), "-B", "-q"));
    command.addAll(arguments);
    ProcessBuilder pb = new ProcessBuilder(command)
        .directory(workDir.toFile())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    // An enclosing build's project folder must not leak into this standalone run.
    pb.environment().remove("MAVEN_PROJECTBASEDIR");
    try {
      Process process = pb.start();
      if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        return -1;
      }
      return process.exitValue();
    } catch (IOException e) {
      throw new StackException("cannot run Maven " + executable + " (" + origin + "): " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StackException("interrupted while Maven was fetching; see " + log, e);
    }
  }
}
