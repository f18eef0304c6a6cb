package io.mcpaudit.cli.dashboards;

import io.mcpaudit.cli.stack.RepoPaths;
import io.mcpaudit.streams.sink.opensearch.DashboardsImporter;
import io.mcpaudit.streams.sink.opensearch.OpenSearchConnection;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code mcp-audit dashboards}: the OpenSearch Dashboards objects mcp-audit ships. */
@Command(name = "dashboards", mixinStandardHelpOptions = true,
    description = "Load the mcp-audit dashboards, visualizations, saved searches and index patterns"
        + " (deploy/opensearch/dashboards) into OpenSearch Dashboards.",
    subcommands = {DashboardsCommand.Import.class})
public final class DashboardsCommand {

  /** {@code mcp-audit dashboards import --url URL}. */
  @Command(name = "import", mixinStandardHelpOptions = true,
      description = {"Import the saved objects through the Dashboards import API, one file at a time in file-name"
          + " order, replacing objects with the same ids (re-running it updates the dashboards).",
          "Credentials and trust store come from the environment, as for the indexer:"
              + " MCP_AUDIT_OPENSEARCH_USER + MCP_AUDIT_OPENSEARCH_PASSWORD (or _PASSWORD_FILE), or"
              + " MCP_AUDIT_OPENSEARCH_API_KEY (or _API_KEY_FILE); MCP_AUDIT_OPENSEARCH_TRUSTSTORE"
              + " (+ _TRUSTSTORE_PASSWORD) for a private CA."},
      footer = {"", "Examples:", "  ./mcp-audit dashboards import --url http://localhost:5601",
          "  MCP_AUDIT_OPENSEARCH_USER=admin MCP_AUDIT_OPENSEARCH_PASSWORD_FILE=/run/secrets/osd \\",
          "    ./mcp-audit dashboards import --url https://dashboards.example.org --tenant global"})
  static final class Import implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--url", required = true, paramLabel = "URL",
        description = "OpenSearch Dashboards URL, including any server.basePath (e.g. http://localhost:5601).")
    private String url;

    @Option(names = "--dir", paramLabel = "DIR",
        description = "Folder with the .ndjson files (default: deploy/opensearch/dashboards in the repository).")
    private Path dir;

    @Option(names = "--tenant", paramLabel = "TENANT",
        description = "Security-plugin tenant to import into (sent as the securitytenant header), e.g. global.")
    private String tenant;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      Path folder = dir != null ? dir : RepoPaths.root().resolve("deploy").resolve("opensearch").resolve("dashboards");
      List<Path> files = DashboardsImporter.files(folder);
      OpenSearchConnection connection = OpenSearchConnection.fromEnvironment(dashboardsUrl(url), System.getenv());
      DashboardsImporter importer = new DashboardsImporter(connection, Optional.ofNullable(tenant));
      out.println("importing " + files.size() + " files from " + folder + " into OpenSearch Dashboards at "
          + connection.url() + connection.username().map(u -> " as " + u).orElse("")
          + (connection.apiKey().isPresent() ? " with an API key" : ""));
      out.flush();
      int failed = 0;
      for (Path file : files) {
        DashboardsImporter.FileResult result = importer.importFile(file);
        out.println(result.describe());
        out.flush();
        if (!result.success()) {
          failed++;
        }
      }
      if (failed > 0) {
        out.println(failed + " of " + files.size() + " files were not fully imported; fix what is listed above and"
            + " run the command again (it overwrites what was imported)");
        return 1;
      }
      out.println("all " + files.size() + " files imported; open Dashboards > Dashboards and search for mcp-audit");
      return 0;
    }

    private static URI dashboardsUrl(String value) {
      try {
        URI uri = new URI(value.trim());
        if (uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
          throw new URISyntaxException(value, "not http(s)://HOST[:PORT][/BASE-PATH]");
        }
        return uri;
      } catch (URISyntaxException e) {
        throw new IllegalArgumentException("--url must be the OpenSearch Dashboards address,"
            + " http(s)://HOST[:PORT][/BASE-PATH], got '" + value + "'", e);
      }
    }
  }
}
