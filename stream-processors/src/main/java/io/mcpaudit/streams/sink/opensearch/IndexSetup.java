package io.mcpaudit.streams.sink.opensearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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

  private static final ObjectMapper JSON = new ObjectMapper();

  private IndexSetup() {}

  /**
   * Puts each template whose installed version is older than the shipped one. When the events
   * template changes, the data stream is rolled over so that new documents get the new mapping at
   * once (existing backing indices keep theirs, as OpenSearch requires).
   */
  public static void ensureTemplates(OpenSearchClient client) throws IOException {
    for (String name : TEMPLATES) {
      String body = template(name);
      int shipped = version(JSON.readTree(body));
      int installed = installedVersion(client, name);
      if (installed >= shipped) {
        continue;
      }
      try (Response response = client.generic().execute(Requests.builder()
          .method("PUT").endpoint("/_index_template/" + name).json(body).build())) {
        if (response.getStatus() >= 300) {
          throw new IOException("OpenSearch refused index template " + name + " (HTTP " + response.getStatus() + "): "
              + bodyOf(response));
        }
      }
      if (name.equals(EVENTS) && installed >= 0) {
        rollOver(client, EVENTS);
      }
    }
  }

  /** Starts a new backing index for a data stream; a missing data stream is fine (the first write creates it). */
  public static void rollOver(OpenSearchClient client, String dataStream) throws IOException {
    try (Response response = client.generic().execute(Requests.builder()
        .method("POST").endpoint("/" + dataStream + "/_rollover").build())) {
      if (response.getStatus() >= 300 && response.getStatus() != 404 && response.getStatus() != 400) {
        throw new IOException("cannot roll over " + dataStream + " (HTTP " + response.getStatus() + "): "
            + bodyOf(response));
      }
    }
  }

  /** The installed template's version: -1 when there is none, 0 when it predates versioning. */
  private static int installedVersion(OpenSearchClient client, String name) throws IOException {
    try (Response response = client.generic().execute(Requests.builder()
        .method("GET").endpoint("/_index_template/" + name).build())) {
      if (response.getStatus() == 404) {
        return -1;
      }
      if (response.getStatus() >= 300) {
        throw new IOException("cannot read index template " + name + " (HTTP " + response.getStatus() + "): "
            + bodyOf(response));
      }
      JsonNode templates = JSON.readTree(bodyOf(response)).path("index_templates");
      return templates.isEmpty() ? -1 : version(templates.get(0).path("index_template"));
    }
  }

  private static int version(JsonNode template) {
    return template.path("_meta").path("mcp_audit_template_version").asInt(0);
  }

  private static String bodyOf(Response response) {
    return response.getBody().map(b -> b.bodyAsString()).orElse("");
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
