package io.mcpaudit.stack;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Turns a plain OpenSearch node folder into a secured one (see {@link OpenSearchSecurity}): the plugin
 * copied into the node's private home, the key and trust stores beside {@code opensearch.yml}, the
 * plugin's settings appended to it, and the security configuration the plugin loads into its index at
 * first start — internal users with hashed passwords, the deployment's roles and role mapping, basic
 * authentication only.
 */
final class OpenSearchSecuritySetup {
  /** The plugin's folder name under {@code plugins/}, also the artifact id on Maven Central. */
  static final String PLUGIN = "opensearch-security";
  /** Files of the plugin's own configuration that the stack takes as shipped. */
  private static final List<String> SHIPPED = List.of("action_groups.yml", "allowlist.yml", "audit.yml",
      "nodes_dn.yml", "tenants.yml");
  private static final String KEY_STORE = "node-keystore.p12";
  private static final String TRUST_STORE = "node-truststore.p12";

  private final OpenSearchSecurity security;

  OpenSearchSecuritySetup(OpenSearchSecurity security) {
    this.security = security;
  }

  /** Maven coordinates of the plugin build for OpenSearch {@code version} (the plugin adds a fourth number). */
  static String pluginArtifact(String version) {
    return "org.opensearch.plugin:" + PLUGIN + ":" + version + ".0:zip";
  }

  /** Problems with the stores or the configuration folder, worded for the user; empty when there are none. */
  List<String> check() {
    List<String> problems = new ArrayList<>();
    try {
      KeyStores.subjectOfOnlyKey(security.keyStore(), security.keyStorePassword(), "OpenSearch's");
      KeyStores.load(security.trustStore(), security.trustStorePassword(), "OpenSearch's", "trust store");
    } catch (StackException e) {
      problems.add(e.getMessage());
    }
    for (String file : List.of("roles.yml", "roles_mapping.yml")) {
      if (!Files.isRegularFile(security.securityConfig().resolve(file))) {
        problems.add("OpenSearch's security configuration folder " + security.securityConfig() + " has no " + file);
      }
    }
    return problems;
  }

  /**
   * @param plugin the unpacked plugin archive
   * @param home   the node's private copy of the distribution
   * @param config the node's configuration folder, with {@code opensearch.yml} already written
   * @param java   the JDK the node runs on, used to hash the passwords with the plugin's own tool
   */
  void apply(Path plugin, Path home, Path config, Jdk java) throws StackException, IOException {
    Path installed = home.resolve("plugins").resolve(PLUGIN);
    FileTrees.delete(installed);
    FileTrees.copy(plugin, installed);
    Files.copy(security.keyStore(), config.resolve(KEY_STORE));
    Files.copy(security.trustStore(), config.resolve(TRUST_STORE));
    String nodeSubject = KeyStores.subjectOfOnlyKey(security.keyStore(), security.keyStorePassword(), "OpenSearch's");
    Files.writeString(config.resolve("opensearch.yml"), settings(nodeSubject, security.keyStorePassword(),
        security.trustStorePassword()), StandardCharsets.UTF_8, StandardOpenOption.APPEND);

    Path securityDir = config.resolve(PLUGIN);
    Files.createDirectories(securityDir);
    for (String file : SHIPPED) {
      Files.copy(installed.resolve("config").resolve(file), securityDir.resolve(file));
    }
    Files.copy(security.securityConfig().resolve("roles.yml"), securityDir.resolve("roles.yml"));
    Files.copy(security.securityConfig().resolve("roles_mapping.yml"), securityDir.resolve("roles_mapping.yml"));
    Files.writeString(securityDir.resolve("config.yml"), AUTHENTICATION);
    StringBuilder users = new StringBuilder("""
        # Written by the mcp-audit local stack at each start; edits are lost.
        _meta: {type: "internalusers", config_version: 2}
        """);
    for (OpenSearchSecurity.User u : security.allUsers()) {
      users.append(u.name()).append(": {hash: \"").append(hash(u.password(), installed, home, java))
          .append("\", reserved: false, backend_roles: [")
          .append(u.backendRoles().stream().map(r -> "\"" + r + "\"").collect(Collectors.joining(", ")))
          .append("]}\n");
    }
    Files.writeString(securityDir.resolve("internal_users.yml"), users);
  }

  static String settings(String nodeSubject, String keyStorePassword, String trustStorePassword) {
    return """
        # The security plugin: TLS on HTTP and transport from the stack's stores, the node's own
        # certificate as the only node, the configuration below loaded at first start.
        plugins.security.ssl.http.enabled: true
        plugins.security.ssl.http.keystore_type: PKCS12
        plugins.security.ssl.http.keystore_filepath: %1$s
        plugins.security.ssl.http.keystore_password: "%3$s"
        plugins.security.ssl.http.truststore_type: PKCS12
        plugins.security.ssl.http.truststore_filepath: %2$s
        plugins.security.ssl.http.truststore_password: "%4$s"
        plugins.security.ssl.transport.keystore_type: PKCS12
        plugins.security.ssl.transport.keystore_filepath: %1$s
        plugins.security.ssl.transport.keystore_password: "%3$s"
        plugins.security.ssl.transport.truststore_type: PKCS12
        plugins.security.ssl.transport.truststore_filepath: %2$s
        plugins.security.ssl.transport.truststore_password: "%4$s"
        plugins.security.ssl.transport.enforce_hostname_verification: false
        plugins.security.nodes_dn: ["%5$s"]
        plugins.security.allow_default_init_securityindex: true
        plugins.security.audit.type: noop
        plugins.security.restapi.roles_enabled: ["all_access"]
        """.formatted(KEY_STORE, TRUST_STORE, yamlQuoted(keyStorePassword), yamlQuoted(trustStorePassword),
        yamlQuoted(nodeSubject));
  }

  private static String yamlQuoted(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"");
  }

  /** Logins with HTTP basic authentication against the internal users only; nothing anonymous. */
  private static final String AUTHENTICATION = """
      # Written by the mcp-audit local stack at each start; edits are lost.
      _meta: {type: "config", config_version: 2}
      config:
        dynamic:
          http: {anonymous_auth_enabled: false}
          authc:
            basic_internal_auth_domain:
              http_enabled: true
              transport_enabled: true
              order: 0
              http_authenticator: {type: basic, challenge: true}
              authentication_backend: {type: intern}
      """;

  /**
   * The plugin's own BCrypt hash of the password (its {@code hash.sh} tool). The password goes to the
   * tool in its environment, not on a command line other users could read.
   */
  private static String hash(String password, Path plugin, Path home, Jdk jdk) throws StackException, IOException {
    ProcessBuilder builder = new ProcessBuilder(jdk.java().toString(), "-cp",
        plugin + "/*" + File.pathSeparator + home.resolve("lib") + "/*",
        "org.opensearch.security.tools.Hasher", "-env", "MCP_AUDIT_STACK_PASSWORD").redirectErrorStream(true);
    builder.environment().put("MCP_AUDIT_STACK_PASSWORD", password);
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new StackException("the security plugin's password hasher did not finish within 60 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StackException("interrupted while hashing a password for OpenSearch", e);
    }
    String hash = output.lines().reduce((a, b) -> b).orElse("");
    if (process.exitValue() != 0 || !hash.startsWith("$2")) {
      throw new StackException("the security plugin's password hasher failed (exit " + process.exitValue() + "): "
          + output.lines().limit(5).collect(Collectors.joining(" | ")));
    }
    return hash;
  }
}
