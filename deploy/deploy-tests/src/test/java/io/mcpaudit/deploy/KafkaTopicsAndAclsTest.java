package io.mcpaudit.deploy;

import static io.mcpaudit.deploy.DeployFiles.ROOT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mcpaudit.deploy.DeployFiles.K8sObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The Strimzi cluster, its topics and its users: every topic exists with the right cleanup policy,
 * and each component's KafkaUser holds exactly the rights its place in the data flow needs.
 */
class KafkaTopicsAndAclsTest {
  static final String EVENTS = "mcp.audit.events.v1";
  static final String ALERTS = "mcp.audit.alerts.v1";
  static final String TRACES = "mcp.audit.traces.v1";
  static final String INVENTORY = "mcp.audit.inventory.v1";
  static final String RULES = "mcp.audit.rules.v1";
  static final String DLQ = "mcp.audit.dlq.v1";
  static final String ROUTER_STATE = "mcp.audit.router-state.v1";

  /** One ACL rule, as "type:name:pattern" -> operations. */
  record Resource(String type, String name, String pattern) implements Comparable<Resource> {
    @Override
    public int compareTo(Resource o) {
      return toString().compareTo(o.toString());
    }

    @Override
    public String toString() {
      return type + " " + name + " (" + pattern + ")";
    }
  }

  /** The KafkaTopics by topic name (spec.topicName, else metadata.name). */
  static Map<String, JsonNode> kafkaTopics() {
    Map<String, JsonNode> topics = new TreeMap<>();
    for (K8sObject t : DeployFiles.objects("KafkaTopic")) {
      topics.put(t.spec().path("topicName").asText(t.name()), t.spec());
    }
    return topics;
  }

  static boolean compacted(String topic) {
    JsonNode spec = kafkaTopics().get(topic);
    assertThat(spec).as("KafkaTopic %s", topic).isNotNull();
    return spec.path("config").path("cleanup.policy").asText("delete").contains("compact");
  }

  /** A KafkaUser's ACLs, operations merged per resource. */
  static Map<Resource, Set<String>> acls(String user) {
    Map<Resource, Set<String>> acls = new TreeMap<>();
    JsonNode spec = DeployFiles.object("KafkaUser", user).spec();
    assertThat(spec.path("authorization").path("type").asText()).as("authorization of %s", user).isEqualTo("simple");
    for (JsonNode acl : spec.path("authorization").path("acls")) {
      JsonNode r = acl.path("resource");
      assertThat(acl.path("type").asText("allow")).as("%s: only allow rules", user).isEqualTo("allow");
      assertThat(acl.has("operation")).as("%s: use operations (a list)", user).isFalse();
      Resource resource = new Resource(r.path("type").asText(), r.path("name").asText(""),
          r.path("patternType").asText("literal"));
      acls.computeIfAbsent(resource, k -> new TreeSet<>()).addAll(DeployFiles.texts(acl.path("operations")));
    }
    return acls;
  }

  private static Resource topic(String name) {
    return new Resource("topic", name, "literal");
  }

  private static Set<String> ops(String... ops) {
    return new TreeSet<>(List.of(ops));
  }

  private static String pipelineApplicationId() {
    return DeployFiles.optionDefault(ROOT.resolve("cli/src/main/java/io/mcpaudit/cli/pipeline/PipelineCommand.java"),
        "--application-id");
  }

  private static String indexerGroup() {
    String source = DeployFiles.read(
        ROOT.resolve("stream-processors/src/main/java/io/mcpaudit/streams/sink/opensearch/IndexerSettings.java"));
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("new IndexerSettings\\(bootstrapServers, \"([^\"]+)\"")
        .matcher(source);
    assertThat(m.find()).as("the indexer's default group in IndexerSettings.defaults").isTrue();
    return m.group(1);
  }

  private static String routerGroup() {
    String routing = DeployFiles.object("ConfigMap", "mcp-audit-routing").node().path("data").path("routing.yml").asText();
    return DeployFiles.documents(routing).get(0).path("kafka").path("group_id").asText();
  }

