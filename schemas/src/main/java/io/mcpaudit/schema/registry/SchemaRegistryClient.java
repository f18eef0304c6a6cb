package io.mcpaudit.schema.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;

/**
 * Client for the Confluent Schema Registry REST API (v1 content type), as spoken by
 * Confluent Schema Registry and by Apicurio's {@code /apis/ccompat/v7}.
 *
 * <p>Written here because Confluent's client jars are not published on Maven Central.
 * Registrations and id look-ups are cached: a schema id never changes meaning, so the
 * hot path (serialize/deserialize) talks to the registry once per schema.
 */
public final class SchemaRegistryClient implements SchemaRegistry {
  private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final SchemaRegistryConfig config;
  private final HttpClient http;
  private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();
  private final Map<SubjectSchema, Integer> idsBySubjectSchema = new ConcurrentHashMap<>();

  public SchemaRegistryClient(SchemaRegistryConfig config) {
    this.config = config;
    HttpClient.Builder builder = HttpClient.newBuilder()
        .connectTimeout(config.requestTimeout())
        .version(HttpClient.Version.HTTP_1_1);
    config.sslContext().ifPresent(builder::sslContext);
    this.http = builder.build();
  }

  public SchemaRegistryConfig config() {
    return config;
  }

  @Override
  public String location() {
    return config.baseUrl().toString();
  }

  /** Registers the schema under the subject (idempotent) and returns its global id. */
  @Override
  public int register(String subject, Schema schema) {
    SubjectSchema key = new SubjectSchema(subject, schema);
    Integer cached = idsBySubjectSchema.get(key);
    if (cached != null) {
      return cached;
    }
    JsonNode answer = send("POST", "/subjects/" + encode(subject) + "/versions", schemaBody(schema), subject);
    int id = requiredInt(answer, "id");
    remember(key, id, schema);
    return id;
  }

  /** The id of a schema already registered under the subject; {@link SchemaNotFoundException} if it is not. */
  @Override
  public int lookupId(String subject, Schema schema) {
    SubjectSchema key = new SubjectSchema(subject, schema);
    Integer cached = idsBySubjectSchema.get(key);
    if (cached != null) {
      return cached;
    }
    JsonNode answer = send("POST", "/subjects/" + encode(subject), schemaBody(schema), subject);
    int id = requiredInt(answer, "id");
    remember(key, id, schema);
    return id;
  }

  /** The schema with this global id; {@link SchemaNotFoundException} if the registry does not know it. */
  @Override
  public Schema schemaById(int id) {
    Schema cached = schemasById.get(id);
    if (cached != null) {
      return cached;
    }
    JsonNode answer = send("GET", "/schemas/ids/" + id, null, null);
    Schema schema = parse(answer, "schema id " + id);
    if (schemasById.size() >= config.cacheCapacity()) {
      schemasById.clear();
    }
    schemasById.put(id, schema);
    return schema;
  }

  /** Version numbers registered under the subject, oldest first. */
  public List<Integer> versions(String subject) {
    JsonNode answer = send("GET", "/subjects/" + encode(subject) + "/versions", null, subject);
    List<Integer> versions = new ArrayList<>();
    answer.forEach(node -> versions.add(node.asInt()));
    return versions;
  }

  /** The latest version registered under the subject. */
  @Override
  public RegisteredSchema latest(String subject) {
    return version(subject, "latest");
  }

  /** One version of a subject ("latest" or a number). */
  public RegisteredSchema version(String subject, String version) {
    JsonNode answer = send("GET", "/subjects/" + encode(subject) + "/versions/" + encode(version), null, subject);
    return new RegisteredSchema(
        answer.path("subject").asText(subject),
        requiredInt(answer, "id"),
        requiredInt(answer, "version"),
        parse(answer, "subject '" + subject + "' version " + version));
  }

  /** Subjects the registry holds. */
  public List<String> subjects() {
    JsonNode answer = send("GET", "/subjects", null, null);
    List<String> subjects = new ArrayList<>();
    answer.forEach(node -> subjects.add(node.asText()));
    return subjects;
  }

