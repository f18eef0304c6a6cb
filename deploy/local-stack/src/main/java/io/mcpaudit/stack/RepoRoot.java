package io.mcpaudit.stack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Finds the mcp-audit source tree this code runs from, when it runs from one (builds, tests, a developer's shell). */
final class RepoRoot {

  static final String PROPERTY = "mcpaudit.repo.root";

  private RepoRoot() {}

  /** The {@code mcpaudit.repo.root} system property, else the nearest folder above the working folder with a Maven wrapper. */
  static Optional<Path> find() {
    String configured = System.getProperty(PROPERTY);
    if (configured != null && !configured.isBlank()) {
      return Optional.of(Path.of(configured).toAbsolutePath().normalize());
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("mvnw")) && Files.isDirectory(dir.resolve(".mvn"))) {
        return Optional.of(dir);
      }
    }
    return Optional.empty();
  }
}
