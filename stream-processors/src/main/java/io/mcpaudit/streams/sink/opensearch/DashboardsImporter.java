package io.mcpaudit.streams.sink.opensearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import javax.net.ssl.SSLException;

/**
 * Loads the shipped OpenSearch Dashboards saved objects ({@code deploy/opensearch/dashboards/*.ndjson})
 * through the Dashboards import API, overwriting objects with the same ids. Files go one request
 * each, in file-name order, so the index patterns exist before the objects that refer to them.
 * URL, credentials and trust store come from an {@link OpenSearchConnection} (the same environment
 * variables the indexer uses).
 */
public final class DashboardsImporter {
  public static final String IMPORT_PATH = "/api/saved_objects/_import";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(120);

  private final OpenSearchConnection connection;
  private final Optional<String> tenant;
  private final HttpClient http;

  /**
   * @param connection the Dashboards URL (including any {@code server.basePath}) and how to authenticate
   * @param tenant     security-plugin tenant to import into ({@code securitytenant} header), e.g. {@code global}
   */
  public DashboardsImporter(OpenSearchConnection connection, Optional<String> tenant) {
    this.connection = connection;
    this.tenant = tenant.filter(t -> !t.isBlank());
    HttpClient.Builder builder = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(CONNECT_TIMEOUT);
    connection.trustStore().ifPresent(path -> builder.sslContext(connection.sslContext()));
    this.http = builder.build();
  }

  /** How one file's import went: {@code imported} of {@code objects} saved objects, and what Dashboards rejected. */
  public record FileResult(Path file, int objects, boolean success, int imported, List<String> errors) {
    public String describe() {
      String name = file.getFileName().toString();
      if (success) {
        return name + ": imported " + imported + " of " + objects + " objects";
      }
      return name + ": FAILED (" + imported + " of " + objects + " objects imported)"
          + errors.stream().map(e -> "\n  - " + e).reduce("", String::concat);
    }
  }

