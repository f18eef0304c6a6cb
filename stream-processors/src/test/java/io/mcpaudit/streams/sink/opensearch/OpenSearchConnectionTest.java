package io.mcpaudit.streams.sink.opensearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client the indexer, {@code trace} and {@code search} use, against an HTTPS endpoint with a
 * certificate from a private authority (made with {@code keytool}, as operators do): basic auth
 * (password from a file) and API keys go in every request, the trust store is what makes TLS
 * work, and no secret shows in the connection's description or its errors.
 */
class OpenSearchConnectionTest {
  private static final String PASSWORD = "s3cret-Passw0rd-for-the-test";
  private static final String API_KEY = "a3f1-api-key-for-the-test";
  private static final String STORE_PASSWORD = "changeit-store";

  @TempDir
  static Path dir;
  private static Path serverStore;
  private static Path trustStore;

  private HttpsServer server;
  private final List<String> authorizations = new ArrayList<>();

  @BeforeAll
  static void certificates() throws Exception {
    serverStore = dir.resolve("server.p12");
    trustStore = dir.resolve("trust.p12");
    Path cert = dir.resolve("server.crt");
    keytool("-genkeypair", "-alias", "opensearch", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
        "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-keystore", serverStore.toString(),
        "-storetype", "PKCS12", "-storepass", STORE_PASSWORD, "-keypass", STORE_PASSWORD);
    keytool("-exportcert", "-alias", "opensearch", "-keystore", serverStore.toString(), "-storepass", STORE_PASSWORD,
        "-rfc", "-file", cert.toString());
    keytool("-importcert", "-noprompt", "-alias", "private-ca", "-file", cert.toString(), "-keystore",
        trustStore.toString(), "-storetype", "PKCS12", "-storepass", STORE_PASSWORD);
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  @Test
  void basicAuthGoesOverTls() throws Exception {
    URI url = start(basic("indexer", PASSWORD));
    Path passwordFile = Files.writeString(dir.resolve("password"), PASSWORD + "\n");
    OpenSearchConnection connection = OpenSearchConnection.fromEnvironment(url, Map.of(
        "MCP_AUDIT_OPENSEARCH_USER", "indexer",
        "MCP_AUDIT_OPENSEARCH_PASSWORD_FILE", passwordFile.toString(),
        "MCP_AUDIT_OPENSEARCH_TRUSTSTORE", trustStore.toString(),
        "MCP_AUDIT_OPENSEARCH_TRUSTSTORE_PASSWORD", STORE_PASSWORD));

    assertThat(connection.client().ping().value()).isTrue();
    // Sent with the request, not only after the server's challenge (which it also answers).
    assertThat(authorizations).containsOnly(basic("indexer", PASSWORD));
    assertThat(connection.toString()).contains("as indexer").doesNotContain(PASSWORD);
  }

  @Test
  void anApiKeyGoesInEveryRequest() throws Exception {
    URI url = start("ApiKey " + API_KEY);
    OpenSearchConnection connection = OpenSearchConnection.fromEnvironment(url, Map.of(
        "MCP_AUDIT_OPENSEARCH_API_KEY", API_KEY,
        "MCP_AUDIT_OPENSEARCH_TRUSTSTORE", trustStore.toString(),
        "MCP_AUDIT_OPENSEARCH_TRUSTSTORE_PASSWORD", STORE_PASSWORD));

    assertThat(connection.client().ping().value()).isTrue();
    assertThat(authorizations).containsOnly("ApiKey " + API_KEY);
    assertThat(connection.toString()).contains("with API key").doesNotContain(API_KEY);
  }

  @Test
  void withoutTheTrustStoreTheCertificateIsRefused() throws Exception {
    URI url = start("ApiKey " + API_KEY);
    OpenSearchConnection untrusting = OpenSearchConnection.fromEnvironment(url, Map.of(
        "MCP_AUDIT_OPENSEARCH_API_KEY", API_KEY));

    assertThatThrownBy(() -> untrusting.client().ping())
        .satisfies(e -> assertThat(chain(e)).containsIgnoringCase("certification path")
            .doesNotContain(API_KEY));
    assertThat(authorizations).isEmpty();
  }

  @Test
  void aWrongPasswordIsRefusedWithoutShowingIt() throws Exception {
    URI url = start(basic("indexer", PASSWORD));
    OpenSearchConnection wrong = OpenSearchConnection.fromEnvironment(url, Map.of(
        "MCP_AUDIT_OPENSEARCH_USER", "indexer",
        "MCP_AUDIT_OPENSEARCH_PASSWORD", "not-" + PASSWORD,
        "MCP_AUDIT_OPENSEARCH_TRUSTSTORE", trustStore.toString(),
        "MCP_AUDIT_OPENSEARCH_TRUSTSTORE_PASSWORD", STORE_PASSWORD));

    boolean answered;
    try {
      answered = wrong.client().ping().value();
    } catch (Exception e) {
      assertThat(chain(e)).doesNotContain(PASSWORD);
      answered = false;
    }
    assertThat(answered).isFalse();
  }

  @Test
  void settingsThatCannotWorkAreRefusedAtOnce() {
    URI url = URI.create("https://127.0.0.1:9200");
    assertThatThrownBy(() -> OpenSearchConnection.fromEnvironment(url, Map.of("MCP_AUDIT_OPENSEARCH_USER", "indexer")))
        .hasMessageContaining("needs both");
    assertThatThrownBy(() -> OpenSearchConnection.fromEnvironment(url, Map.of("MCP_AUDIT_OPENSEARCH_USER", "indexer",
        "MCP_AUDIT_OPENSEARCH_PASSWORD", PASSWORD, "MCP_AUDIT_OPENSEARCH_API_KEY", API_KEY)))
        .hasMessageContaining("not both").message().doesNotContain(PASSWORD).doesNotContain(API_KEY);
  }

  private static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  /** An HTTPS server on loopback: 200 for the {@code expected} credentials, 401 with a challenge otherwise. */
  private URI start(String expected) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(serverStore)) {
      store.load(in, STORE_PASSWORD.toCharArray());
    }
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(store, STORE_PASSWORD.toCharArray());
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(keys.getKeyManagers(), null, null);
    server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(tls));
    server.createContext("/", exchange -> {
      String authorization = exchange.getRequestHeaders().getFirst("Authorization");
      synchronized (authorizations) {
        authorizations.add(authorization == null ? "" : authorization);
      }
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      if (expected.equals(authorization)) {
        exchange.sendResponseHeaders(200, -1);
      } else {
        exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"OpenSearch Security\"");
        exchange.sendResponseHeaders(401, -1);
      }
      exchange.close();
    });
    server.start();
    return URI.create("https://localhost:" + server.getAddress().getPort());
  }

  private static String chain(Throwable e) {
    StringBuilder all = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      all.append(t).append('\n');
    }
    return all.toString();
  }

  private static void keytool(String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IllegalStateException("keytool " + String.join(" ", args) + " failed: " + output);
    }
  }
}
