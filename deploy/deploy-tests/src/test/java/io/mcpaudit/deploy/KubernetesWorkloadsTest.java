package io.mcpaudit.deploy;

import static io.mcpaudit.deploy.DeployFiles.ROOT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mcpaudit.agent.config.AgentConfig;
import io.mcpaudit.agent.config.AgentConfigLoader;
import io.mcpaudit.deploy.DeployFiles.K8sObject;
import io.mcpaudit.router.config.Environment;
import io.mcpaudit.router.config.RoutingConfig;
import io.mcpaudit.router.config.RoutingConfigLoader;
import io.mcpaudit.rules.LoadResult;
import io.mcpaudit.rules.RuleLoader;
import io.mcpaudit.rules.testing.RuleTestResult;
import io.mcpaudit.rules.testing.RuleTestRunner;
import io.mcpaudit.streams.inventory.InventoryFile;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The workloads of deploy/kubernetes: sized, probed, unprivileged, wired to objects that exist, fenced in. */
class KubernetesWorkloadsTest {

  @Test
  void theExpectedWorkloadsExist() {
    assertThat(DeployFiles.workloads()).extracting(K8sObject::toString).containsExactlyInAnyOrder(
        "StatefulSet mcp-audit-schema-registry (deploy/kubernetes/schema-registry/schema-registry.yaml)",
        "Deployment mcp-audit-pipeline (deploy/kubernetes/pipeline/pipeline.yaml)",
        "Deployment mcp-audit-router (deploy/kubernetes/router/router.yaml)",
        "Job mcp-audit-publish (deploy/kubernetes/publisher/publisher.yaml)",
        "Deployment mcp-audit-agent-everything (deploy/kubernetes/example-agent/agent.yaml)");
  }

  @Test
  void everyContainerRequestsAndLimitsCpuAndMemory() {
    for (K8sObject workload : DeployFiles.workloads()) {
      for (JsonNode container : DeployFiles.allContainers(workload)) {
        JsonNode resources = container.path("resources");
        for (String kind : List.of("requests", "limits")) {
          for (String resource : List.of("cpu", "memory")) {
            assertThat(resources.path(kind).path(resource).asText())
                .as("%s container %s: resources.%s.%s", workload, container.path("name").asText(), kind, resource)
                .isNotBlank();
          }
        }
      }
    }
  }

  @Test
  void everyLongRunningContainerHasReadinessAndLivenessProbes() {
    for (K8sObject workload : DeployFiles.workloads()) {
      if (workload.kind().equals("Job")) {
        continue;
      }
      for (JsonNode container : DeployFiles.containers(workload)) {
        for (String probe : List.of("readinessProbe", "livenessProbe")) {
          JsonNode p = container.path(probe);
          assertThat(p.has("exec") || p.has("httpGet") || p.has("tcpSocket") || p.has("grpc"))
              .as("%s container %s needs a %s", workload, container.path("name").asText(), probe).isTrue();
        }
      }
    }
  }

  @Test
  void everyContainerRunsAsNonRootWithoutPrivilegeEscalationOrCapabilities() {
    for (K8sObject workload : DeployFiles.workloads()) {
      JsonNode pod = DeployFiles.podSpec(workload).path("securityContext");
      assertThat(pod.path("seccompProfile").path("type").asText()).as("%s seccomp", workload).isEqualTo("RuntimeDefault");
      assertThat(DeployFiles.podSpec(workload).path("automountServiceAccountToken").asBoolean(true))
          .as("%s needs no Kubernetes API token", workload).isFalse();
      for (JsonNode container : DeployFiles.allContainers(workload)) {
        String what = workload + " container " + container.path("name").asText();
        JsonNode sc = container.path("securityContext");
        boolean nonRoot = sc.path("runAsNonRoot").asBoolean(pod.path("runAsNonRoot").asBoolean(false));
        assertThat(nonRoot).as("%s: runAsNonRoot", what).isTrue();
        int uid = sc.path("runAsUser").asInt(pod.path("runAsUser").asInt(-1));
        assertThat(uid).as("%s: an explicit non-zero runAsUser", what).isPositive();
        assertThat(sc.path("allowPrivilegeEscalation").asBoolean(true)).as("%s: allowPrivilegeEscalation", what)
            .isFalse();
        assertThat(DeployFiles.texts(sc.path("capabilities").path("drop"))).as("%s: drop capabilities", what)
            .containsExactly("ALL");
        assertThat(sc.path("privileged").asBoolean(false)).as(what).isFalse();
        if (DeployFiles.kustomizedImage(container.path("image").asText()).startsWith("mcp-audit:")) {
          assertThat(sc.path("readOnlyRootFilesystem").asBoolean(false)).as("%s: read-only root", what).isTrue();
        }
      }
    }
  }

