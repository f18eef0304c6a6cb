package io.mcpaudit.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mcpaudit.deploy.DeployFiles.K8sObject;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** OpenSearch and Dashboards from their Helm charts: security on, TLS from the deployment's certificates. */
class OpenSearchValuesTest {
  private static final JsonNode VALUES = DeployFiles.openSearchValues();
  private static final JsonNode CONFIG = DeployFiles.documents(VALUES.path("config").path("opensearch.yml").asText()).get(0);

  @Test
  void theSecurityPluginIsOnWithTlsOnHttpAndTransport() {
    assertThat(VALUES.path("securityConfig").path("enabled").asBoolean()).isTrue();
    assertThat(CONFIG.path("plugins.security.ssl.http.enabled").asBoolean()).isTrue();
    assertThat(CONFIG.path("plugins.security.allow_unsafe_democertificates").asBoolean(false)).isFalse();
    for (String setting : List.of("plugins.security.ssl.transport.pemcert_filepath",
        "plugins.security.ssl.transport.pemkey_filepath", "plugins.security.ssl.transport.pemtrustedcas_filepath",
        "plugins.security.ssl.http.pemcert_filepath", "plugins.security.ssl.http.pemkey_filepath",
        "plugins.security.ssl.http.pemtrustedcas_filepath")) {
      assertThat(CONFIG.path(setting).asText()).as(setting).startsWith("tls/node/");
    }
    assertThat(VALUES.path("extraEnvs")).anySatisfy(e -> {
      assertThat(e.path("name").asText()).isEqualTo("DISABLE_INSTALL_DEMO_CONFIG");
      assertThat(e.path("value").asText()).isEqualTo("true");
    });
    assertThat(DeployFiles.read(DeployFiles.KUBERNETES.resolve("opensearch/opensearch-values.yaml")))
        .doesNotContain("DISABLE_SECURITY_PLUGIN");
  }

  /** The certificate files come from cert-manager; the node and admin subjects are the certificates'. */
  @Test
  void certificatesComeFromCertManagerWithTheSubjectsTheSecurityPluginTrusts() {
    Map<String, String> mounts = new java.util.HashMap<>();
    VALUES.path("secretMounts").forEach(m -> mounts.put(m.path("path").asText(), m.path("secretName").asText()));
    K8sObject node = certificateWithSecret(mounts.get("/usr/share/opensearch/config/tls/node"));
    K8sObject admin = certificateWithSecret(mounts.get("/usr/share/opensearch/config/tls/admin"));
    assertThat(node.spec().path("privateKey").path("encoding").asText()).as("OpenSearch needs PKCS#8 keys")
        .isEqualTo("PKCS8");
    assertThat(DeployFiles.texts(CONFIG.path("plugins.security.nodes_dn")))
        .containsExactly("CN=" + node.spec().path("commonName").asText());
    assertThat(DeployFiles.texts(CONFIG.path("plugins.security.authcz.admin_dn")))
        .containsExactly("CN=" + admin.spec().path("commonName").asText());
    String service = VALUES.path("clusterName").asText() + "-" + VALUES.path("nodeGroup").asText();
    assertThat(VALUES.path("masterService").asText()).isEqualTo(service);
    assertThat(DeployFiles.texts(node.spec().path("dnsNames"))).contains(service, "*." + service + "-headless");
  }

  /** The pipeline's indexer and Dashboards reach OpenSearch by the service name the chart creates, over HTTPS. */
  @Test
  void clientsUseTheChartsServiceOverHttps() {
    String url = "https://" + VALUES.path("clusterName").asText() + "-" + VALUES.path("nodeGroup").asText() + ":9200";
    JsonNode pipeline = DeployFiles.container(DeployFiles.object("Deployment", "mcp-audit-pipeline"), "pipeline");
    assertThat(DeployFiles.env(pipeline)).containsEntry("MCP_AUDIT_OPENSEARCH", url)
        .containsKeys("MCP_AUDIT_OPENSEARCH_USER", "MCP_AUDIT_OPENSEARCH_PASSWORD_FILE", "MCP_AUDIT_OPENSEARCH_TRUSTSTORE");
    assertThat(DeployFiles.dashboardsValues().path("opensearchHosts").asText()).isEqualTo(url);
    String dashboards = DeployFiles.dashboardsValues().path("config").path("opensearch_dashboards.yml").asText();
    JsonNode osd = DeployFiles.documents(dashboards).get(0);
    assertThat(osd.path("server.ssl.enabled").asBoolean()).isTrue();
    assertThat(osd.path("opensearch.ssl.verificationMode").asText()).isEqualTo("full");
  }

  @Test
  void everyMappedRoleExistsAndTheIndexerHasItsRole() {
    JsonNode roles = DeployFiles.single(DeployFiles.KUBERNETES.resolve("opensearch/security/roles.yml"));
    JsonNode mapping = DeployFiles.single(DeployFiles.KUBERNETES.resolve("opensearch/security/roles_mapping.yml"));
    assertThat(roles.path("_meta").path("type").asText()).isEqualTo("roles");
    assertThat(mapping.path("_meta").path("type").asText()).isEqualTo("rolesmapping");
    Set<String> known = new HashSet<>(DeployFiles.fields(roles).keySet());
    known.addAll(Set.of("all_access", "kibana_server", "kibana_user", "readall", "security_rest_api_access"));
    for (String role : DeployFiles.fields(mapping).keySet()) {
      if (!role.equals("_meta")) {
        assertThat(known).as("roles_mapping.yml maps %s", role).contains(role);
      }
    }
    assertThat(DeployFiles.texts(mapping.path("mcp_audit_indexer").path("users"))).containsExactly("mcp-audit-indexer");
    List<String> patterns = DeployFiles.texts(roles.path("mcp_audit_indexer").path("index_permissions").get(0)
        .path("index_patterns"));
    assertThat(patterns).contains("mcp-events", ".ds-mcp-events-*", "mcp-alerts", "mcp-traces");
  }

  /**
   * Old events are deleted by one mechanism: in the cluster by the ISM policy (the indexer's user may
   * not delete indices), in compose by the pipeline's own retention job.
   */
  @Test
  void eventsRetentionIsDoneOnceInEachDeployment() {
    JsonNode pipeline = DeployFiles.container(DeployFiles.object("Deployment", "mcp-audit-pipeline"), "pipeline");
    assertThat(DeployFiles.texts(pipeline.path("args"))).contains("--no-retention");
    JsonNode roles = DeployFiles.single(DeployFiles.KUBERNETES.resolve("opensearch/security/roles.yml"));
    assertThat(roles.path("mcp_audit_indexer").toString()).doesNotContain("delete");
    assertThat(DeployFiles.DEPLOY.resolve("opensearch/ism/mcp-events-policy.json")).isRegularFile();
    assertThat(DeployFiles.texts(DeployFiles.composeServices().get("pipeline").path("command")))
        .doesNotContain("--no-retention");
  }

  private static K8sObject certificateWithSecret(String secret) {
    return DeployFiles.objects("Certificate").stream()
        .filter(c -> c.spec().path("secretName").asText().equals(secret)).findFirst()
        .orElseThrow(() -> new AssertionError("no Certificate makes Secret " + secret));
  }
}
