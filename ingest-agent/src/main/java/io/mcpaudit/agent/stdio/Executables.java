package io.mcpaudit.agent.stdio;

import io.mcpaudit.agent.mcp.Hashes;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Optional;

/** Finds the file a command will run (as the shell would, through PATH) and hashes it. */
final class Executables {
  private Executables() {}

  static Optional<Path> resolve(String program, String pathVariable, Path cwd) {
    if (program.contains("/")) {
      Path direct = cwd.resolve(program);
      return Files.isRegularFile(direct) ? Optional.of(real(direct)) : Optional.empty();
    }
    if (pathVariable == null) {
      return Optional.empty();
    }
    for (String dir : pathVariable.split(java.io.File.pathSeparator)) {
      if (dir.isEmpty()) {
        dir = ".";
      }
      Path candidate = cwd.resolve(dir).resolve(program);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(real(candidate));
      }
    }
    return Optional.empty();
  }

  static Optional<String> sha256(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest digest = Hashes.sha256();
      byte[] buffer = new byte[256 * 1024];
      int n;
      while ((n = in.read(buffer)) != -1) {
        digest.update(buffer, 0, n);
      }
      return Optional.of(HexFormat.of().formatHex(digest.digest()));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static Path real(Path path) {
    try {
      return path.toRealPath();
    } catch (IOException e) {
      return path.toAbsolutePath().normalize();
    }
  }
}
