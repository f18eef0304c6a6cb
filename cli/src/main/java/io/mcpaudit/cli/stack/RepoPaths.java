package io.mcpaudit.cli.stack;

import java.nio.file.Files;
import java.nio.file.Path;

/** Files of the repository the CLI was built from (./mcp-audit passes its location). */
public final class RepoPaths {
  private RepoPaths() {}

  public static Path root() {
    String root = System.getProperty("mcpaudit.repo.root");
    return Path.of(root == null ? "." : root);
  }

  /** The shipped rule pack, detection-rules/rules. */
  public static Path rulePack() {
    Path pack = root().resolve("detection-rules").resolve("rules");
    if (!Files.isDirectory(pack)) {
      throw new IllegalArgumentException("rule pack not found at " + pack + "; run mcp-audit from the repository"
          + " (./mcp-audit) or set -Dmcpaudit.repo.root");
    }
    return pack;
  }
}