  /** Secrets the deployment does not define: made by operators (Strimzi, cert-manager) or by the people deploying. */
  static Map<String, Set<String>> externalSecrets() {
    Map<String, Set<String>> secrets = new LinkedHashMap<>();
    for (K8sObject user : DeployFiles.objects("KafkaUser")) {
      secrets.put(user.name(), Set.of("password", "sasl.jaas.config"));
    }
    for (K8sObject kafka : DeployFiles.objects("Kafka")) {
      secrets.put(kafka.name() + "-cluster-ca-cert", Set.of("ca.crt", "ca.p12", "ca.password"));
    }
    for (K8sObject cert : DeployFiles.objects("Certificate")) {
      boolean keystores = cert.spec().path("keystores").path("pkcs12").path("create").asBoolean(false);
      secrets.put(cert.spec().path("secretName").asText(), keystores
          ? Set.of("tls.crt", "tls.key", "ca.crt", "keystore.p12", "truststore.p12")
          : Set.of("tls.crt", "tls.key", "ca.crt"));
    }
    secrets.putAll(DeploymentGuideTest.secretsInGuide());
    return secrets;
  }

  /** A reference from a workload to a ConfigMap or Secret key (key empty: the whole object). */
  record Reference(String where, String kind, String name, String key) {}

  static List<Reference> references() {
    List<Reference> refs = new java.util.ArrayList<>();
    for (K8sObject workload : DeployFiles.workloads()) {
      for (JsonNode volume : DeployFiles.podSpec(workload).path("volumes")) {
        for (String kind : List.of("configMap", "secret")) {
          JsonNode source = volume.path(kind);
          if (!source.isMissingNode()) {
            String name = source.path(kind.equals("secret") ? "secretName" : "name").asText();
            String where = workload + " volume " + volume.path("name").asText();
            if (source.path("items").isEmpty()) {
              refs.add(new Reference(where, kind, name, ""));
            }
            source.path("items").forEach(i -> refs.add(new Reference(where, kind, name, i.path("key").asText())));
          }
        }
      }
      for (JsonNode container : DeployFiles.allContainers(workload)) {
        for (JsonNode e : container.path("env")) {
          JsonNode from = e.path("valueFrom");
          String where = workload + " env " + e.path("name").asText();
          if (from.has("secretKeyRef")) {
            refs.add(new Reference(where, "secret", from.path("secretKeyRef").path("name").asText(),
                from.path("secretKeyRef").path("key").asText()));
          }
          if (from.has("configMapKeyRef")) {
            refs.add(new Reference(where, "configMap", from.path("configMapKeyRef").path("name").asText(),
                from.path("configMapKeyRef").path("key").asText()));
          }
        }
        for (JsonNode e : container.path("envFrom")) {
          if (e.has("secretRef")) {
            refs.add(new Reference(workload + " envFrom", "secret", e.path("secretRef").path("name").asText(), ""));
          }
          if (e.has("configMapRef")) {
            refs.add(new Reference(workload + " envFrom", "configMap", e.path("configMapRef").path("name").asText(), ""));
          }
        }
      }
    }
    for (K8sObject cert : DeployFiles.objects("Certificate")) {
      JsonNode password = cert.spec().path("keystores").path("pkcs12").path("passwordSecretRef");
      if (!password.isMissingNode()) {
        refs.add(new Reference(cert.toString(), "secret", password.path("name").asText(), password.path("key").asText()));
      }
    }
    JsonNode os = DeployFiles.openSearchValues();
    DeployFiles.fields(os.path("securityConfig")).forEach((k, v) -> {
      if (k.endsWith("Secret") && !v.asText("").isBlank()) {
        String key = switch (k) {
          case "internalUsersSecret" -> "internal_users.yml";
          case "rolesSecret" -> "roles.yml";
          case "rolesMappingSecret" -> "roles_mapping.yml";
          default -> "";
        };
        refs.add(new Reference("opensearch-values.yaml securityConfig." + k, "secret", v.asText(), key));
      }
    });
    for (JsonNode values : List.of(os, DeployFiles.dashboardsValues())) {
      values.path("secretMounts").forEach(m -> refs.add(new Reference("Helm values secretMounts " + m.path("name").asText(),
          "secret", m.path("secretName").asText(), "")));
    }
    String account = DeployFiles.dashboardsValues().path("opensearchAccount").path("secret").asText();
    refs.add(new Reference("opensearch-dashboards-values.yaml opensearchAccount", "secret", account, "username"));
    refs.add(new Reference("opensearch-dashboards-values.yaml opensearchAccount", "secret", account, "password"));
    return refs;
  }

