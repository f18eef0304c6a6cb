package io.mcpaudit.cli.investigate;

import io.mcpaudit.cli.cluster.ClusterOptions;
import io.mcpaudit.streams.investigate.SessionStory;
import io.mcpaudit.streams.investigate.SessionStoryReader;
import io.mcpaudit.streams.investigate.SessionStoryRenderer;
import io.mcpaudit.streams.sink.opensearch.OpenSearchConnection;
import java.net.URI;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code mcp-audit trace SESSION}: a session's action chain, step by step, with its alerts where they arose. */
@Command(name = "trace", mixinStandardHelpOptions = true,
    description = {"Reconstruct one session from OpenSearch: who, which server, each step (method, tool, redacted",
        "arguments, result excerpt, duration, errors), approvals, scopes, and alerts at the step that raised them.",
        "Exit code 0 when the session was found, 4 when OpenSearch knows nothing about it."},
    footer = {"", "Examples:", "  ./mcp-audit trace 5f2c9a1e-…", "  ./mcp-audit trace s1 --format html > s1.html"})
public final class TraceCommand implements Callable<Integer> {
  enum Format { text, json, html }

  @Spec
  private CommandSpec spec;

  @Mixin
  private ClusterOptions cluster;

  @Parameters(index = "0", paramLabel = "SESSION", description = "The session id (mcp.session.id).")
  private String session;

  @Option(names = "--format", defaultValue = "text", description = "text, json or html (default: ${DEFAULT-VALUE}).")
  private Format format;

  @Override
  public Integer call() throws Exception {
    OpenSearchConnection connection = OpenSearchConnection.fromEnvironment(URI.create(cluster.openSearch()),
        System.getenv());
    SessionStory story = new SessionStoryReader(connection.client()).read(session);
    if (!story.found()) {
      spec.commandLine().getErr().println("mcp-audit trace: no events, trace or alerts for session '" + session
          + "' in " + connection);
      return 4;
    }
    spec.commandLine().getOut().print(switch (format) {
      case text -> SessionStoryRenderer.text(story);
      case json -> SessionStoryRenderer.json(story) + "\n";
      case html -> SessionStoryRenderer.html(story);
    });
    spec.commandLine().getOut().flush();
    return 0;
  }
}
