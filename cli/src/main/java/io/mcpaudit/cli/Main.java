package io.mcpaudit.cli;

import io.mcpaudit.cli.stack.DownCommand;
import io.mcpaudit.cli.stack.StatusCommand;
import io.mcpaudit.cli.stack.UpCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code mcp-audit} command: one entry point, a thin subcommand over each module's API. */
@Command(
    name = "mcp-audit",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = "Audit and anomaly detection for the Model Context Protocol.",
    subcommands = {io.mcpaudit.cli.agent.AgentCommand.class, UpCommand.class, DownCommand.class, StatusCommand.class,
        io.mcpaudit.cli.inventory.InventoryCommand.class, io.mcpaudit.cli.route.RouteCommand.class,
        io.mcpaudit.cli.pipeline.PipelineCommand.class, io.mcpaudit.cli.rules.RulesCommand.class,
        io.mcpaudit.cli.detect.DetectCommand.class, io.mcpaudit.cli.ingest.IngestCommand.class,
        io.mcpaudit.cli.investigate.TraceCommand.class, io.mcpaudit.cli.investigate.SearchCommand.class,
        io.mcpaudit.cli.investigate.HuntCommand.class,
        io.mcpaudit.cli.dashboards.DashboardsCommand.class, io.mcpaudit.cli.simulate.SimulateCommand.class,
        io.mcpaudit.cli.demo.DemoCommand.class,
        CommandLine.HelpCommand.class})
public final class Main {

  public static void main(String[] args) {
    CommandLine commandLine = commandLine();
    int exitCode = commandLine.execute(args);
    // Subcommands print through picocli's writers; nothing may be lost to System.exit.
    commandLine.getOut().flush();
    commandLine.getErr().flush();
    System.exit(exitCode);
  }

  /** The configured command line; tests run subcommands through it exactly as users do. */
  public static CommandLine commandLine() {
    return new CommandLine(new Main())
        .setExecutionExceptionHandler(new UserErrorHandler())
        .setCaseInsensitiveEnumValuesAllowed(true);
  }
}