  @Test
  void everyConfigMapAndSecretReferenceResolves() {
    Map<String, Set<String>> configMaps = new HashMap<>();
    for (K8sObject cm : DeployFiles.objects("ConfigMap")) {
      configMaps.put(cm.name(), DeployFiles.fields(cm.node().path("data")).keySet());
    }
    Map<String, Set<String>> secrets = new HashMap<>(externalSecrets());
    for (JsonNode generator : DeployFiles.kustomization().path("secretGenerator")) {
      secrets.put(generator.path("name").asText(), DeployFiles.texts(generator.path("files")).stream()
          .map(f -> f.substring(0, f.indexOf('='))).collect(Collectors.toSet()));
    }
    List<Reference> refs = references();
    assertThat(refs).hasSizeGreaterThan(30);
    for (Reference ref : refs) {
      Map<String, Set<String>> known = ref.kind().equals("secret") ? secrets : configMaps;
      assertThat(known).as("%s refers to %s %s, which is neither defined nor documented as provided (docs/deployment.md,"
          + " Secrets)", ref.where(), ref.kind(), ref.name()).containsKey(ref.name());
      if (!ref.key().isEmpty()) {
        assertThat(known.get(ref.name())).as("%s: key %s of %s %s", ref.where(), ref.key(), ref.kind(), ref.name())
            .contains(ref.key());
      }
    }
  }

  @Test
  void everySecretTheGuideAsksForIsUsed() {
    Set<String> referenced = references().stream().map(Reference::name).collect(Collectors.toSet());
    assertThat(referenced).containsAll(DeploymentGuideTest.secretsInGuide().keySet());
  }

  @Test
  void networkPoliciesDenyByDefaultAndCoverEveryWorkload() {
    List<K8sObject> policies = DeployFiles.objects("NetworkPolicy");
    K8sObject denyIngress = DeployFiles.object("NetworkPolicy", "default-deny-ingress");
    assertThat(denyIngress.spec().path("podSelector").isEmpty()).as("ingress denied for every pod").isTrue();
    assertThat(DeployFiles.texts(denyIngress.spec().path("policyTypes"))).containsExactly("Ingress");
    assertThat(denyIngress.spec().has("ingress")).isFalse();
    K8sObject denyEgress = DeployFiles.object("NetworkPolicy", "default-deny-egress");
    assertThat(DeployFiles.texts(denyEgress.spec().path("policyTypes"))).containsExactly("Egress");
    assertThat(denyEgress.spec().has("egress")).isFalse();

    for (K8sObject workload : DeployFiles.workloads()) {
      Map<String, String> labels = DeployFiles.podLabels(workload);
      assertThat(DeployFiles.selects(denyEgress.spec().path("podSelector"), labels))
          .as("%s must fall under default-deny-egress", workload).isTrue();
      List<String> own = policies.stream()
          .filter(p -> !p.spec().path("podSelector").path("matchLabels").isEmpty())
          .filter(p -> p.spec().path("podSelector").path("matchLabels").has("app.kubernetes.io/name"))
          .filter(p -> DeployFiles.selects(p.spec().path("podSelector"), labels))
          .map(K8sObject::name).toList();
      assertThat(own).as("%s needs a NetworkPolicy of its own", workload).isNotEmpty();
    }
  }

