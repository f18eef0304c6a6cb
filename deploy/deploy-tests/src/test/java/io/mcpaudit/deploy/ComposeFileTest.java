package io.mcpaudit.deploy;

import static io.mcpaudit.deploy.DeployFiles.DEPLOY;
import static io.mcpaudit.deploy.DeployFiles.ROOT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.JsonNode;
import io.mcpaudit.router.config.Environment;
import io.mcpaudit.router.config.RoutingConfig;
import io.mcpaudit.router.config.RoutingConfigLoader;
import io.mcpaudit.streams.inventory.InventoryFile;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** deploy/docker-compose.yml: the one-command local stack. */
class ComposeFileTest {
  private static final Map<String, JsonNode> SERVICES = DeployFiles.composeServices();

  @Test
  void theStackHasEveryComponent() {
    assertThat(SERVICES).containsKeys("kafka", "schema-registry", "opensearch", "dashboards", "opensearch-setup",
        "topics-init", "mcp-audit-init", "pipeline", "agent", "mcp-server");
  }

  @Test
  void everyLongRunningServiceHasAHealthcheck() {
    SERVICES.forEach((name, service) -> {
      if (DeployFiles.longRunning(service)) {
        JsonNode test = service.path("healthcheck").path("test");
        assertThat(test.isArray() && test.size() >= 2).as("service %s needs a healthcheck test", name).isTrue();
        assertThat(test.get(0).asText()).as("healthcheck of %s", name).isIn("CMD", "CMD-SHELL");
        assertThat(service.path("healthcheck").path("disable").asBoolean(false)).isFalse();
        assertThat(service.path("healthcheck").path("interval").asText()).as("interval of %s", name).isNotBlank();
        assertThat(service.path("healthcheck").path("retries").asInt()).as("retries of %s", name).isPositive();
      }
    });
  }

  @Test
  void everyDependencyWaitsForItsConditionAndOneShotJobsAreWaitedForUntilTheyComplete() {
    SERVICES.forEach((name, service) -> {
      JsonNode dependsOn = service.path("depends_on");
      if (dependsOn.isMissingNode()) {
        return;
      }
      assertThat(dependsOn.isObject()).as("%s: depends_on must be the long form with a condition", name).isTrue();
      DeployFiles.fields(dependsOn).forEach((target, spec) -> {
        assertThat(SERVICES).as("%s depends on %s", name, target).containsKey(target);
        String expected = DeployFiles.longRunning(SERVICES.get(target)) ? "service_healthy"
            : "service_completed_successfully";
        assertThat(spec.path("condition").asText()).as("%s waits for %s", name, target).isEqualTo(expected);
      });
    });
  }

  @Test
  void oneShotJobsRunOnceAndEveryOtherServiceIsRestarted() {
    Set<String> oneShot = new TreeSet<>();
    SERVICES.forEach((name, service) -> {
      assertThat(service.path("restart").asText()).as("restart policy of %s", name).isIn("no", "unless-stopped");
      if (!DeployFiles.longRunning(service)) {
        oneShot.add(name);
      }
    });
    assertThat(oneShot).containsExactly("mcp-audit-init", "opensearch-setup", "topics-init");
  }

  @Test
  void publishedPortsBindToLoopbackOnly() {
    int published = 0;
    for (var e : SERVICES.entrySet()) {
      for (JsonNode port : e.getValue().path("ports")) {
        published++;
        if (port.isObject()) {
          assertThat(port.path("host_ip").asText()).as("port of %s", e.getKey()).isEqualTo("127.0.0.1");
        } else {
          assertThat(port.asText()).as("port of %s", e.getKey()).matches("127\\.0\\.0\\.1:\\d+:\\d+(/tcp)?");
        }
      }
    }
    assertThat(published).as("Kafka, registry, OpenSearch, Dashboards and the agent are reachable").isEqualTo(5);
  }

  @Test
  void dataLivesInNamedVolumesAndBindMountsAreReadOnlyExistingFiles() {
    Set<String> declared = DeployFiles.fields(DeployFiles.compose().path("volumes")).keySet();
    Set<String> used = new HashSet<>();
    SERVICES.forEach((name, service) -> {
      for (JsonNode volume : service.path("volumes")) {
        String[] parts = volume.asText().split(":");
        String source = parts[0];
        if (source.startsWith(".") || source.startsWith("/")) {
          assertThat(parts).as("bind mount %s of %s must end in :ro", volume.asText(), name).hasSize(3);
          assertThat(parts[2]).as("bind mount %s of %s", volume.asText(), name).isEqualTo("ro");
          assertThat(DEPLOY.resolve(source).normalize()).as("bind mount source of %s", name).exists();
        } else {
          assertThat(declared).as("volume %s of %s must be a declared named volume", source, name).contains(source);
          used.add(source);
        }
      }
    });
    assertThat(used).as("declared volumes nobody mounts").containsExactlyInAnyOrderElementsOf(declared);
    assertThat(used).contains("kafka-data", "opensearch-data", "pipeline-state", "agent-spool");
  }

