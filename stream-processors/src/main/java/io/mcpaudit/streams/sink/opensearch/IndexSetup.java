package io.mcpaudit.streams.sink.opensearch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.opensearch.client.opensearch.OpenSearchClient;
import org.opensearch.client.opensearch.generic.Requests;
import org.opensearch.client.opensearch.generic.Response;

/**
 * Installs mcp-audit's index templates (shipped under {@code deploy/opensearch/templates/}) so the
 * first write creates {@code mcp-events} as a data stream and {@code mcp-alerts} / {@code mcp-traces}
 * with the intended mappings. Putting a template is idempotent.
 */
public final class IndexSetup {
  public static final String EVENTS = "mcp-events";
  public static final String ALERTS = "mcp-alerts";
  public static final String TRACES = "mcp-traces";
  private static final List<String> TEMPLATES = List.of(EVENTS, ALERTS, TRACES);

  private IndexSetup() {}

  public static void ensureTemplates(OpenSearchClient client) throws IOException {
    for (String name : TEMPLATES) {
      String body = template(name);
      try (Response response = client.generic().execute(Requests.builder()
          .method("PUT").endpoint("/_index_template/" + name).json(body).build())) {
        if (response.getStatus() >= 300) {
          String detail = response.getBody().map(b -> b.bodyAsString()).orElse("");
          throw new IOException("OpenSearch refused index template " + name + " (HTTP " + response.getStatus() + "): "
              + detail);
        }
      }
    }
  }

  static String template(String name) throws IOException {
    String resource = "/opensearch/templates/" + name + ".json";
    try (InputStream in = IndexSetup.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IOException("index template " + resource + " is missing from the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