  /** Only pods labelled as Kafka clients may reach the brokers: the Strimzi listener and the egress rule agree. */
  @Test
  void onlyKafkaClientsReachKafkaAndEveryKafkaClientIsLabelled() {
    JsonNode listener = DeployFiles.object("Kafka", "mcp-audit-kafka").spec().path("kafka").path("listeners").get(0);
    assertThat(listener.path("type").asText()).isEqualTo("internal");
    JsonNode peers = listener.path("networkPolicyPeers");
    assertThat(peers.size()).isEqualTo(1);
    Map<String, String> clientLabel = Map.of("mcp-audit.io/kafka-client", "true");
    assertThat(DeployFiles.selects(peers.get(0).path("podSelector"), clientLabel)).isTrue();
    assertThat(DeployFiles.selects(DeployFiles.object("NetworkPolicy", "kafka-clients-egress").spec().path("podSelector"),
        clientLabel)).isTrue();
    for (K8sObject workload : DeployFiles.workloads()) {
      assertThat(DeployFiles.podLabels(workload)).as("%s talks to Kafka", workload).containsAllEntriesOf(clientLabel);
    }
  }

  @Test
  void onlyTheRouterAndTheExampleServerReachTheInternet() {
    Set<String> open = new TreeSet<>();
    for (K8sObject policy : DeployFiles.objects("NetworkPolicy")) {
      for (JsonNode rule : policy.spec().path("egress")) {
        for (JsonNode to : rule.path("to")) {
          if (to.has("ipBlock")) {
            assertThat(DeployFiles.texts(to.path("ipBlock").path("except")))
                .as("%s: never internal or metadata addresses", policy)
                .contains("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16");
            assertThat(rule.path("ports")).extracting(p -> p.path("port").asInt()).containsExactly(443);
            open.add(policy.name());
          }
        }
      }
    }
    assertThat(open).containsExactly("agent-everything", "router");
  }

  /** The router's configuration must load with exactly the environment the router Deployment gives it. */
  @Test
  void theRoutingConfigurationLoadsWithTheRoutersEnvironment() {
    K8sObject router = DeployFiles.object("Deployment", "mcp-audit-router");
    JsonNode container = DeployFiles.container(router, "router");
    List<String> args = DeployFiles.texts(container.path("args"));
    assertThat(args).containsExactly("route", "run", "--config", "/etc/mcp-audit/routing/routing.yml");
    JsonNode volume = DeployFiles.volumeMountedAt(router, container, "/etc/mcp-audit/routing");
    assertThat(volume.path("configMap").path("name").asText()).isEqualTo("mcp-audit-routing");
    String yaml = DeployFiles.object("ConfigMap", "mcp-audit-routing").node().path("data").path("routing.yml").asText();
    // Secret values stand in for what the Secrets hold: URLs where the name says URL.
    Map<String, String> env = new LinkedHashMap<>();
    DeployFiles.env(container).forEach((name, value) -> env.put(name, !value.startsWith("value-from-") ? value
        : name.endsWith("_URL") ? "https://hooks.example.com/services/T0/B0/secret" : "secret-value-for-" + name));

    Matcher ref = Pattern.compile("\\{env:\\s*([A-Z0-9_]+)\\s*}").matcher(yaml);
    while (ref.find()) {
      assertThat(env).as("routing.yml names %s; the router Deployment must set it", ref.group(1)).containsKey(ref.group(1));
    }
    RoutingConfig config = RoutingConfigLoader.parse(yaml, "mcp-audit-routing/routing.yml", Environment.of(env),
        Path.of("/etc/mcp-audit/routing"));
    assertThat(config.allowInsecureDestinations()).isFalse();
    assertThat(config.kafka().clientProperties()).containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
        .containsEntry("ssl.truststore.location", "/etc/mcp-audit/kafka-ca/ca.crt");
    assertThat(DeployFiles.volumeMountedAt(router, container, "/etc/mcp-audit/kafka-ca").path("secret")
        .path("secretName").asText()).isEqualTo("mcp-audit-kafka-cluster-ca-cert");
  }

