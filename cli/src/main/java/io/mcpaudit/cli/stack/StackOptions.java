package io.mcpaudit.cli.stack;

import io.mcpaudit.stack.LocalStackConfig;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options shared by up, down and status. */
public final class StackOptions {
  @Option(names = "--run-dir", paramLabel = "DIR",
      description = "Where the stack keeps data, logs and its state file (default: ${DEFAULT-VALUE}).",
      defaultValue = "${env:MCP_AUDIT_STACK_DIR:-${sys:user.home}/.mcp-audit/stack}")
  private Path runDir;

  public Path runDir() {
    return runDir;
  }

  public LocalStackConfig config() {
    return LocalStackConfig.at(runDir);
  }
}
