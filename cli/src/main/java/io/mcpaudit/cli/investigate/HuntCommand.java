package io.mcpaudit.cli.investigate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mcpaudit.cli.cluster.ClusterOptions;
import io.mcpaudit.cli.stack.RepoPaths;
import io.mcpaudit.rules.LoadResult;
import io.mcpaudit.rules.RuleLoader;
import io.mcpaudit.rules.hunt.OpenSearchQuery;
import io.mcpaudit.rules.hunt.SigmaToOpenSearch;
import io.mcpaudit.rules.sigma.CompiledRule;
import io.mcpaudit.rules.sigma.SigmaRule;
import io.mcpaudit.streams.sink.opensearch.IndexSetup;
import io.mcpaudit.streams.sink.opensearch.OpenSearchConnection;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.opensearch.client.opensearch.OpenSearchClient;
import org.opensearch.client.opensearch.generic.Requests;
import org.opensearch.client.opensearch.generic.Response;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code mcp-audit hunt --rule ID}: runs a stateless rule as an OpenSearch query over indexed history. */
@Command(name = "hunt", mixinStandardHelpOptions = true,
    description = {"Translate a stateless detection rule into an OpenSearch query and run it over indexed events,",
        "to find what a new rule would have caught in the past. Prints the query's approximations; refuses rules",
        "that cannot be searched faithfully (derived fields, base64 variants, stateful rules) and says why."},
    footer = {"", "Examples:", "  ./mcp-audit hunt --rule cc4bcd6b-c102-488e-a29f-a676171d5c1c --since 7d",
        "  ./mcp-audit hunt --rule 'AWS access key' --show-query"})
public final class HuntCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Spec
  private CommandSpec spec;

  @Mixin
  private ClusterOptions cluster;

  @Option(names = "--rule", required = true, paramLabel = "ID|TITLE",
      description = "Rule id, or a unique part of its title.")
  private String ruleRef;

  @Option(names = "--rules", paramLabel = "DIR", description = "Rule pack (default: detection-rules/rules).")
  private Path rules;

  @Option(names = "--since", defaultValue = "7d", description = "How far back: 15m, 24h, 7d (default: ${DEFAULT-VALUE}).")
  private String since;

  @Option(names = "--size", defaultValue = "25", description = "Most hits to show (default: ${DEFAULT-VALUE}).")
  private int size;

  @Option(names = "--show-query", description = "Print the OpenSearch query (JSON) and do not run it.")
  private boolean showQuery;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (!since.matches("\\d+[smhdwMy]")) {
      throw new IllegalArgumentException("--since must look like 15m, 24h or 7d, got '" + since + "'");
    }
    LoadResult pack = new RuleLoader().load(rules != null ? rules : RepoPaths.rulePack());
    CompiledRule rule = find(pack);
    OpenSearchQuery translated = new SigmaToOpenSearch(eventFieldTypes()).translate((SigmaRule) rule.definition());
    if (!translated.translatable()) {
      err.println("mcp-audit hunt: rule '" + rule.title() + "' cannot be searched in OpenSearch:");
      translated.unsupported().stream().distinct().forEach(u -> err.println("  - " + u));
      err.println("Replay captures through it instead: ./mcp-audit detect --input CAPTURE");
      return 2;
    }
    translated.approximations().stream().distinct().forEach(a -> err.println("note: " + a));
    if (showQuery) {
      out.println(translated.query().toPrettyString());
      return 0;
    }
    OpenSearchClient client = OpenSearchConnection.fromEnvironment(URI.create(cluster.openSearch()), System.getenv())
        .client();
    // The translated query is JSON already: send it as it is through the generic client.
    com.fasterxml.jackson.databind.node.ObjectNode body = JSON.createObjectNode();
    body.put("size", size);
    body.putArray("sort").addObject().putObject("@timestamp").put("order", "desc");
    com.fasterxml.jackson.databind.node.ObjectNode bool = body.putObject("query").putObject("bool");
    bool.putArray("must").add(translated.query());
    bool.putArray("filter").addObject().putObject("range").putObject("@timestamp").put("gte", "now-" + since);
    JsonNode response;
    try (Response raw = client.generic().execute(Requests.builder().method("POST")
        .endpoint("/" + IndexSetup.EVENTS + "/_search").json(body.toString()).build())) {
      String text = raw.getBody().map(b -> b.bodyAsString()).orElse("{}");
      if (raw.getStatus() >= 300) {
        JsonNode reason = JSON.readTree(text).path("error").path("root_cause").path(0).path("reason");
        err.println("mcp-audit hunt: OpenSearch refused the query for '" + rule.title() + "' (HTTP " + raw.getStatus()
            + "): " + (reason.isMissingNode() ? text : reason.asText()));
        return 1;
      }
      response = JSON.readTree(text);
    }
    JsonNode hits = response.path("hits").path("hits");
    out.printf("%s: %d matching events over the last %s (showing %d, newest first)%n", rule.title(),
        response.path("hits").path("total").path("value").asLong(hits.size()), since, hits.size());
    for (JsonNode hit : hits) {
      JsonNode d = hit.path("_source");
      out.printf("%-24s %-22s %s %s%n", d.path("@timestamp").asText(), d.path("mcp").path("session").path("id").asText(),
          d.path("event").path("action").asText(), d.path("gen_ai").path("tool").path("name").asText(""));
    }
    out.flush();
    return 0;
  }

  private CompiledRule find(LoadResult pack) {
    var byId = pack.ruleSet().rule(ruleRef);
    if (byId.isPresent()) {
      return byId.get();
    }
    var matches = pack.ruleSet().rules().stream()
        .filter(r -> r.title().toLowerCase().contains(ruleRef.toLowerCase())).toList();
    if (matches.size() != 1) {
      throw new IllegalArgumentException(matches.isEmpty() ? "no rule with id or title '" + ruleRef + "'"
          : matches.size() + " rules match '" + ruleRef + "': "
              + String.join("; ", matches.stream().map(CompiledRule::title).toList()) + " — use the id");
    }
    return matches.get(0);
  }

  /** Field types from the events index template the indexer installs. */
  private static Map<String, String> eventFieldTypes() throws java.io.IOException {
    try (InputStream in = IndexSetup.class.getResourceAsStream("/opensearch/templates/mcp-events.json")) {
      if (in == null) {
        throw new IllegalStateException("the events index template is missing from the classpath");
      }
      return SigmaToOpenSearch.fieldTypes(JSON.readTree(in).path("template").path("mappings"));
    }
  }
}