  @Test
  void everyTopicOfTheTopicsRegistryHasAKafkaTopic() {
    assertThat(DeployFiles.registryTopics()).containsExactlyInAnyOrder(EVENTS, ALERTS, TRACES, INVENTORY, RULES, DLQ);
    assertThat(kafkaTopics().keySet()).containsAll(DeployFiles.registryTopics())
        .contains(ROUTER_STATE, "_schemas");
  }

  @Test
  void latestValueTopicsAreCompactedAndStreamsExpire() {
    for (String topic : List.of(TRACES, INVENTORY, RULES, ROUTER_STATE, "_schemas")) {
      assertThat(compacted(topic)).as("%s keeps the latest value per key", topic).isTrue();
    }
    for (String topic : List.of(EVENTS, ALERTS, DLQ)) {
      assertThat(compacted(topic)).as("%s", topic).isFalse();
      assertThat(kafkaTopics().get(topic).path("config").path("retention.ms").asLong())
          .as("retention of %s", topic).isPositive();
    }
  }

  @Test
  void everyTopicIsReplicatedThreeTimesAndWritesNeedTwoReplicas() {
    kafkaTopics().forEach((name, spec) -> {
      assertThat(spec.path("replicas").asInt()).as("replicas of %s", name).isEqualTo(3);
      assertThat(spec.path("config").path("min.insync.replicas").asInt()).as("min.insync.replicas of %s", name)
          .isEqualTo(2);
      assertThat(spec.path("partitions").asInt()).as("partitions of %s", name).isPositive();
    });
    for (K8sObject t : DeployFiles.objects("KafkaTopic")) {
      assertThat(t.node().path("metadata").path("labels").path("strimzi.io/cluster").asText())
          .as("%s belongs to the cluster", t).isEqualTo("mcp-audit-kafka");
    }
  }

  @Test
  void theClusterRequiresTlsAndScramOnEveryListenerAndAuthorizesWithAcls() {
    JsonNode kafka = DeployFiles.object("Kafka", "mcp-audit-kafka").spec().path("kafka");
    assertThat(kafka.path("listeners").size()).isPositive();
    for (JsonNode listener : kafka.path("listeners")) {
      assertThat(listener.path("tls").asBoolean()).as("listener %s is TLS", listener.path("name").asText()).isTrue();
      assertThat(listener.path("authentication").path("type").asText()).as("listener %s", listener.path("name").asText())
          .isEqualTo("scram-sha-512");
    }
    assertThat(kafka.path("authorization").path("type").asText()).isEqualTo("simple");
    assertThat(kafka.path("config").path("auto.create.topics.enable").asBoolean(true)).isFalse();
    assertThat(DeployFiles.objects("KafkaNodePool")).extracting(p -> DeployFiles.texts(p.spec().path("roles")))
        .as("KRaft: a controller pool and a broker pool").containsExactlyInAnyOrder(List.of("controller"), List.of("broker"));
  }

  /** Every topic an ACL names exists; prefix ACLs cover only the pipeline's own internal topics. */
  @Test
  void everyTopicAnAclNamesExists() {
    Set<String> topics = kafkaTopics().keySet();
    for (K8sObject user : DeployFiles.objects("KafkaUser")) {
      acls(user.name()).keySet().stream().filter(r -> r.type().equals("topic")).forEach(r -> {
        if (r.pattern().equals("literal")) {
          assertThat(topics).as("%s names topic %s", user, r.name()).contains(r.name());
        } else {
          assertThat(r.name()).as("%s: a topic prefix may only be the pipeline's application id", user)
              .isEqualTo(pipelineApplicationId());
          assertThat(topics).as("no managed topic may fall under the pipeline's internal-topic prefix")
              .noneMatch(t -> t.startsWith(r.name()));
        }
      });
    }
  }

  @Test
  void agentsMayWriteAuditEventsAndNothingElse() {
    assertThat(acls("mcp-audit-agent")).containsExactly(Map.entry(topic(EVENTS), ops("Write", "Describe")));
  }