  @Test
  void theInventoryConfigMapIsAValidInventory(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("inventory.yml");
    Files.writeString(file,
        DeployFiles.object("ConfigMap", "mcp-audit-inventory").node().path("data").path("inventory.yml").asText());
    assertThat(InventoryFile.read(file)).isNotEmpty();
    String job = String.join("\n", DeployFiles.texts(
        DeployFiles.container(DeployFiles.object("Job", "mcp-audit-publish"), "publish").path("args")));
    assertThat(job).contains("mcp-audit inventory push --file /etc/mcp-audit/inventory/inventory.yml")
        .contains("mcp-audit rules push /tmp/rules").contains("cp -L");
  }

  /** Site rules are validated with the shipped pack (they may refer to it) and their own inline tests pass. */
  @Test
  void siteRulesLoadWithTheShippedPackAndPassTheirTests() throws IOException {
    Map<String, String> files = new LinkedHashMap<>();
    Path pack = ROOT.resolve("detection-rules/rules");
    try (Stream<Path> walk = Files.walk(pack)) {
      for (Path p : walk.filter(f -> f.toString().endsWith(".yml")).sorted().toList()) {
        files.put(pack.relativize(p).toString(), Files.readString(p));
      }
    }
    Map<String, JsonNode> site = DeployFiles.fields(
        DeployFiles.object("ConfigMap", "mcp-audit-site-rules").node().path("data"));
    assertThat(site).isNotEmpty();
    site.forEach((name, text) -> files.put("site/" + name, text.asText()));
    LoadResult result = new RuleLoader().load(files);
    assertThat(result.problems()).as("rule problems").isEmpty();

    Map<String, String> siteOnly = new LinkedHashMap<>();
    site.forEach((name, text) -> siteOnly.put("site/" + name, text.asText()));
    List<RuleTestResult> tests = new RuleTestRunner(new RuleLoader().load(siteOnly).ruleSet()).runAll();
    assertThat(tests).isNotEmpty();
    assertThat(tests).as(RuleTestRunner.table(tests)).noneMatch(RuleTestResult::failed);
  }

  /**
   * Every pod that reads a Kafka client properties file gets what the file refers to: the cluster CA
   * where the trust store points and its own KafkaUser's login where the directory provider looks.
   */
  @Test
  void kafkaClientSettingsPointAtFilesThePodsMount() throws IOException {
    Map<String, JsonNode> data = DeployFiles.fields(
        DeployFiles.object("ConfigMap", "mcp-audit-kafka-client").node().path("data"));
    int checked = 0;
    for (K8sObject workload : DeployFiles.workloads()) {
      for (JsonNode container : DeployFiles.containers(workload)) {
        String file = DeployFiles.env(container).get("MCP_AUDIT_KAFKA_CONFIG");
        if (file == null) {
          continue;
        }
        checked++;
        Path path = Path.of(file);
        JsonNode volume = DeployFiles.volumeMountedAt(workload, container, path.getParent().toString());
        assertThat(volume.path("configMap").path("name").asText()).as("%s mounts the client settings", workload)
            .isEqualTo("mcp-audit-kafka-client");
        Properties props = new Properties();
        props.load(new StringReader(data.get(path.getFileName().toString()).asText()));
        assertKafkaClientSettings(workload, container, props);
        assertThat(DeployFiles.env(container).get("MCP_AUDIT_JAVA_OPTS"))
            .as("%s allows the directory config provider", workload)
            .contains("-Dorg.apache.kafka.automatic.config.providers=" + props.getProperty("config.providers.dir.class"));
      }
    }
    assertThat(checked).as("pipeline and publisher read client settings").isEqualTo(2);

    K8sObject agent = DeployFiles.object("Deployment", "mcp-audit-agent-everything");
    JsonNode agentContainer = DeployFiles.container(agent, "agent");
    String agentYaml = DeployFiles.object("ConfigMap", "mcp-audit-agent").node().path("data").path("agent.yaml").asText();
    Properties producer = new Properties();
    DeployFiles.fields(DeployFiles.documents(agentYaml).get(0).path("kafka").path("producer"))
        .forEach((k, v) -> producer.setProperty(k, v.asText()));
    assertKafkaClientSettings(agent, agentContainer, producer);
  }

