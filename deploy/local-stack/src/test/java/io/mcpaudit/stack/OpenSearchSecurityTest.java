package io.mcpaudit.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OpenSearchSecurityTest {
  @TempDir
  Path dir;

  private OpenSearchSecurity security(OpenSearchSecurity.User admin, List<OpenSearchSecurity.User> users) {
    return new OpenSearchSecurity(dir.resolve("node.p12"), "store-pass", dir.resolve("trust.p12"), "store-pass",
        dir.resolve("security"), admin, users);
  }

  @Test
  void theNodeGetsTlsOnBothLayersItsOwnCertificateAsTheOnlyNodeAndNoAuditLog() {
    String settings = OpenSearchSecuritySetup.settings("CN=localhost,OU=opensearch,O=mcp-audit", "k\"ey", "trust");

    assertThat(settings)
        .contains("plugins.security.ssl.http.enabled: true")
        .contains("plugins.security.ssl.http.keystore_password: \"k\\\"ey\"")
        .contains("plugins.security.ssl.transport.truststore_password: \"trust\"")
        .contains("plugins.security.nodes_dn: [\"CN=localhost,OU=opensearch,O=mcp-audit\"]")
        .contains("plugins.security.allow_default_init_securityindex: true")
        .contains("plugins.security.audit.type: noop");
  }

  @Test
  void thePluginBuildMatchesTheNodeVersion() {
    assertThat(OpenSearchSecuritySetup.pluginArtifact("2.19.4"))
        .isEqualTo("org.opensearch.plugin:opensearch-security:2.19.4.0:zip");
  }

  @Test
  void namesPasswordsAndDuplicatesThatWouldBreakTheUserFileAreRefused() {
    assertThatThrownBy(() -> new OpenSearchSecurity.User("bad name", "long-enough-1", List.of()))
        .hasMessageContaining("user name");
    assertThatThrownBy(() -> new OpenSearchSecurity.User("analyst", "has\"quote", List.of()))
        .hasMessageContaining("password of OpenSearch user analyst");
    assertThatThrownBy(() -> new OpenSearchSecurity.User("analyst", "short", List.of()))
        .hasMessageContaining("8-128");
    assertThatThrownBy(() -> new OpenSearchSecurity.User("analyst", "long-enough-1", List.of("a role")))
        .hasMessageContaining("backend role");
    OpenSearchSecurity.User admin = new OpenSearchSecurity.User("admin", "long-enough-1", List.of());
    assertThatThrownBy(() -> security(admin, List.of(new OpenSearchSecurity.User("admin", "other-pass-2", List.of()))))
        .hasMessageContaining("listed twice");
    assertThatThrownBy(() -> security(null, List.of())).hasMessageContaining("administrator");
  }

  @Test
  void passwordsStayOutOfToString() {
    OpenSearchSecurity s = security(new OpenSearchSecurity.User("admin", "admin-secret-1", List.of()),
        List.of(new OpenSearchSecurity.User("mcp-audit-indexer", "indexer-secret-1", List.of())));

    assertThat(s.toString()).contains("admin", "mcp-audit-indexer").doesNotContain("secret", "store-pass");
  }

  @Test
  void missingStoresAndRoleFilesAreAllReportedBeforeAnythingStarts() throws Exception {
    Files.createDirectories(dir.resolve("security"));
    OpenSearchSecurity s = security(new OpenSearchSecurity.User("admin", "admin-secret-1", List.of()), List.of());

    assertThat(new OpenSearchSecuritySetup(s).check())
        .anySatisfy(p -> assertThat(p).contains("node.p12"))
        .anySatisfy(p -> assertThat(p).contains("has no roles.yml"))
        .anySatisfy(p -> assertThat(p).contains("has no roles_mapping.yml"));
  }
}
