package io.mcpaudit.testing;

import io.mcpaudit.stack.LocalStack;
import io.mcpaudit.stack.LocalStackConfig;
import io.mcpaudit.stack.StackEndpoints;
import io.mcpaudit.stack.StackException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The local stack that all test JVMs of one build share, in {@code <repo>/target/it-stack}: the first
 * JVM starts it, later ones attach, and {@link StopItStack} stops it at the end of the build.
 */
final class ItStack {

  static final String REPO_ROOT_PROPERTY = "mcpaudit.repo.root";
  // Generous: the first start of a build may also fetch the three distributions.
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(180);

  private ItStack() {}

  static Path runDir(Path repoRoot) {
    return repoRoot.resolve("target").resolve("it-stack");
  }

  /** Attaches to the build's stack if it is running and healthy, else starts it; one JVM at a time. */
  static StackEndpoints attachOrStart(Consumer<String> progress) throws StackException {
    Path runDir = runDir(repoRoot());
    Path lockFile = runDir.resolveSibling("it-stack.lock");
    try {
      Files.createDirectories(runDir.getParent());
      try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
        FileLock lock = channel.lock();
        try {
          Optional<LocalStack> running = LocalStack.attach(runDir);
          if (running.isPresent()) {
            progress.accept("using the local stack already running in " + runDir);
            return running.get().endpoints();
          }
          progress.accept("starting the local stack in " + runDir + " (stopped at the end of the build)");
          return LocalStack.start(LocalStackConfig.at(runDir).withReadyTimeout(READY_TIMEOUT), progress).endpoints();
        } finally {
          lock.release();
        }
      }
    } catch (IOException e) {
      throw new StackException("cannot lock " + lockFile + ": " + e.getMessage(), e);
    }
  }

  /** The {@code mcpaudit.repo.root} property the build sets, else the nearest folder above with a Maven wrapper. */
  static Path repoRoot() throws StackException {
    String configured = System.getProperty(REPO_ROOT_PROPERTY);
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured).toAbsolutePath().normalize();
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("mvnw")) && Files.isDirectory(dir.resolve(".mvn"))) {
        return dir;
      }
    }
    throw new StackException("cannot tell where the project is: set the system property " + REPO_ROOT_PROPERTY
        + " (the build's failsafe configuration does) or run from inside the project");
  }
}