  /** Compose replaces $NAME in the file itself; a shell variable must be written $$NAME. */
  @Test
  void shellVariablesInCommandsAreEscapedFromComposeInterpolation() {
    Pattern single = Pattern.compile("(?<!\\$)\\$(?!\\$)[{(A-Za-z_@]");
    SERVICES.forEach((name, service) -> {
      for (String field : List.of("command", "entrypoint")) {
        for (JsonNode part : service.path(field)) {
          Matcher m = single.matcher(part.asText());
          assertThat(m.find()).as("%s %s has an unescaped $ at '%s'", name, field,
              m.hitEnd() ? "" : part.asText().substring(Math.max(0, m.start() - 10), Math.min(part.asText().length(),
                  m.start() + 10))).isFalse();
        }
      }
    });
  }

  @Test
  void theMcpAuditServicesAreBuiltFromTheDockerfile() {
    int count = 0;
    for (var e : SERVICES.entrySet()) {
      JsonNode service = e.getValue();
      if (service.path("image").asText().startsWith("mcp-audit:")) {
        count++;
        assertThat(service.path("build").path("context").asText()).as(e.getKey()).isEqualTo("..");
        assertThat(service.path("build").path("dockerfile").asText()).as(e.getKey()).isEqualTo("deploy/docker/Dockerfile");
        assertThat(DEPLOY.resolve("..").resolve("deploy/docker/Dockerfile").normalize()).isRegularFile();
      }
    }
    assertThat(count).isEqualTo(3);
  }

  /** The pipeline runs detection, indexer and router; its routing file must load with the environment it gets. */
  @Test
  void thePipelineRunsWithAMountedRoutingConfigurationThatLoads() {
    JsonNode pipeline = SERVICES.get("pipeline");
    assertThat(DeployFiles.texts(pipeline.path("command")))
        .containsExactly("pipeline", "--routing", "/etc/mcp-audit/routing.yml");
    Path routing = mountedFile(pipeline, "/etc/mcp-audit/routing.yml");
    Map<String, String> env = environment(pipeline);
    RoutingConfig config = RoutingConfigLoader.load(routing, Environment.of(env));
    assertThat(config.routes()).isNotEmpty();
    config.destinations().forEach((name, destination) -> assertThat(SERVICES)
        .as("destination %s must be a service of the stack", name)
        .containsKey(destination.endpoint().uri().getHost()));
    assertThat(env).containsEntry("MCP_AUDIT_KAFKA", "kafka:29092")
        .containsEntry("MCP_AUDIT_SCHEMA_REGISTRY", "http://schema-registry:8081")
        .containsEntry("MCP_AUDIT_OPENSEARCH", "http://opensearch:9200");
    assertThat(DeployFiles.texts(pipeline.path("volumes"))).contains("pipeline-state:" + env.get("MCP_AUDIT_STATE_DIR"));
  }

  @Test
  void theInitJobPublishesTheRulesAndAValidInventory() {
    JsonNode init = SERVICES.get("mcp-audit-init");
    String script = String.join("\n", DeployFiles.texts(init.path("command")));
    assertThat(script).contains("mcp-audit rules push /etc/mcp-audit/rules")
        .contains("mcp-audit inventory push --file /etc/mcp-audit/inventory.yml");
    assertThat(mountedFile(init, "/etc/mcp-audit/rules")).isEqualTo(ROOT.resolve("detection-rules/rules"));
    Path inventory = mountedFile(init, "/etc/mcp-audit/inventory.yml");
    assertThat(InventoryFile.read(inventory)).isNotEmpty();
    assertThat(environment(init)).containsEntry("MCP_AUDIT_KAFKA", "kafka:29092");
  }

