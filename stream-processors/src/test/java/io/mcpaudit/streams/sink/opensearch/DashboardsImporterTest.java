package io.mcpaudit.streams.sink.opensearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The importer speaks the OpenSearch Dashboards saved-objects import API: one multipart POST per file to
 * {@code /api/saved_objects/_import?overwrite=true} with {@code osd-xsrf}, credentials from the environment,
 * and a clear per-file report. OpenSearch Dashboards cannot run where the project's tests run (no Docker,
 * and it is not a Maven artifact the local stack can start), so a JDK HTTP server stands in for it and
 * checks the request shape the API documents; the answers it gives are the API's documented answers.
 */
class DashboardsImporterTest {
  private static final Pattern BOUNDARY = Pattern.compile("multipart/form-data; boundary=(\\S+)");

  /** One request the fake Dashboards received. */
  record Received(String method, String path, String query, Map<String, List<String>> headers, byte[] body) {
    String header(String name) {
      return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
          .map(e -> e.getValue().get(0)).findFirst().orElse(null);
    }
  }

  /** A multipart body taken apart. */
  record Part(String disposition, String contentType, byte[] content) {}

  @TempDir
  Path dir;
  private HttpServer server;
  private final List<Received> received = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  @Test
  void eachShippedFileIsPostedInOrderAsOneMultipartFilePartWithXsrfAndBasicAuth() throws Exception {
    URI url = start("/dashboards", r -> answer(200, "{\"success\":true,\"successCount\":" + lines(r) + "}"));
    Path shipped = Path.of(System.getProperty("mcpaudit.repo.root", "..")).resolve("deploy/opensearch/dashboards");
    OpenSearchConnection connection = OpenSearchConnection.fromEnvironment(url,
        Map.of("MCP_AUDIT_OPENSEARCH_USER", "soc-admin", "MCP_AUDIT_OPENSEARCH_PASSWORD", "s3cret:pw"));

    List<DashboardsImporter.FileResult> results = new DashboardsImporter(connection, Optional.empty()).importAll(shipped);

    List<Path> files = DashboardsImporter.files(shipped);
    assertThat(received).hasSize(files.size());
    for (int i = 0; i < files.size(); i++) {
      Received request = received.get(i);
      assertThat(request.method()).isEqualTo("POST");
      assertThat(request.path()).isEqualTo("/dashboards/api/saved_objects/_import");
      assertThat(request.query()).isEqualTo("overwrite=true");
      assertThat(request.header("osd-xsrf")).isEqualTo("true");
      assertThat(request.header("Authorization")).isEqualTo("Basic "
          + Base64.getEncoder().encodeToString("soc-admin:s3cret:pw".getBytes(StandardCharsets.UTF_8)));
      assertThat(request.header("securitytenant")).isNull();
      List<Part> parts = parts(request);
      assertThat(parts).hasSize(1);
      assertThat(parts.get(0).disposition())
          .isEqualTo("form-data; name=\"file\"; filename=\"" + files.get(i).getFileName() + "\"");
      assertThat(parts.get(0).contentType()).isEqualTo("application/ndjson");
      assertThat(parts.get(0).content()).isEqualTo(Files.readAllBytes(files.get(i)));
    }
    assertThat(results).allMatch(DashboardsImporter.FileResult::success);
    assertThat(results.get(0).describe()).isEqualTo("00-index-patterns.ndjson: imported 3 of 3 objects");
  }

  @Test
  void anApiKeyAndATenantAreSentAsHeaders() throws Exception {
    URI url = start("", r -> answer(200, "{\"success\":true,\"successCount\":1}"));
    Path file = Files.writeString(dir.resolve("one.ndjson"), "{\"id\":\"a\",\"type\":\"index-pattern\"}\n");

    new DashboardsImporter(OpenSearchConnection.fromEnvironment(url, Map.of("MCP_AUDIT_OPENSEARCH_API_KEY", "k3y")),
        Optional.of("global")).importFile(file);

    assertThat(received.get(0).path()).isEqualTo("/api/saved_objects/_import");
    assertThat(received.get(0).header("Authorization")).isEqualTo("ApiKey k3y");
    assertThat(received.get(0).header("securitytenant")).isEqualTo("global");
  }

  @Test
  void objectsDashboardsRejectsAreReportedOneByOneWithWhatIsMissing() throws Exception {
    URI url = start("", r -> answer(200, """
        {"success":false,"successCount":1,"errors":[
          {"id":"mcp-audit-soc-top-tools","type":"visualization","title":"mcp-audit: top tools called",
           "error":{"type":"missing_references","references":[{"type":"index-pattern","id":"mcp-events"}]}},
          {"id":"x","type":"dashboard","title":"X","error":{"type":"unknown","message":"boom","statusCode":500}}]}
        """));
    Path file = Files.writeString(dir.resolve("10-soc.ndjson"), "{}\n{}\n{}\n");

    DashboardsImporter.FileResult result = new DashboardsImporter(OpenSearchConnection.plain(url), Optional.empty())
        .importFile(file);

    assertThat(result.success()).isFalse();
    assertThat(result.imported()).isEqualTo(1);
    assertThat(result.errors()).containsExactly(
        "visualization mcp-audit-soc-top-tools (mcp-audit: top tools called): missing references: index-pattern"
            + " mcp-events (import the file that defines them first, or all files together)",
        "dashboard x (X): unknown: boom");
    assertThat(result.describe()).startsWith("10-soc.ndjson: FAILED (1 of 3 objects imported)\n  - visualization");
  }