  @Test
  void onlyAgentsMayWriteAuditEvents() {
    Set<String> writers = new TreeSet<>();
    for (K8sObject user : DeployFiles.objects("KafkaUser")) {
      acls(user.name()).forEach((r, ops) -> {
        boolean coversEvents = r.type().equals("topic")
            && (r.pattern().equals("literal") ? r.name().equals(EVENTS) : EVENTS.startsWith(r.name()));
        if (coversEvents && (ops.contains("Write") || ops.contains("All"))) {
          writers.add(user.name());
        }
      });
    }
    assertThat(writers).containsExactly("mcp-audit-agent");
  }

  @Test
  void thePipelineReadsItsInputsWritesItsOutputsAndOwnsItsInternalTopicsGroupAndTransactions() {
    String app = pipelineApplicationId();
    assertThat(app).isEqualTo("mcp-audit-pipeline");
    Map<Resource, Set<String>> expected = new TreeMap<>();
    expected.put(topic(EVENTS), ops("Read", "Describe"));
    expected.put(topic(INVENTORY), ops("Read", "Describe"));
    expected.put(topic(RULES), ops("Read", "Describe"));
    expected.put(topic(ALERTS), ops("Write", "Read", "Describe"));   // Read: the in-process indexer
    expected.put(topic(TRACES), ops("Write", "Read", "Describe"));   // Read: the in-process indexer
    expected.put(topic(DLQ), ops("Write", "Describe"));
    expected.put(new Resource("topic", app, "prefix"), ops("All"));
    expected.put(new Resource("group", app, "prefix"), ops("Read", "Describe"));
    expected.put(new Resource("transactionalId", app, "prefix"), ops("Write", "Describe"));
    expected.put(new Resource("group", indexerGroup(), "literal"), ops("Read", "Describe"));
    assertThat(acls("mcp-audit-pipeline")).containsExactlyInAnyOrderEntriesOf(expected);
  }

  @Test
  void theRouterReadsAlertsAndInventoryKeepsItsLedgerAndDeadLetters() {
    Map<Resource, Set<String>> expected = new TreeMap<>();
    expected.put(topic(ALERTS), ops("Read", "Describe"));
    expected.put(topic(INVENTORY), ops("Read", "Describe"));
    expected.put(topic(ROUTER_STATE), ops("Read", "Write", "Describe"));
    expected.put(topic(DLQ), ops("Write", "Describe"));
    expected.put(new Resource("group", routerGroup(), "literal"), ops("Read", "Describe"));
    assertThat(acls("mcp-audit-router")).containsExactlyInAnyOrderEntriesOf(expected);
  }

  @Test
  void onlyThePublisherMayChangeRulesAndInventory() {
    assertThat(acls("mcp-audit-publisher")).containsExactlyInAnyOrderEntriesOf(Map.of(
        topic(RULES), ops("Write", "Describe"),
        topic(INVENTORY), ops("Write", "Describe")));
    for (K8sObject user : DeployFiles.objects("KafkaUser")) {
      if (!user.name().equals("mcp-audit-publisher")) {
        acls(user.name()).forEach((r, ops) -> {
          if (r.type().equals("topic") && (r.name().equals(RULES) || r.name().equals(INVENTORY))) {
            assertThat(ops).as("%s on %s", user, r).doesNotContain("Write", "All");
          }
        });
      }
    }
  }

  @Test
  void theSchemaRegistryUsesOnlyItsStoreAndItsGroup() {
    JsonNode registry = DeployFiles.containers(DeployFiles.object("StatefulSet", "mcp-audit-schema-registry")).get(0);
    Map<String, String> env = DeployFiles.env(registry);
    assertThat(acls("mcp-audit-schema-registry")).containsExactlyInAnyOrderEntriesOf(Map.of(
        topic(env.get("SCHEMA_REGISTRY_KAFKASTORE_TOPIC")), ops("Read", "Write", "Describe", "DescribeConfigs"),
        new Resource("group", env.get("SCHEMA_REGISTRY_SCHEMA_REGISTRY_GROUP_ID"), "literal"), ops("Read", "Describe")));
  }

