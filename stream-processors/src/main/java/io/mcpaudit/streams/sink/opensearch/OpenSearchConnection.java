package io.mcpaudit.streams.sink.opensearch;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;

import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.hc.client5.http.auth.AuthScope;
import org.apache.hc.client5.http.auth.UsernamePasswordCredentials;
import org.apache.hc.client5.http.impl.auth.BasicCredentialsProvider;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.ClientTlsStrategyBuilder;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.message.BasicHeader;
import org.opensearch.client.json.jackson.JacksonJsonpMapper;
import org.opensearch.client.opensearch.OpenSearchClient;
import org.opensearch.client.transport.httpclient5.ApacheHttpClient5TransportBuilder;

/**
 * How to reach OpenSearch: URL, optional basic auth or API key, optional trust store for HTTPS.
 * Secrets come from the environment or files (never flags, so they stay out of shell history
 * and process lists) and {@link #toString()} never prints them.
 *
 * <p>Environment: {@code MCP_AUDIT_OPENSEARCH_USER} + {@code MCP_AUDIT_OPENSEARCH_PASSWORD} (or
 * {@code _PASSWORD_FILE}), or {@code MCP_AUDIT_OPENSEARCH_API_KEY} (or {@code _API_KEY_FILE});
 * {@code MCP_AUDIT_OPENSEARCH_TRUSTSTORE} (+ {@code _TRUSTSTORE_PASSWORD}) for a private CA.
 */
public record OpenSearchConnection(URI url, Optional<String> username, Optional<String> password,
                                   Optional<String> apiKey, Optional<Path> trustStore, Optional<String> trustStorePassword) {

  public OpenSearchConnection {
    String scheme = url.getScheme();
    if (scheme == null || !(scheme.equals("http") || scheme.equals("https")) || url.getHost() == null) {
      throw new IllegalArgumentException("OpenSearch URL must be http(s)://HOST:PORT, got '" + url + "'");
    }
    if (username.isPresent() != password.isPresent()) {
      throw new IllegalArgumentException("OpenSearch basic auth needs both MCP_AUDIT_OPENSEARCH_USER and"
          + " MCP_AUDIT_OPENSEARCH_PASSWORD (or _PASSWORD_FILE)");
    }
    if (username.isPresent() && apiKey.isPresent()) {
      throw new IllegalArgumentException("set either OpenSearch basic auth or an API key, not both");
    }
  }

  public static OpenSearchConnection plain(URI url) {
    return new OpenSearchConnection(url, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty());
  }

  /** The URL plus credentials and trust from the environment (see the class comment). */
  public static OpenSearchConnection fromEnvironment(URI url, Map<String, String> env) {
    return new OpenSearchConnection(url,
        value(env, "MCP_AUDIT_OPENSEARCH_USER"),
        secret(env, "MCP_AUDIT_OPENSEARCH_PASSWORD"),
        secret(env, "MCP_AUDIT_OPENSEARCH_API_KEY"),
        value(env, "MCP_AUDIT_OPENSEARCH_TRUSTSTORE").map(Path::of),
        secret(env, "MCP_AUDIT_OPENSEARCH_TRUSTSTORE_PASSWORD"));
  }

  public OpenSearchClient client() {
    HttpHost host = new HttpHost(url.getScheme(), url.getHost(), url.getPort() == -1
        ? (url.getScheme().equals("https") ? 443 : 80) : url.getPort());
    ApacheHttpClient5TransportBuilder builder = ApacheHttpClient5TransportBuilder.builder(host)
        .setMapper(new JacksonJsonpMapper());
    apiKey.ifPresent(key -> builder.setDefaultHeaders(new Header[] {new BasicHeader("Authorization", "ApiKey " + key)}));
    builder.setHttpClientConfigCallback(http -> {
      if (username.isPresent()) {
        BasicCredentialsProvider credentials = new BasicCredentialsProvider();
        credentials.setCredentials(new AuthScope(host), new UsernamePasswordCredentials(username.get(),
            password.orElseThrow().toCharArray()));
        http.setDefaultCredentialsProvider(credentials);
      }
      if (trustStore.isPresent()) {
        http.setConnectionManager(PoolingAsyncClientConnectionManagerBuilder.create()
            .setTlsStrategy(ClientTlsStrategyBuilder.create().setSslContext(sslContext()).build())
            .build());
      }
      return http;
    });
    return new OpenSearchClient(builder.build());
  }

  @Override
  public String toString() {
    return "OpenSearch " + url + (username.map(u -> " as " + u).orElse(""))
        + (apiKey.isPresent() ? " with API key" : "") + (trustStore.map(t -> ", trusting " + t).orElse(""));
  }

  /** The TLS context trusting the configured trust store (also used by the Dashboards importer). */
  SSLContext sslContext() {
    Path path = trustStore.orElseThrow();
    try (InputStream in = Files.newInputStream(path)) {
      KeyStore store = KeyStore.getInstance(path.toString().endsWith(".jks") ? "JKS" : "PKCS12");
      store.load(in, trustStorePassword.orElse("").toCharArray());
      TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(store);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException("OpenSearch trust store " + path + " cannot be loaded: " + e.getMessage(), e);
    }
  }

  private static Optional<String> value(Map<String, String> env, String name) {
    String value = env.get(name);
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
  }

  /** NAME, or the contents of the file NAME_FILE (for mounted secrets). */
  private static Optional<String> secret(Map<String, String> env, String name) {
    Optional<String> direct = value(env, name);
    if (direct.isPresent()) {
      return direct;
    }
    return value(env, name + "_FILE").map(file -> {
      try {
        return Files.readString(Path.of(file), StandardCharsets.UTF_8).trim();
      } catch (IOException e) {
        throw new IllegalArgumentException(name + "_FILE " + file + " cannot be read: " + e.getMessage(), e);
      }
    });
  }

}
