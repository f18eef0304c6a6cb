package io.mcpaudit.schema.registry;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * How to reach a Confluent-API schema registry: base URL, optional basic or bearer
 * credentials, optional TLS trust, and timeouts.
 *
 * <p>The property keys are the ones Confluent clients use, so existing client
 * configurations carry over unchanged.
 */
public record SchemaRegistryConfig(
    URI baseUrl,
    Optional<String> basicAuthUserInfo,
    Optional<String> bearerToken,
    Optional<SSLContext> sslContext,
    Duration requestTimeout,
    int cacheCapacity) {

  public static final String URL = "schema.registry.url";
  public static final String BASIC_AUTH_USER_INFO = "basic.auth.user.info";
  public static final String BEARER_AUTH_TOKEN = "bearer.auth.token";
  public static final String TRUSTSTORE_LOCATION = "schema.registry.ssl.truststore.location";
  public static final String TRUSTSTORE_PASSWORD = "schema.registry.ssl.truststore.password";
  public static final String TRUSTSTORE_TYPE = "schema.registry.ssl.truststore.type";
  public static final String REQUEST_TIMEOUT_MS = "schema.registry.request.timeout.ms";

  public SchemaRegistryConfig {
    Objects.requireNonNull(baseUrl, "baseUrl");
    String scheme = baseUrl.getScheme();
    if (scheme == null || !(scheme.equals("http") || scheme.equals("https"))) {
      throw new IllegalArgumentException(URL + " must be an http:// or https:// URL, got '" + baseUrl + "'");
    }
    if (basicAuthUserInfo.isPresent() && bearerToken.isPresent()) {
      throw new IllegalArgumentException("set either " + BASIC_AUTH_USER_INFO + " or " + BEARER_AUTH_TOKEN + ", not both");
    }
    basicAuthUserInfo.ifPresent(userInfo -> {
      if (!userInfo.contains(":")) {
        throw new IllegalArgumentException(BASIC_AUTH_USER_INFO + " must be 'user:password'");
      }
    });
    if (requestTimeout.isNegative() || requestTimeout.isZero()) {
      throw new IllegalArgumentException(REQUEST_TIMEOUT_MS + " must be positive");
    }
    if (cacheCapacity < 1) {
      throw new IllegalArgumentException("cache capacity must be at least 1");
    }
  }

  /** Plain connection with default timeouts: what tests and local runs use. */
  public static SchemaRegistryConfig of(URI baseUrl) {
    return new SchemaRegistryConfig(baseUrl, Optional.empty(), Optional.empty(), Optional.empty(),
        Duration.ofSeconds(10), 1000);
  }

  /** Reads the Confluent-style keys from Kafka client configs; unknown keys are ignored. */
  public static SchemaRegistryConfig fromProperties(Map<String, ?> props) {
    Object url = props.get(URL);
    if (url == null || url.toString().isBlank()) {
      throw new IllegalArgumentException(URL + " is required");
    }
    String base = url.toString().trim();
    if (base.contains(",")) {
      // Confluent allows a list for failover; the first entry is the one we use.
      base = base.substring(0, base.indexOf(',')).trim();
    }
    Duration timeout = Optional.ofNullable(props.get(REQUEST_TIMEOUT_MS))
        .map(Object::toString).map(Long::parseLong).map(Duration::ofMillis).orElse(Duration.ofSeconds(10));
    return new SchemaRegistryConfig(
        URI.create(stripTrailingSlash(base)),
        optionalString(props, BASIC_AUTH_USER_INFO),
        optionalString(props, BEARER_AUTH_TOKEN),
        optionalString(props, TRUSTSTORE_LOCATION).map(location -> trustStoreContext(
            Path.of(location),
            optionalString(props, TRUSTSTORE_PASSWORD).orElse(""),
            optionalString(props, TRUSTSTORE_TYPE).orElse("PKCS12"))),
        timeout,
        1000);
  }

  /** Redacts credentials: safe to log. */
  @Override
  public String toString() {
    return "SchemaRegistryConfig[" + baseUrl
        + (basicAuthUserInfo.isPresent() ? ", basic auth as " + basicAuthUserInfo.get().split(":", 2)[0] : "")
        + (bearerToken.isPresent() ? ", bearer token" : "")
        + (sslContext.isPresent() ? ", custom trust store" : "") + "]";
  }

  private static Optional<String> optionalString(Map<String, ?> props, String key) {
    Object value = props.get(key);
    return value == null || value.toString().isBlank() ? Optional.empty() : Optional.of(value.toString());
  }

  private static String stripTrailingSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  private static SSLContext trustStoreContext(Path location, String password, String type) {
    try (InputStream in = Files.newInputStream(location)) {
      KeyStore trustStore = KeyStore.getInstance(type);
      trustStore.load(in, password.toCharArray());
      TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(trustStore);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, factory.getTrustManagers(), null);
      return context;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException(TRUSTSTORE_LOCATION + " '" + location + "' cannot be loaded as " + type
          + ": " + e.getMessage(), e);
    }
  }
}