  @Test
  void httpFailuresSayWhatToCheck() throws Exception {
    List<Integer> statuses = new ArrayList<>(List.of(401, 404, 400));
    URI url = start("", r -> statuses.isEmpty() ? answer(500, "")
        : answer(statuses.remove(0), "{\"statusCode\":400,\"error\":\"Bad Request\",\"message\":\"Invalid file extension\"}"));
    Path file = Files.writeString(dir.resolve("a.ndjson"), "{}\n");
    DashboardsImporter importer = new DashboardsImporter(OpenSearchConnection.plain(url), Optional.empty());

    assertThat(importer.importFile(file).errors()).singleElement().asString()
        .contains("HTTP 401").contains("MCP_AUDIT_OPENSEARCH_USER").contains("MCP_AUDIT_OPENSEARCH_API_KEY");
    assertThat(importer.importFile(file).errors()).singleElement().asString()
        .contains("HTTP 404").contains("OpenSearch Dashboards address").contains("5601");
    assertThat(importer.importFile(file).errors()).singleElement().asString()
        .isEqualTo("Dashboards answered HTTP 400: Invalid file extension");
  }

  @Test
  void anUnreachableDashboardsIsOneClearError() throws Exception {
    URI url = start("", r -> answer(200, "{}"));
    server.stop(0);
    server = null;
    Path file = Files.writeString(dir.resolve("a.ndjson"), "{}\n");

    assertThatThrownBy(() -> new DashboardsImporter(OpenSearchConnection.plain(url), Optional.empty()).importFile(file))
        .isInstanceOf(IOException.class)
        .hasMessage("OpenSearch Dashboards at " + url + " is unreachable (connection refused); check --url and that"
            + " Dashboards is running");
  }

  @Test
  void aFolderWithoutSavedObjectsIsRefused() {
    assertThatThrownBy(() -> DashboardsImporter.files(dir)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no .ndjson saved-object files in");
    assertThatThrownBy(() -> DashboardsImporter.files(dir.resolve("missing"))).hasMessageContaining("does not exist");
  }

  // ---- the fake Dashboards ----

  private record Answer(int status, String body) {}

  private static Answer answer(int status, String body) {
    return new Answer(status, body);
  }

  private URI start(String basePath, Function<Received, Answer> respond) throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      Received request = new Received(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
          exchange.getRequestURI().getRawQuery(), Map.copyOf(exchange.getRequestHeaders()),
          exchange.getRequestBody().readAllBytes());
      received.add(request);
      Answer answer = respond.apply(request);
      byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(answer.status(), body.length == 0 ? -1 : body.length);
      if (body.length > 0) {
        exchange.getResponseBody().write(body);
      }
      exchange.close();
    });
    server.start();
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + basePath);
  }

  /** Splits a multipart/form-data body strictly: CRLF line ends, a closing delimiter, nothing after it. */
  private static List<Part> parts(Received request) {
    Matcher m = BOUNDARY.matcher(request.header("Content-Type"));
    assertThat(m.matches()).as("Content-Type " + request.header("Content-Type")).isTrue();
    String delimiter = "--" + m.group(1);
    String body = new String(request.body(), StandardCharsets.ISO_8859_1);
    assertThat(body).startsWith(delimiter + "\r\n").endsWith("\r\n" + delimiter + "--\r\n");
    String inner = body.substring(delimiter.length() + 2, body.length() - (delimiter.length() + 6));
    List<Part> parts = new ArrayList<>();
    for (String raw : inner.split("\r\n" + Pattern.quote(delimiter) + "\r\n", -1)) {
      int end = raw.indexOf("\r\n\r\n");
      assertThat(end).as("part headers end with an empty line").isPositive();
      String disposition = null;
      String type = null;
      for (String header : raw.substring(0, end).split("\r\n")) {
        String[] kv = header.split(":\\s*", 2);
        if (kv[0].equalsIgnoreCase("Content-Disposition")) {
          disposition = kv[1];
        } else if (kv[0].equalsIgnoreCase("Content-Type")) {
          type = kv[1];
        }
      }
      parts.add(new Part(disposition, type, raw.substring(end + 4).getBytes(StandardCharsets.ISO_8859_1)));
    }
    return parts;
  }

  private static long lines(Received request) {
    return new String(parts(request).get(0).content(), StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).count();
  }
}