  /** The agent's configuration passes the agent's own validation, and every path in it is mounted in its pod. */
  @Test
  void theAgentConfigurationIsValidAndItsFilesAreMounted(@TempDir Path dir) throws IOException {
    K8sObject agent = DeployFiles.object("Deployment", "mcp-audit-agent-everything");
    JsonNode container = DeployFiles.container(agent, "agent");
    List<String> args = DeployFiles.texts(container.path("args"));
    assertThat(args.get(args.indexOf("--config") + 1)).isEqualTo("/etc/mcp-audit/agent/agent.yaml");
    assertThat(DeployFiles.volumeMountedAt(agent, container, "/etc/mcp-audit/agent").path("configMap").path("name")
        .asText()).isEqualTo("mcp-audit-agent");
    Path file = dir.resolve("agent.yaml");
    Files.writeString(file, DeployFiles.object("ConfigMap", "mcp-audit-agent").node().path("data").path("agent.yaml")
        .asText());
    AgentConfig config = AgentConfigLoader.forCurrentUser().load(Optional.of(file),
        Map.of("MCP_AUDIT_AGENT_ID", "mcp-audit-agent-everything-0"), Map.of());
    assertThat(config.kafkaBootstrap()).contains("mcp-audit-kafka-kafka-bootstrap:9093");
    assertThat(config.producerProperties()).containsEntry("security.protocol", "SASL_SSL");
    assertThat(DeployFiles.volumeMountedAt(agent, container, config.spoolDir().toString()).has("emptyDir"))
        .as("the spool directory is a writable volume").isTrue();
    JsonNode key = DeployFiles.volumeMountedAt(agent, container, config.fingerprintKeyFile().getParent().toString());
    assertThat(key.path("secret").path("secretName").asText()).isEqualTo("mcp-audit-fingerprint-key");
    assertThat(key.path("secret").path("items").findValuesAsText("path"))
        .contains(config.fingerprintKeyFile().getFileName().toString());
  }

  private static void assertKafkaClientSettings(K8sObject workload, JsonNode container, Properties props) {
    assertThat(props.getProperty("security.protocol")).isEqualTo("SASL_SSL");
    assertThat(props.getProperty("sasl.mechanism")).isEqualTo("SCRAM-SHA-512");
    Path truststore = Path.of(props.getProperty("ssl.truststore.location"));
    JsonNode ca = DeployFiles.volumeMountedAt(workload, container, truststore.getParent().toString());
    assertThat(ca.path("secret").path("secretName").asText()).as("%s mounts the Kafka cluster CA", workload)
        .isEqualTo("mcp-audit-kafka-cluster-ca-cert");
    assertThat(ca.path("secret").path("items").findValuesAsText("key")).contains(truststore.getFileName().toString());
    Matcher dir = Pattern.compile("\\$\\{dir:([^:]+):([^}]+)}").matcher(props.getProperty("sasl.jaas.config"));
    assertThat(dir.matches()).as("%s: the login comes from a mounted file", workload).isTrue();
    JsonNode login = DeployFiles.volumeMountedAt(workload, container, dir.group(1));
    Set<String> users = DeployFiles.objects("KafkaUser").stream().map(K8sObject::name).collect(Collectors.toSet());
    assertThat(users).as("%s mounts a KafkaUser's Secret at %s", workload, dir.group(1))
        .contains(login.path("secret").path("secretName").asText());
    assertThat(login.path("secret").path("items").findValuesAsText("key")).contains(dir.group(2));
  }
}
