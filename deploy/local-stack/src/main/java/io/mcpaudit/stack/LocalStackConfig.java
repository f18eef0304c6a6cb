package io.mcpaudit.stack;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How to run a local stack.
 *
 * @param runDir             folder for the servers' configuration, data, logs and the state file
 * @param kafkaPort          Kafka's client port, 0 for any free port
 * @param schemaRegistryPort the schema registry's HTTP port, 0 for any free port
 * @param openSearchPort     OpenSearch's HTTP port, 0 for any free port
 * @param javaHome           the JDK for every server, or null to pick one per server from this machine's JDKs
 * @param maven              the Maven to fetch distributions with, or null for {@code $MCP_AUDIT_MVN}, the
 *                           project's {@code mvnw}, then {@code mvn} on the PATH
 * @param cacheDir           where distributions are kept, or null for {@code $MCP_AUDIT_CACHE} or
 *                           {@code ~/.cache/mcp-audit/dist}
 * @param readyTimeout       how long each server may take to become ready
 * @param stopGrace          how long a server may take to shut down before it is killed
 * @param kafkaSecurity      TLS, SCRAM users and ACL enforcement for Kafka's clients, or null (the default) for
 *                           a plaintext broker that lets every client do everything
 * @param openSearchSecurity the security plugin with TLS, logins and roles for OpenSearch, or null (the default)
 *                           for plain HTTP that lets every client do everything
 */
public record LocalStackConfig(
    Path runDir,
    int kafkaPort,
    int schemaRegistryPort,
    int openSearchPort,
    Path javaHome,
    Path maven,
    Path cacheDir,
    Duration readyTimeout,
    Duration stopGrace,
    KafkaSecurity kafkaSecurity,
    OpenSearchSecurity openSearchSecurity) {

  public static final Duration DEFAULT_READY_TIMEOUT = Duration.ofSeconds(90);
  public static final Duration DEFAULT_STOP_GRACE = Duration.ofSeconds(20);

  public LocalStackConfig {
    if (runDir == null) {
      throw new IllegalArgumentException("runDir is required");
    }
    runDir = runDir.toAbsolutePath().normalize();
    requirePort("kafkaPort", kafkaPort);
    requirePort("schemaRegistryPort", schemaRegistryPort);
    requirePort("openSearchPort", openSearchPort);
    requirePositive("readyTimeout", readyTimeout);
    requirePositive("stopGrace", stopGrace);
  }

  /** As the canonical constructor, with a plaintext Kafka. */
  public LocalStackConfig(Path runDir, int kafkaPort, int schemaRegistryPort, int openSearchPort, Path javaHome,
                          Path maven, Path cacheDir, Duration readyTimeout, Duration stopGrace) {
    this(runDir, kafkaPort, schemaRegistryPort, openSearchPort, javaHome, maven, cacheDir, readyTimeout, stopGrace,
        null, null);
  }

  /** {@code ~/.mcp-audit/stack}. */
  public static Path defaultRunDir() {
    return Path.of(System.getProperty("user.home"), ".mcp-audit", "stack");
  }

  public static LocalStackConfig defaults() {
    return at(defaultRunDir());
  }

  /** Free ports, JDKs and Maven found on this machine, default timeouts, in {@code runDir}. */
  public static LocalStackConfig at(Path runDir) {
    return new LocalStackConfig(runDir, 0, 0, 0, null, null, null, DEFAULT_READY_TIMEOUT, DEFAULT_STOP_GRACE);
  }

  public LocalStackConfig withPorts(int kafka, int schemaRegistry, int openSearch) {
    return new LocalStackConfig(runDir, kafka, schemaRegistry, openSearch, javaHome, maven, cacheDir, readyTimeout,
        stopGrace, kafkaSecurity, openSearchSecurity);
  }

  public LocalStackConfig withJavaHome(Path jdk) {
    return new LocalStackConfig(runDir, kafkaPort, schemaRegistryPort, openSearchPort, jdk, maven, cacheDir,
        readyTimeout, stopGrace, kafkaSecurity, openSearchSecurity);
  }

  public LocalStackConfig withMaven(Path mvn) {
    return new LocalStackConfig(runDir, kafkaPort, schemaRegistryPort, openSearchPort, javaHome, mvn, cacheDir,
        readyTimeout, stopGrace, kafkaSecurity, openSearchSecurity);
  }

  public LocalStackConfig withCacheDir(Path dir) {
    return new LocalStackConfig(runDir, kafkaPort, schemaRegistryPort, openSearchPort, javaHome, maven, dir,
        readyTimeout, stopGrace, kafkaSecurity, openSearchSecurity);
  }

  public LocalStackConfig withReadyTimeout(Duration timeout) {
    return new LocalStackConfig(runDir, kafkaPort, schemaRegistryPort, openSearchPort, javaHome, maven, cacheDir,
        timeout, stopGrace, kafkaSecurity, openSearchSecurity);
  }

  public LocalStackConfig withStopGrace(Duration grace) {
    return new LocalStackConfig(runDir, kafkaPort, schemaRegistryPort, openSearchPort, javaHome, maven, cacheDir,
        readyTimeout, grace, kafkaSecurity, openSearchSecurity);
  }

  /**
   * Kafka with TLS-only client connections, SCRAM-SHA-512 logins and ACLs enforced; null for plaintext.
   * The schema registry stays plain HTTP either way.
   */
  public LocalStackConfig withKafkaSecurity(KafkaSecurity security) {
    return new LocalStackConfig(runDir, kafkaPort, schemaRegistryPort, openSearchPort, javaHome, maven, cacheDir,
        readyTimeout, stopGrace, security, openSearchSecurity);
  }

  /**
   * OpenSearch with the security plugin: HTTPS only, logins against its internal users, the given
   * roles; null for plain HTTP. Needs the plugin build for the stack's OpenSearch version on Maven
   * Central (fetched once, like the distributions).
   */
  public LocalStackConfig withOpenSearchSecurity(OpenSearchSecurity security) {
    return new LocalStackConfig(runDir, kafkaPort, schemaRegistryPort, openSearchPort, javaHome, maven, cacheDir,
        readyTimeout, stopGrace, kafkaSecurity, security);
  }

  private static void requirePort(String name, int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException(name + " must be 0 (any free port) or 1-65535, not " + port);
    }
  }

  private static void requirePositive(String name, Duration d) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be a positive duration, not " + d);
    }
  }
}