  /** topics-init creates every topic the project uses, compacted where the Kubernetes KafkaTopics are. */
  @Test
  void topicsInitCreatesEveryTopicWithTheCleanupPolicyOfItsKafkaTopic() {
    String script = String.join("\n", DeployFiles.texts(SERVICES.get("topics-init").path("command")));
    Map<String, Boolean> created = new LinkedHashMap<>();
    Matcher m = Pattern.compile("(?m)^\\s*create\\s+(\\S+)\\s+(.*)$").matcher(script);
    while (m.find()) {
      created.put(m.group(1), m.group(2).contains("cleanup.policy=compact"));
    }
    Set<String> expected = new LinkedHashSet<>(DeployFiles.registryTopics());
    expected.add(DeployFiles.single(DEPLOY.resolve("compose/routing.yml")).path("kafka").path("state_topic").asText());
    assertThat(created.keySet()).containsExactlyInAnyOrderElementsOf(expected);
    created.forEach((topic, compacted) -> assertThat(compacted).as("compaction of %s matches its KafkaTopic", topic)
        .isEqualTo(KafkaTopicsAndAclsTest.compacted(topic)));
  }

  @Test
  void theSavedObjectsAreImportedFromTheDashboardsFolderThroughTheImportApi() {
    JsonNode setup = SERVICES.get("opensearch-setup");
    assertThat(mountedFile(setup, "/setup/dashboards")).isEqualTo(DEPLOY.resolve("opensearch/dashboards"));
    String script = String.join("\n", DeployFiles.texts(setup.path("command")));
    assertThat(script).contains("http://dashboards:5601/api/saved_objects/_import?overwrite=true")
        .contains("-H 'osd-xsrf: true'").contains("--form file=@").contains("/setup/dashboards/*.ndjson");
    assertThat(DEPLOY.resolve("opensearch/dashboards")).isDirectoryContaining("glob:**.ndjson");
  }

  @Test
  void theAgentProxiesTheExampleServerAndSendsEventsToKafka() {
    JsonNode agent = SERVICES.get("agent");
    List<String> command = DeployFiles.texts(agent.path("command"));
    assertThat(command).startsWith("agent", "http");
    assertThat(command.get(command.indexOf("--upstream") + 1)).isEqualTo("http://mcp-server:3001");
    assertThat(SERVICES.get("mcp-server").path("environment").path("PORT").asText()).isEqualTo("3001");
    Map<String, String> env = environment(agent);
    assertThat(env).containsEntry("MCP_AUDIT_KAFKA_BOOTSTRAP", "kafka:29092")
        .containsKeys("MCP_AUDIT_AGENT_ID", "MCP_AUDIT_SPOOL_DIR", "MCP_AUDIT_SECRETS_FINGERPRINT_KEY_FILE");
    assertThat(DeployFiles.texts(agent.path("volumes"))).contains("agent-spool:" + env.get("MCP_AUDIT_SPOOL_DIR"));
    String keyDir = Path.of(env.get("MCP_AUDIT_SECRETS_FINGERPRINT_KEY_FILE")).getParent().toString();
    assertThat(DeployFiles.texts(agent.path("volumes"))).as("the fingerprint key survives a new container")
        .contains("agent-data:" + keyDir);
    String server = command.get(command.indexOf("--server-name") + 1);
    assertThat(InventoryFile.read(DEPLOY.resolve("inventory/inventory.yml")))
        .as("the example server is in the inventory, so it raises no unregistered-server")
        .anyMatch(entry -> entry.getName().equals(server));
  }

  @Test
  void theServicesTheDeploymentGuideNamesExist() {
    Set<String> documented = DeploymentGuideTest.composeServicesInGuide();
    assertThat(documented).containsExactlyInAnyOrderElementsOf(SERVICES.keySet());
  }

  static Map<String, String> environment(JsonNode service) {
    Map<String, String> env = new LinkedHashMap<>();
    DeployFiles.fields(service.path("environment")).forEach((k, v) -> env.put(k, v.asText()));
    return env;
  }

  /** The repository file a service bind-mounts at a container path. */
  private static Path mountedFile(JsonNode service, String containerPath) {
    for (String volume : DeployFiles.texts(service.path("volumes"))) {
      String[] parts = volume.split(":");
      if (parts.length >= 2 && parts[1].equals(containerPath)) {
        return DEPLOY.resolve(parts[0]).normalize();
      }
    }
    throw new AssertionError("nothing is mounted at " + containerPath);
  }

  @Test
  void composeFileParsesWithoutAnchorsOrMergeKeys() {
    // Anchors and merge keys are read differently by different YAML parsers; the file spells everything out.
    assertThatCode(() -> DeployFiles.compose()).doesNotThrowAnyException();
    assertThat(DeployFiles.read(DeployFiles.COMPOSE_FILE)).doesNotContain("<<:")
        .doesNotContainPattern("(?m)(:|-)\\s+[&*][A-Za-z]");
  }
}