  @Test
  void noUserHasClusterWideOrWildcardRights() {
    for (K8sObject user : DeployFiles.objects("KafkaUser")) {
      acls(user.name()).forEach((r, ops) -> {
        assertThat(r.type()).as("%s", user).isNotEqualTo("cluster");
        assertThat(r.name()).as("%s", user).isNotEqualTo("*").isNotBlank();
        if (ops.contains("All")) {
          assertThat(r).as("%s: All only on the pipeline's own internal topics", user)
              .isEqualTo(new Resource("topic", pipelineApplicationId(), "prefix"));
        }
      });
      assertThat(user.spec().path("authentication").path("type").asText()).as("%s", user).isEqualTo("scram-sha-512");
    }
  }

  /** Each component logs in as its own KafkaUser, whose Secret the User Operator generates. */
  @Test
  void eachWorkloadUsesItsOwnKafkaUser() {
    Map<String, String> userOf = new LinkedHashMap<>();
    Set<String> users = DeployFiles.objects("KafkaUser").stream().map(K8sObject::name).collect(Collectors.toSet());
    for (K8sObject workload : DeployFiles.workloads()) {
      Set<String> used = new TreeSet<>();
      for (JsonNode volume : DeployFiles.podSpec(workload).path("volumes")) {
        String secret = volume.path("secret").path("secretName").asText("");
        if (users.contains(secret)) {
          used.add(secret);
        }
      }
      for (JsonNode container : DeployFiles.allContainers(workload)) {
        for (JsonNode e : container.path("env")) {
          String secret = e.path("valueFrom").path("secretKeyRef").path("name").asText("");
          if (users.contains(secret)) {
            used.add(secret);
          }
        }
      }
      assertThat(used).as("%s logs in to Kafka as exactly one KafkaUser", workload).hasSize(1);
      userOf.put(workload.name(), used.iterator().next());
    }
    assertThat(userOf).containsEntry("mcp-audit-pipeline", "mcp-audit-pipeline")
        .containsEntry("mcp-audit-router", "mcp-audit-router")
        .containsEntry("mcp-audit-publish", "mcp-audit-publisher")
        .containsEntry("mcp-audit-schema-registry", "mcp-audit-schema-registry")
        .containsEntry("mcp-audit-agent-everything", "mcp-audit-agent");
    assertThat(Set.copyOf(userOf.values())).as("no two workloads share credentials").hasSameSizeAs(userOf.values());
  }

  /** Stream threads beyond the input topic's partition count would sit idle. */
  @Test
  void pipelineInstancesDoNotOutnumberTheEventPartitions() {
    K8sObject pipeline = DeployFiles.object("Deployment", "mcp-audit-pipeline");
    List<String> args = DeployFiles.texts(DeployFiles.container(pipeline, "pipeline").path("args"));
    assertThat(args).doesNotContain("--application-id");
    int threads = args.contains("--threads") ? Integer.parseInt(args.get(args.indexOf("--threads") + 1)) : 1;
    int partitions = kafkaTopics().get(EVENTS).path("partitions").asInt();
    int replicas = pipeline.spec().path("replicas").asInt();
    assertThat(replicas * threads).as("replicas x --threads").isLessThanOrEqualTo(partitions);
    assertThat(Integer.parseInt(args.get(args.indexOf("--partitions") + 1)))
        .as("--partitions (for topics the pipeline would create) matches the events topic").isEqualTo(partitions);
    assertThat(args.get(args.indexOf("--replication-factor") + 1)).isEqualTo("3");
    assertThat(DeployFiles.object("Deployment", "mcp-audit-router").spec().path("replicas").asInt())
        .isLessThanOrEqualTo(kafkaTopics().get(ALERTS).path("partitions").asInt());
  }
}
