package io.mcpaudit.stack;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Fetches the servers' official distributions through Maven and keeps them unpacked, one folder per
 * server and version. A folder counts only once its completion marker exists, so an interrupted
 * fetch is redone rather than half-used.
 */
final class DistributionCache {

  static final String ENV = "MCP_AUDIT_CACHE";
  private static final String COMPLETE = ".complete";
  private static final Duration FETCH_TIMEOUT = Duration.ofMinutes(30);

  private final Path root;
  private final Maven maven;
  private final String dependencyPluginVersion;

  DistributionCache(Path root, Maven maven, String dependencyPluginVersion) {
    this.root = root;
    this.maven = maven;
    this.dependencyPluginVersion = dependencyPluginVersion;
  }

  /** {@code $MCP_AUDIT_CACHE}, else {@code ~/.cache/mcp-audit/dist}. */
  static Path defaultRoot() {
    return Optional.ofNullable(System.getenv(ENV)).filter(s -> !s.isBlank()).map(Path::of)
        .orElse(Path.of(System.getProperty("user.home"), ".cache", "mcp-audit", "dist"));
  }

  /** The distribution's folder if a fetch of exactly these artifacts completed there, without fetching. */
  static Optional<Path> cachedIn(Path root, Distribution d) {
    Path dir = root.resolve(d.folderName());
    try {
      Path marker = dir.resolve(COMPLETE);
      return Files.isRegularFile(marker) && Files.readString(marker).equals(completionRecord(d))
          ? Optional.of(dir) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** Names the artifacts, so that a folder fetched for a different artifact list (say, another log binding) is redone. */
  private static String completionRecord(Distribution d) {
    return String.join("\n", d.artifacts()) + "\n";
  }

  /** The distribution's folder, fetched first if needed; several processes may ask at once. */
  Path fetch(Distribution d, Consumer<String> progress) throws StackException {
    Optional<Path> ready = cachedIn(root, d);
    if (ready.isPresent()) {
      return ready.get();
    }
    try {
      Files.createDirectories(root);
      try (FileChannel channel = FileChannel.open(root.resolve(d.folderName() + ".lock"),
              StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
        FileLock lock = channel.lock();
        try {
          ready = cachedIn(root, d); // another process may have finished it while we waited for the lock
          return ready.isPresent() ? ready.get() : fetchLocked(d, progress);
        } finally {
          lock.release();
        }
      }
    } catch (IOException e) {
      throw new StackException("cannot write the distribution cache " + root + ": " + e.getMessage()
          + " (set " + ENV + " to a writable folder)", e);
    }
  }

  private Path fetchLocked(Distribution d, Consumer<String> progress) throws IOException, StackException {
    Path dir = root.resolve(d.folderName());
    Path staging = root.resolve(d.folderName() + ".staging");
    Path log = root.resolve(d.folderName() + ".maven.log");
    FileTrees.delete(dir);
    FileTrees.delete(staging);
    Files.createDirectories(staging);
    progress.accept("fetching " + d.title() + " (once)…");
    long started = System.nanoTime();

    try {
      String plugin = "org.apache.maven.plugins:maven-dependency-plugin:" + dependencyPluginVersion;
      List<String> arguments = switch (d.kind()) {
        case ARCHIVE -> List.of(plugin + ":unpack",
            "-Dartifact=" + d.artifacts().get(0), "-DoutputDirectory=" + dir);
        case CLASSPATH -> {
          Path pom = staging.resolve("pom.xml");
          Files.writeString(pom, classpathPom(d));
          yield List.of("-f", pom.toString(), plugin + ":copy-dependencies",
              "-DincludeScope=runtime", "-DoutputDirectory=" + dir.resolve("libs"));
        }
      };
      runMaven(d, arguments, staging, log);
      if (d.kind() == Distribution.Kind.ARCHIVE) {
        // Further archives (say, a plugin) go into a folder named after their artifact id.
        for (String extra : d.artifacts().subList(1, d.artifacts().size())) {
          runMaven(d, List.of(plugin + ":unpack", "-Dartifact=" + extra,
              "-DoutputDirectory=" + dir.resolve(extra.split(":")[1])), staging, log);
        }
      }
    } finally {
      FileTrees.delete(staging);
    }
    Files.writeString(dir.resolve(COMPLETE), completionRecord(d));
    progress.accept(String.format(Locale.ROOT, "fetched %s in %.1f s (%d MiB)", d.title(),
        (System.nanoTime() - started) / 1e9, FileTrees.size(dir) >> 20));
    return dir;
  }

  private void runMaven(Distribution d, List<String> arguments, Path staging, Path log)
      throws IOException, StackException {
    int exit = maven.run(arguments, staging, log, FETCH_TIMEOUT);
    if (exit != 0) {
      throw new StackException("could not fetch " + String.join(", ", d.artifacts()) + " through Maven ("
          + maven.origin() + ", " + (exit < 0 ? "timed out after " + FETCH_TIMEOUT.toMinutes() + " min" : "exit " + exit)
          + "); Maven log: " + log);
    }
  }

  /** A throwaway project whose only purpose is to let Maven resolve the distribution's classpath. */
  static String classpathPom(Distribution d) {
    String dependencies = d.artifacts().stream().map(coordinates -> {
      String[] gav = coordinates.split(":");
      return "    <dependency><groupId>" + gav[0] + "</groupId><artifactId>" + gav[1]
          + "</artifactId><version>" + gav[2] + "</version></dependency>";
    }).collect(Collectors.joining("\n"));
    return """
        <?xml version="1.0" encoding="UTF-8"?>
        <project xmlns="http://maven.apache.org/POM/4.0.0">
          <modelVersion>4.0.0</modelVersion>
          <groupId>io.mcpaudit.stack.dist</groupId>
          <artifactId>%s</artifactId>
          <version>%s</version>
          <packaging>pom</packaging>
          <dependencies>
        %s
          </dependencies>
        </project>
        """.formatted(d.name(), d.version(), dependencies);
  }
}
