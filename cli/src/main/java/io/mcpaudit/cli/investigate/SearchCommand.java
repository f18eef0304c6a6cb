package io.mcpaudit.cli.investigate;

import com.fasterxml.jackson.databind.JsonNode;
import io.mcpaudit.cli.cluster.ClusterOptions;
import io.mcpaudit.streams.investigate.TerminalText;
import io.mcpaudit.streams.sink.opensearch.IndexSetup;
import io.mcpaudit.streams.sink.opensearch.OpenSearchConnection;
import java.io.PrintWriter;
import java.net.URI;
import java.util.concurrent.Callable;
import org.opensearch.client.opensearch.OpenSearchClient;
import org.opensearch.client.opensearch._types.SortOrder;
import org.opensearch.client.opensearch.core.SearchResponse;
import org.opensearch.client.opensearch.core.search.Hit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code mcp-audit search QUERY}: ad-hoc questions over indexed events or alerts, printed readably. */
@Command(name = "search", mixinStandardHelpOptions = true,
    description = "Search indexed events (or alerts) with OpenSearch query-string syntax over the documented fields.",
    footer = {"", "Examples:",
        "  ./mcp-audit search 'gen_ai.tool.name:write_file AND user.name:alice'",
        "  ./mcp-audit search --alerts 'mcp.alert.category:token-reuse' --since 7d",
        "  ./mcp-audit search 'mcp.content.text:\"ignore previous instructions\"'"})
public final class SearchCommand implements Callable<Integer> {
  @Spec
  private CommandSpec spec;

  @Mixin
  private ClusterOptions cluster;

  @Parameters(index = "0", paramLabel = "QUERY", description = "Query string (field:value, AND/OR/NOT, quotes).")
  private String query;

  @Option(names = "--alerts", description = "Search alerts instead of events.")
  private boolean alerts;

  @Option(names = "--since", defaultValue = "24h",
      description = "How far back, as an OpenSearch date-math span: 15m, 24h, 7d (default: ${DEFAULT-VALUE}).")
  private String since;

  @Option(names = "--size", defaultValue = "25", description = "Most hits to show (default: ${DEFAULT-VALUE}).")
  private int size;

  @Override
  public Integer call() throws Exception {
    if (!since.matches("\\d+[smhdwMy]")) {
      throw new IllegalArgumentException("--since must look like 15m, 24h or 7d, got '" + since + "'");
    }
    OpenSearchClient client = OpenSearchConnection.fromEnvironment(URI.create(cluster.openSearch()), System.getenv())
        .client();
    String index = alerts ? IndexSetup.ALERTS : IndexSetup.EVENTS;
    SearchResponse<JsonNode> response = client.search(s -> s.index(index).size(size)
        .query(q -> q.bool(b -> b
            .must(m -> m.queryString(qs -> qs.query(query)))
            .filter(f -> f.range(r -> r.field("@timestamp").gte(org.opensearch.client.json.JsonData.of("now-" + since))))))
        .sort(o -> o.field(f -> f.field("@timestamp").order(SortOrder.Desc))), JsonNode.class);
    PrintWriter out = spec.commandLine().getOut();
    long total = response.hits().total() == null ? response.hits().hits().size() : response.hits().total().value();
    out.printf("%d hits in %s over the last %s (showing %d, newest first)%n", total, index, since,
        response.hits().hits().size());
    for (Hit<JsonNode> hit : response.hits().hits()) {
      JsonNode d = hit.source();
      // Whole session ids (an analyst pastes them into `trace`); untrusted text escaped for the terminal.
      out.printf("%-24s %-22s %s%n", TerminalText.oneLine(d.path("@timestamp").asText()),
          TerminalText.oneLine(d.path("mcp").path("session").path("id").asText()),
          TerminalText.oneLine(alerts ? alertSummary(d) : eventSummary(d)));
    }
    out.flush();
    return 0;
  }

  private static String eventSummary(JsonNode d) {
    StringBuilder s = new StringBuilder(d.path("event").path("action").asText());
    appendIf(s, " ", d.path("mcp").path("method").path("name"));
    appendIf(s, " ", d.path("gen_ai").path("tool").path("name"));
    appendIf(s, " user=", d.path("user").path("name"));
    appendIf(s, " server=", d.path("server").path("name"));
    JsonNode args = d.path("mcp").path("tool").path("arguments");
    if (args.isTextual()) {
      s.append(' ').append(cut(args.asText(), 80));
    }
    JsonNode content = d.path("mcp").path("content").path("text");
    if (content.isTextual()) {
      s.append(" → ").append(cut(content.asText().replace('\n', ' '), 80));
    }
    return s.toString();
  }

  private static String alertSummary(JsonNode d) {
    JsonNode a = d.path("mcp").path("alert");
    return a.path("category").asText() + " (" + a.path("severity").asText() + ") " + a.path("title").asText()
        + (a.path("count").asLong(1) > 1 ? " ×" + a.path("count").asLong() : "");
  }

  private static void appendIf(StringBuilder s, String prefix, JsonNode value) {
    if (value.isValueNode() && !value.asText().isEmpty()) {
      s.append(prefix).append(value.asText());
    } else if (value.isArray() && !value.isEmpty()) {
      s.append(prefix).append(value.toString());
    }
  }

  private static String cut(String s, int n) {
    return s.length() <= n ? s : s.substring(0, n - 1) + "…";
  }
}