  /** Whether the schema could be registered under the subject without breaking its compatibility rule. */
  public boolean isCompatible(String subject, Schema schema) {
    JsonNode answer = send("POST", "/compatibility/subjects/" + encode(subject) + "/versions/latest",
        schemaBody(schema), subject);
    return answer.path("is_compatible").asBoolean(false);
  }

  /** Holds a subject to a compatibility level. */
  public void setCompatibility(String subject, CompatibilityLevel level) {
    ObjectNode body = JSON.createObjectNode().put("compatibility", level.name());
    send("PUT", "/config/" + encode(subject), body.toString(), subject);
  }

  private void remember(SubjectSchema key, int id, Schema schema) {
    if (idsBySubjectSchema.size() >= config.cacheCapacity()) {
      idsBySubjectSchema.clear();
    }
    idsBySubjectSchema.put(key, id);
    schemasById.putIfAbsent(id, schema);
  }

  private JsonNode send(String method, String path, String body, String subject) {
    URI uri = URI.create(config.baseUrl() + path);
    HttpRequest.Builder request = HttpRequest.newBuilder(uri)
        .timeout(config.requestTimeout())
        .header("Accept", CONTENT_TYPE + ", application/json")
        .method(method, body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    if (body != null) {
      request.header("Content-Type", CONTENT_TYPE);
    }
    config.basicAuthUserInfo().ifPresent(userInfo -> request.header("Authorization",
        "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8))));
    config.bearerToken().ifPresent(token -> request.header("Authorization", "Bearer " + token));

    HttpResponse<String> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new RegistryUnreachableException(config.baseUrl(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SchemaRegistryException("interrupted while calling the schema registry at " + config.baseUrl(), e);
    }
    JsonNode answer = readJson(response.body());
    int status = response.statusCode();
    if (status >= 200 && status < 300) {
      return answer;
    }
    int errorCode = answer.path("error_code").asInt(-1);
    String message = answer.path("message").asText("");
    if (status == 409) {
      throw new IncompatibleSchemaException(subject, message, errorCode);
    }
    if (status == 404) {
      throw new SchemaNotFoundException(method + " " + path + " at " + config.baseUrl() + ": not found"
          + (message.isBlank() ? "" : " (" + message + ")"), status, errorCode);
    }
    if (status == 401 || status == 403) {
      throw new SchemaRegistryException("schema registry at " + config.baseUrl() + " refused the credentials (HTTP "
          + status + "); check " + SchemaRegistryConfig.BASIC_AUTH_USER_INFO + " or "
          + SchemaRegistryConfig.BEARER_AUTH_TOKEN, status, errorCode);
    }
    throw new SchemaRegistryException(method + " " + path + " at " + config.baseUrl() + " failed with HTTP " + status
        + (message.isBlank() ? "" : ": " + message), status, errorCode);
  }

  private static JsonNode readJson(String body) {
    if (body == null || body.isBlank()) {
      return JSON.createObjectNode();
    }
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      // Proxies and load balancers answer with HTML; keep the status-based error instead.
      return JSON.createObjectNode().put("message", body.length() > 200 ? body.substring(0, 200) + "…" : body);
    }
  }

  private static String schemaBody(Schema schema) {
    return JSON.createObjectNode().put("schema", schema.toString()).toString();
  }

  private static Schema parse(JsonNode answer, String what) {
    String text = answer.path("schema").asText(null);
    if (text == null) {
      throw new SchemaRegistryException("registry answer for " + what + " has no 'schema' field", 200, -1);
    }
    String type = answer.path("schemaType").asText("AVRO");
    if (!type.equals("AVRO")) {
      throw new SchemaRegistryException(what + " is a " + type + " schema, not Avro", 200, -1);
    }
    return new Schema.Parser().parse(text);
  }

  private static int requiredInt(JsonNode answer, String field) {
    JsonNode node = answer.get(field);
    if (node == null || !node.canConvertToInt()) {
      throw new SchemaRegistryException("registry answer lacks '" + field + "': " + answer, 200, -1);
    }
    return node.asInt();
  }

  private static String encode(String pathSegment) {
    return URLEncoder.encode(pathSegment, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** Cache key: a subject and a schema (Avro schemas compare structurally). */
  private record SubjectSchema(String subject, Schema schema) {}
}
