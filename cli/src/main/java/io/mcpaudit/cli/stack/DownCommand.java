package io.mcpaudit.cli.stack;

import io.mcpaudit.stack.LocalStack;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code mcp-audit down}: stop the local stack that {@code up} started. */
@Command(name = "down", mixinStandardHelpOptions = true,
    description = "Stop the local stack started by 'mcp-audit up'. Data and logs stay in the run directory.")
public final class DownCommand implements Callable<Integer> {
  @Spec
  private CommandSpec spec;

  @Mixin
  private StackOptions options;

  @Override
  public Integer call() throws Exception {
    boolean pipelineStopped = new PipelineProcess(options.runDir()).stop(java.time.Duration.ofSeconds(30));
    if (pipelineStopped) {
      spec.commandLine().getErr().println("pipeline stopped");
    }
    boolean stopped = LocalStack.stopAt(options.runDir());
    spec.commandLine().getErr().println(stopped
        ? "local stack in " + options.runDir() + " stopped"
        : "no local stack running in " + options.runDir());
    return 0;
  }
}