  /** The saved-object files of a folder in import order (file name); fails when there are none. */
  public static List<Path> files(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException("dashboards folder " + dir + " does not exist; pass the folder with the"
          + " .ndjson files (deploy/opensearch/dashboards in the repository)");
    }
    try (Stream<Path> list = Files.list(dir)) {
      List<Path> files = list.filter(p -> p.getFileName().toString().endsWith(".ndjson") && Files.isRegularFile(p))
          .sorted().toList();
      if (files.isEmpty()) {
        throw new IllegalArgumentException("no .ndjson saved-object files in " + dir);
      }
      return files;
    }
  }

  /** Imports every file of {@code dir} in order and reports each; stops only when Dashboards cannot be reached. */
  public List<FileResult> importAll(Path dir) throws IOException {
    List<FileResult> results = new ArrayList<>();
    for (Path file : files(dir)) {
      results.add(importFile(file));
    }
    return results;
  }

  /** Imports one NDJSON file (multipart form field {@code file}), overwriting existing objects with the same ids. */
  public FileResult importFile(Path file) throws IOException {
    byte[] content = Files.readAllBytes(file);
    int objects = (int) new String(content, StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).count();
    String boundary = "mcp-audit-" + UUID.randomUUID();
    URI uri = importUri();
    HttpRequest.Builder request = HttpRequest.newBuilder(uri)
        .timeout(REQUEST_TIMEOUT)
        .header("osd-xsrf", "true")
        .header("Accept", "application/json")
        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
        .POST(HttpRequest.BodyPublishers.ofByteArray(multipart(boundary, file.getFileName().toString(), content)));
    authorization().ifPresent(value -> request.header("Authorization", value));
    tenant.ifPresent(t -> request.header("securitytenant", t));

    HttpResponse<String> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while importing " + file, e);
    } catch (IOException e) {
      throw unreachable(e);
    }
    return result(file, objects, response);
  }

  private URI importUri() {
    String base = connection.url().toString();
    while (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    return URI.create(base + IMPORT_PATH + "?overwrite=true");
  }

  private Optional<String> authorization() {
    if (connection.apiKey().isPresent()) {
      return Optional.of("ApiKey " + connection.apiKey().get());
    }
    return connection.username().map(user -> "Basic " + Base64.getEncoder().encodeToString(
        (user + ":" + connection.password().orElse("")).getBytes(StandardCharsets.UTF_8)));
  }

  static byte[] multipart(String boundary, String filename, byte[] content) {
    ByteArrayOutputStream body = new ByteArrayOutputStream(content.length + 256);
    String head = "--" + boundary + "\r\n"
        + "Content-Disposition: form-data; name=\"file\"; filename=\"" + filename.replace("\"", "") + "\"\r\n"
        + "Content-Type: application/ndjson\r\n\r\n";
    body.writeBytes(head.getBytes(StandardCharsets.UTF_8));
    body.writeBytes(content);
    body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    return body.toByteArray();
  }

  private FileResult result(Path file, int objects, HttpResponse<String> response) {
    int status = response.statusCode();
    String body = response.body() == null ? "" : response.body();
    if (status != 200) {
      return new FileResult(file, objects, false, 0, List.of(httpProblem(status, body)));
    }
    JsonNode json;
    try {
      json = JSON.readTree(body);
    } catch (IOException e) {
      return new FileResult(file, objects, false, 0,
          List.of("Dashboards answered HTTP 200 with something that is not JSON: " + excerpt(body)));
    }
    List<String> errors = new ArrayList<>();
    for (JsonNode error : json.path("errors")) {
      errors.add(objectError(error));
    }
    boolean success = json.path("success").asBoolean(false) && errors.isEmpty();
    return new FileResult(file, objects, success, json.path("successCount").asInt(0), List.copyOf(errors));
  }

  /** One rejected object: "visualization some-id (Its title): missing references: index-pattern x". */
  private static String objectError(JsonNode error) {
    String object = error.path("type").asText("object") + " " + error.path("id").asText("?")
        + (error.hasNonNull("title") ? " (" + error.path("title").asText() + ")" : "");
    JsonNode detail = error.path("error");
    String type = detail.path("type").asText("unknown");
    return switch (type) {
      case "missing_references" -> {
        List<String> missing = new ArrayList<>();
        detail.path("references").forEach(r -> missing.add(r.path("type").asText() + " " + r.path("id").asText()));
        yield object + ": missing references: " + String.join(", ", missing)
            + " (import the file that defines them first, or all files together)";
      }
      case "conflict" -> object + ": conflicts with an existing object (overwrite was refused)";
      case "unsupported_type" -> object + ": this Dashboards version does not know the object type";
      default -> object + ": " + type + (detail.hasNonNull("message") ? ": " + detail.path("message").asText() : "");
    };
  }

  private String httpProblem(int status, String body) {
    String url = importUri().toString();
    return switch (status) {
      case 401 -> "Dashboards refused the credentials (HTTP 401): set MCP_AUDIT_OPENSEARCH_USER and"
          + " MCP_AUDIT_OPENSEARCH_PASSWORD (or MCP_AUDIT_OPENSEARCH_API_KEY)";
      case 403 -> "the user may not import saved objects (HTTP 403): " + message(body);
      case 404 -> "no saved-objects import API at " + url + " (HTTP 404): --url must be the OpenSearch Dashboards"
          + " address (usually port 5601, plus any server.basePath), not OpenSearch itself";
      case 413 -> "the file is larger than Dashboards accepts (HTTP 413): raise savedObjects.maxImportPayloadBytes";
      default -> "Dashboards answered HTTP " + status + ": " + message(body);
    };
  }

  /** The {@code message} of a Dashboards error body, else the body itself (shortened). */
  private static String message(String body) {
    try {
      JsonNode json = JSON.readTree(body);
      if (json != null && json.hasNonNull("message")) {
        return json.path("message").asText();
      }
    } catch (IOException e) {
      // Not JSON: a proxy's HTML page or plain text; show it as it is.
    }
    return excerpt(body);
  }

  private static String excerpt(String body) {
    String flat = body.replaceAll("\\s+", " ").trim();
    return flat.length() > 300 ? flat.substring(0, 300) + " …" : flat;
  }

  private IOException unreachable(IOException e) {
    String url = connection.url().toString();
    if (e instanceof HttpConnectTimeoutException) {
      return new IOException("OpenSearch Dashboards at " + url + " did not accept a connection within "
          + CONNECT_TIMEOUT.toSeconds() + " s; check --url and the network", e);
    }
    if (e instanceof HttpTimeoutException) {
      return new IOException("OpenSearch Dashboards at " + url + " did not answer within "
          + REQUEST_TIMEOUT.toSeconds() + " s", e);
    }
    if (e instanceof ConnectException) {
      return new IOException("OpenSearch Dashboards at " + url + " is unreachable (connection refused); check --url"
          + " and that Dashboards is running", e);
    }
    if (e instanceof SSLException) {
      return new IOException("TLS with OpenSearch Dashboards at " + url + " failed (" + e.getMessage() + "); for a"
          + " private CA set MCP_AUDIT_OPENSEARCH_TRUSTSTORE (and _TRUSTSTORE_PASSWORD)", e);
    }
    return new IOException("cannot reach OpenSearch Dashboards at " + url + ": " + e, e);
  }
}
