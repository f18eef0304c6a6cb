package io.mcpaudit.cli.stack;

import io.mcpaudit.stack.ComponentStatus;
import io.mcpaudit.stack.LocalStack;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code mcp-audit status}: what the local stack is doing. Exits 0 when every server is ready, 3 otherwise. */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = {"Show each local-stack server: process, readiness, endpoint, memory and log file.",
        "Exit code 0 when all are ready, 3 when the stack is down or degraded."})
public final class StatusCommand implements Callable<Integer> {
  @Spec
  private CommandSpec spec;

  @Mixin
  private StackOptions options;

  @Override
  public Integer call() throws Exception {
    List<ComponentStatus> components = LocalStack.statusAt(options.runDir());
    PrintWriter out = spec.commandLine().getOut();
    if (components.isEmpty()) {
      out.println("no local stack in " + options.runDir() + " (start one with ./mcp-audit up)");
      return 3;
    }
    out.printf("%-16s %-8s %-8s %-44s %8s  %s%n", "SERVER", "PID", "STATE", "ENDPOINT", "RSS", "LOG");
    for (ComponentStatus c : components) {
      String state = !c.alive() ? "down" : c.ready() ? "ready" : "starting";
      out.printf("%-16s %-8d %-8s %-44s %8s  %s%n", c.name(), c.pid(), state, c.endpoint(),
          c.residentBytes() > 0 ? (c.residentBytes() >> 20) + " MiB" : "-", c.log());
    }
    PipelineProcess pipeline = new PipelineProcess(options.runDir());
    var process = pipeline.running();
    out.printf("%-16s %-8s %-8s %-44s %8s  %s%n", "pipeline", process.map(p -> Long.toString(p.pid())).orElse("-"),
        process.isPresent() ? "running" : "stopped", "detection + indexer", "-", pipeline.log());
    out.flush();
    return components.stream().allMatch(c -> c.alive() && c.ready()) ? 0 : 3;
  }
}
