package io.mcpaudit.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A JDK installed on this machine, as its {@code release} file describes it. */
record Jdk(Path home, String version, int major) {

  private static final Pattern JAVA_VERSION = Pattern.compile("^JAVA_VERSION=\"?([^\"\\s]+)\"?\\s*$", Pattern.MULTILINE);

  Path java() {
    return home.resolve("bin").resolve("java");
  }

  /** The JDK at {@code home}, or empty when that folder has no readable {@code release} file or no {@code bin/java}. */
  static Optional<Jdk> at(Path home) {
    try {
      Path release = home.resolve("release");
      if (!Files.isRegularFile(release) || !Files.isExecutable(home.resolve("bin").resolve("java"))) {
        return Optional.empty();
      }
      Matcher m = JAVA_VERSION.matcher(Files.readString(release));
      if (!m.find()) {
        return Optional.empty();
      }
      String version = m.group(1);
      return Optional.of(new Jdk(home.toRealPath(), version, majorOf(version)));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** {@code 1.8.0_402} is 8, {@code 17.0.15} is 17, {@code 25} and {@code 25-ea} are 25. */
  static int majorOf(String version) {
    String[] parts = version.split("[.\\-+_]");
    int first = Integer.parseInt(parts[0]);
    return first == 1 && parts.length > 1 ? Integer.parseInt(parts[1]) : first;
  }
}
