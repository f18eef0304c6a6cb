package io.mcpaudit.reliability.security;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.mcpaudit.cli.Main;
import io.mcpaudit.cli.demo.DemoMcpServer;
import io.mcpaudit.event.Alert;
import io.mcpaudit.router.config.RoutingConfig;
import io.mcpaudit.router.kafka.KafkaAlertRouter;
import io.mcpaudit.rules.RuleSet;
import io.mcpaudit.schema.registry.SchemaRegistryClient;
import io.mcpaudit.schema.registry.SchemaRegistryConfig;
import io.mcpaudit.schema.serde.AvroDeserializer;
import io.mcpaudit.schema.topic.Topics;
import io.mcpaudit.stack.KafkaSecurity;
import io.mcpaudit.stack.KafkaSecurity.ScramUser;
import io.mcpaudit.stack.LocalStack;
import io.mcpaudit.stack.LocalStackConfig;
import io.mcpaudit.stack.StackEndpoints;
import io.mcpaudit.streams.app.DetectionPipeline;
import io.mcpaudit.streams.app.PipelineSettings;
import io.mcpaudit.streams.app.TopicSetup;
import io.mcpaudit.streams.detect.chain.ToolRisk;
import io.mcpaudit.streams.rules.EngineRuleStage;
import io.mcpaudit.streams.rules.RulesTopicWatcher;
import io.mcpaudit.streams.sink.opensearch.IndexSetup;
import io.mcpaudit.streams.sink.opensearch.IndexerSettings;
import io.mcpaudit.streams.sink.opensearch.OpenSearchConnection;
import io.mcpaudit.streams.sink.opensearch.OpenSearchIndexer;
import io.mcpaudit.streams.topology.DetectorCatalog;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.opensearch.client.opensearch.OpenSearchClient;
import org.opensearch.client.opensearch._types.FieldValue;
import picocli.CommandLine;

/**
 * Kafka secured as in production — TLS only, one SCRAM-SHA-512 login per component, ACLs from the
 * Kubernetes deployment's {@code users.yaml}, everything else denied — on a local stack of its own.
 * Each component runs with its own login: the real agent process, the publisher ({@code mcp-audit
 * rules push --kafka-config}), the detection pipeline (Kafka Streams, exactly once), the indexer and
 * the alert router carry one SSRF attempt from an MCP tool call to a page and to OpenSearch. Then
 * every component is shown to be refused what its ACLs do not grant.
 *
 * <p>The schema registry and OpenSearch stay plain HTTP on loopback here; OpenSearch secured:
 * SecuredOpenSearchIT (docs/reliability.md).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SecuredKafkaIT {
  private static final Path ROOT = Path.of(System.getProperty("mcpaudit.repo.root", ".."));
  private static final String APPLICATION_ID = "mcp-audit-pipeline";
  private static final String ADMIN = "mcp-audit-admin";
  private static final String AGENT = "mcp-audit-agent";
  private static final String PIPELINE = "mcp-audit-pipeline";
  private static final String INDEXER = "mcp-audit-indexer";
  private static final String ROUTER = "mcp-audit-router";
  private static final String PUBLISHER = "mcp-audit-publisher";
  private static final String ROUTER_STATE = "mcp.audit.router-state.v1";
  private static final Duration SETTLE = Duration.ofMinutes(3);

  private static Path work;
  private static LocalStack stack;
  private static StackEndpoints endpoints;
  private static KafkaSecurity security;
  private static SchemaRegistryClient registry;

  @BeforeAll
  static void start() throws Exception {
    work = Files.createDirectories(ROOT.resolve("reliability-tests/target/security-suite"));
    List<AclBinding> acls = new ArrayList<>();
    Map<String, List<AclBinding>> deployment = DeploymentAcls.read(ROOT.resolve("deploy/kubernetes/kafka/users.yaml"));
    for (String user : List.of(AGENT, PIPELINE, ROUTER, PUBLISHER)) {
      assertThat(deployment).as("users.yaml defines " + user).containsKey(user);
      acls.addAll(deployment.get(user));
    }
    acls.addAll(indexerAcls());
    TestAuthority tls = TestAuthority.create(work.resolve("tls"), TestAuthority.secret());
    List<ScramUser> users = new ArrayList<>();
    for (String name : List.of(AGENT, PIPELINE, INDEXER, ROUTER, PUBLISHER)) {
      users.add(new ScramUser(name, TestAuthority.secret()));
    }
    security = new KafkaSecurity(tls.keyStore(), tls.password(), tls.trustStore(), tls.password(),
        new ScramUser(ADMIN, TestAuthority.secret()), users);
    long began = System.nanoTime();
    stack = LocalStack.start(LocalStackConfig.at(work.resolve("stack")).withKafkaSecurity(security)
        .withReadyTimeout(Duration.ofMinutes(3)), line -> System.out.println("stack: " + line));
    endpoints = stack.endpoints();
    System.out.printf("security suite: secured stack ready in %.1f s%n", (System.nanoTime() - began) / 1e9);
    registry = new SchemaRegistryClient(SchemaRegistryConfig.of(endpoints.schemaRegistryUrl()));

    // The administrator creates the topics (as a deployment's topic operator would) and grants the ACLs.
    TopicSetup.ensure(endpoints.kafkaBootstrap(), endpoints.kafkaClientConfig(), 3, (short) 1);
    try (Admin admin = admin()) {
      admin.createTopics(List.of(new NewTopic(ROUTER_STATE, 1, (short) 1)
          .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT))))
          .all().get(30, TimeUnit.SECONDS);
      admin.createAcls(acls).all().get(30, TimeUnit.SECONDS);
      awaitTrue("the broker enforces every ACL", () -> {
        try {
          return admin.describeAcls(AclBindingFilter.ANY).values().get(10, TimeUnit.SECONDS).containsAll(acls);
        } catch (Exception e) {
          return false;
        }
      });
      System.out.println("security suite: " + acls.size() + " ACL bindings for " + users.size() + " users");
    }
  }

  /**
   * The indexer runs inside {@code mcp-audit pipeline} in the deployment, with the pipeline's login;
   * run on its own it gets what the deployment guide says it needs: read events, alerts and traces
   * in its own group, write dead letters.
   */
  private static List<AclBinding> indexerAcls() {
    List<AclBinding> acls = new ArrayList<>();
    for (String topic : List.of(Topics.EVENTS.name(), Topics.ALERTS.name(), Topics.TRACES.name())) {
      ResourcePattern p = new ResourcePattern(ResourceType.TOPIC, topic, PatternType.LITERAL);
      acls.add(DeploymentAcls.allow(p, INDEXER, AclOperation.READ));
      acls.add(DeploymentAcls.allow(p, INDEXER, AclOperation.DESCRIBE));
    }
    ResourcePattern dlq = new ResourcePattern(ResourceType.TOPIC, Topics.DLQ.name(), PatternType.LITERAL);
    acls.add(DeploymentAcls.allow(dlq, INDEXER, AclOperation.WRITE));
    acls.add(DeploymentAcls.allow(dlq, INDEXER, AclOperation.DESCRIBE));
    ResourcePattern group = new ResourcePattern(ResourceType.GROUP, "mcp-audit-indexer", PatternType.LITERAL);
    acls.add(DeploymentAcls.allow(group, INDEXER, AclOperation.READ));
    acls.add(DeploymentAcls.allow(group, INDEXER, AclOperation.DESCRIBE));
    return acls;
  }

  @AfterAll
  static void stop() throws Exception {
    if (stack != null) {
      stack.stop();
    }
  }

  @Test
  @Order(1)
  void noLoginNoPlaintextNoUntrustedCertificateAndNoWayIntoTheController() throws Exception {
    listTopics(security.clientConfig(AGENT)); // the control: the same client with everything right gets in

    assertThatThrownBy(() -> listTopics(Map.of())).as("a plaintext client on the TLS listener")
        .hasCauseInstanceOf(org.apache.kafka.common.errors.TimeoutException.class);

    Map<String, Object> wrongPassword = new HashMap<>(security.clientConfig(AGENT));
    wrongPassword.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required"
        + " username=\"" + AGENT + "\" password=\"not-the-password\";");
    assertThatThrownBy(() -> listTopics(wrongPassword)).as("a wrong password")
        .hasCauseInstanceOf(SaslAuthenticationException.class);

    Map<String, Object> untrusting = new HashMap<>(security.clientConfig(AGENT));
    untrusting.keySet().removeIf(key -> key.startsWith("ssl.truststore"));
    assertThatThrownBy(() -> listTopics(untrusting)).as("a client that does not trust the stack's authority")
        .hasCauseInstanceOf(SslAuthenticationException.class);

    // The controller listener wants a certificate from the stack's authority, and only the broker's has
    // rights there; a SCRAM login is of no use on it.
    Map<String, Object> controller = new HashMap<>();
    controller.put(AdminClientConfig.BOOTSTRAP_CONTROLLERS_CONFIG, "127.0.0.1:" + controllerPort());
    controller.put("security.protocol", "SSL");
    controller.put("ssl.truststore.type", "PKCS12");
    controller.put("ssl.truststore.location", security.trustStore().toString());
    controller.put("ssl.truststore.password", security.trustStorePassword());
    assertThatThrownBy(() -> describeCluster(controller)).as("the controller, without a client certificate")
        .hasCauseInstanceOf(SslAuthenticationException.class);
    Map<String, Object> withBrokerCertificate = new HashMap<>(controller);
    withBrokerCertificate.put("ssl.keystore.type", "PKCS12");
    withBrokerCertificate.put("ssl.keystore.location", security.keyStore().toString());
    withBrokerCertificate.put("ssl.keystore.password", security.keyStorePassword());
    describeCluster(withBrokerCertificate); // the control: the port is the controller's, and it serves
  }

  @Test
  @Order(2)
  void eachComponentWithItsOwnLoginCarriesAnAttackFromToolCallToPageAndIndex() throws Exception {
    // The publisher pushes the rule pack with the command line, as the deployment's publisher Job does.
    Path publisherConfig = clientPropertiesFile(PUBLISHER);
    CliRun push = cli("rules", "push", "--kafka", endpoints.kafkaBootstrap(), "--kafka-config",
        publisherConfig.toString(), ROOT.resolve("detection-rules/rules").toString());
    assertThat(push.exitCode()).as("rules push as %s: %s", PUBLISHER, push.err()).isZero();

    WireMockServer pager = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    pager.start();
    pager.stubFor(post(urlEqualTo("/page")).willReturn(aResponse().withStatus(202)));
    List<Throwable> failures = new CopyOnWriteArrayList<>();
    List<String> log = new CopyOnWriteArrayList<>();
    Map<String, Object> pipelineLogin = security.clientConfig(PIPELINE);
    EngineRuleStage rules = new EngineRuleStage(RuleSet.empty());
    OpenSearchClient openSearch = OpenSearchConnection.plain(endpoints.openSearchUrl()).client();
    IndexSetup.ensureTemplates(openSearch);
    String agentId = "secured-agent-" + UUID.randomUUID().toString().substring(0, 8);
    long began = System.nanoTime();
    try (RulesTopicWatcher watcher = new RulesTopicWatcher(endpoints.kafkaBootstrap(), pipelineLogin, rules, log::add)
        .start(Duration.ofSeconds(60))) {
      assertThat(rules.rules().size()).as("rules the pipeline read as %s: %s", PIPELINE, log).isGreaterThan(20);
      DetectorCatalog detectors = DetectorCatalog.defaults().with(EngineRuleStage.detectorSpecs(rules.rules()));
      PipelineSettings settings = new PipelineSettings(endpoints.kafkaBootstrap(),
          endpoints.schemaRegistryUrl().toString(), APPLICATION_ID, work.resolve("pipeline-state"), 1, 3, (short) 1,
          pipelineLogin);
      OpenSearchIndexer indexer = new OpenSearchIndexer(new IndexerSettings(endpoints.kafkaBootstrap(),
          "mcp-audit-indexer", 500, security.clientConfig(INDEXER)), registry, openSearch);
      Thread indexing = background("indexer", indexer, failures);
      KafkaAlertRouter router = new KafkaAlertRouter(RoutingConfig.load(routing(pager.port()))
          .withKafkaClientDefaults(security.clientConfig(ROUTER)), endpoints.kafkaBootstrap(), registry);
      Thread routing = background("router", router, failures);
      try (DetectionPipeline pipeline = DetectionPipeline.start(settings, rules, detectors, ToolRisk.defaults(),
          ruleId -> rules.dedupWindow(ruleId).orElse(Duration.ofMinutes(10)))) {
        assertThat(pipeline.awaitRunning(Duration.ofMinutes(2))).as("the pipeline runs as %s", PIPELINE).isTrue();
        assertThat(router.awaitStarted(Duration.ofMinutes(2))).as("the router joined its group as %s", ROUTER)
            .isTrue();
        System.out.printf("security suite: pipeline, indexer and router running in %.1f s%n",
            (System.nanoTime() - began) / 1e9);

        runAgentSession(agentId);

        Alert alert = awaitAlert("ssrf", failures);
        assertThat(alert.getTitle()).containsIgnoringCase("metadata");
        awaitTrue("the router paged the alert as " + ROUTER + " " + failures, () -> pager
            .findAll(postRequestedFor(urlEqualTo("/page"))).stream().map(LoggedRequest::getBodyAsString)
            .anyMatch(body -> body.contains(alert.getAlertId())));
        awaitTrue("the indexer put the alert and the agent's events into OpenSearch as " + INDEXER + " " + failures,
            () -> count(openSearch, "mcp-alerts", "_id", alert.getAlertId()) == 1
                && count(openSearch, "mcp-events", "mcp.audit.agent_id", agentId) > 0);
        System.out.printf("security suite: tool call → alert → page and index in %.1f s (from pipeline start)%n",
            (System.nanoTime() - began) / 1e9);
        assertThat(failures).as("component failures").isEmpty();
        assertThat(router.deadLettered()).as("alerts the router dead-lettered").isZero();
        assertThat(indexer.deadLettered()).as("records the indexer dead-lettered").isZero();
      } finally {
        indexer.close();
        router.close();
        indexing.join(30_000);
        routing.join(30_000);
      }
    } finally {
      pager.stop();
    }
  }

  /** What each component may and may not do, beyond what the end-to-end run used. */
  @Test
  @Order(3)
  void eachComponentIsRefusedWhatItsAclsDoNotGrant() throws Exception {
    Map<String, Boolean> expected = new LinkedHashMap<>();
    String events = Topics.EVENTS.name();
    String alerts = Topics.ALERTS.name();
    String traces = Topics.TRACES.name();
    String rulesTopic = Topics.RULES.name();
    String inventory = Topics.INVENTORY.name();
    String dlq = Topics.DLQ.name();
    expected.put(AGENT + " writes " + events, true);
    expected.put(AGENT + " writes " + alerts, false);
    expected.put(AGENT + " writes " + rulesTopic, false);
    expected.put(AGENT + " writes " + inventory, false);
    expected.put(AGENT + " reads " + events, false);
    expected.put(AGENT + " reads " + alerts, false);
    expected.put(PIPELINE + " reads " + events, true);
    expected.put(PIPELINE + " writes " + alerts, true);
    expected.put(PIPELINE + " writes " + events, false);
    expected.put(PIPELINE + " writes " + rulesTopic, false);
    expected.put(PIPELINE + " writes " + inventory, false);
    expected.put(INDEXER + " reads " + events, true);
    expected.put(INDEXER + " reads " + alerts, true);
    expected.put(INDEXER + " reads " + traces, true);
    expected.put(INDEXER + " writes " + dlq, true);
    expected.put(INDEXER + " writes " + events, false);
    expected.put(INDEXER + " writes " + alerts, false);
    expected.put(INDEXER + " writes " + traces, false);
    expected.put(INDEXER + " reads " + rulesTopic, false);
    expected.put(ROUTER + " reads " + alerts, true);
    expected.put(ROUTER + " writes " + ROUTER_STATE, true);
    expected.put(ROUTER + " reads " + events, false);
    expected.put(ROUTER + " writes " + alerts, false);
    expected.put(ROUTER + " writes " + events, false);
    expected.put(PUBLISHER + " writes " + rulesTopic, true);
    expected.put(PUBLISHER + " reads " + events, false);
    expected.put(PUBLISHER + " writes " + events, false);
    expected.put(PUBLISHER + " writes " + alerts, false);

    Map<String, Boolean> actual = new LinkedHashMap<>();
    for (String check : expected.keySet()) {
      String[] parts = check.split(" ");
      actual.put(check, parts[1].equals("writes") ? canWrite(parts[0], parts[2]) : canRead(parts[0], parts[2]));
      System.out.println("security suite: " + check + ": " + (actual.get(check) ? "allowed" : "denied"));
    }
    assertThat(actual).isEqualTo(expected);
  }

  @Test
  @Order(4)
  void anAgentCanNeitherChangeTheRulesNorFenceThePipelinesTransactions() throws Exception {
    String ruleId = UUID.randomUUID().toString();
    Path rules = Files.createDirectories(work.resolve("agent-rules"));
    Files.writeString(rules.resolve("nothing_is_suspicious.yml"), """
        title: Nothing is ever suspicious
        id: %s
        status: test
        logsource: {product: mcp, category: content}
        level: low
        mcpaudit: {category: prompt-injection}
        detection:
          marker:
            mcp.content.text|contains: 'never-matches-%s'
          condition: marker
        """.formatted(ruleId, ruleId));
    CliRun push = cli("rules", "push", "--kafka", endpoints.kafkaBootstrap(), "--kafka-config",
        clientPropertiesFile(AGENT).toString(), rules.toString());
    System.out.println("security suite: rules push as " + AGENT + " exited " + push.exitCode() + ": "
        + (push.out() + push.err()).strip());
    assertThat(push.exitCode()).as("rules push refused by the broker must fail").isNotZero();
    assertThat(push.out() + push.err()).contains("Kafka refused");
    assertThat(rulesTopicKeys()).as("rule ids in " + Topics.RULES.name()).isNotEmpty().doesNotContain(ruleId);

    // Exactly-once producers are fenced by transactional id: an agent taking the pipeline's would stop it.
    Map<String, Object> config = new HashMap<>(security.clientConfig(AGENT));
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, endpoints.kafkaBootstrap());
    config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, APPLICATION_ID + "-" + UUID.randomUUID() + "-1");
    config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000);
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(),
        new ByteArraySerializer())) {
      assertThatThrownBy(producer::initTransactions).isInstanceOf(TransactionalIdAuthorizationException.class);
    }
  }

  // ---- the components' sides ---------------------------------------------------------------

  /**
   * One MCP session through the real stdio agent logged in as the agent user: the MCP Java SDK
   * client starts {@code mcp-audit agent stdio --config agent.yaml}, which starts the demo's notes
   * server. One tool call asks for the cloud metadata endpoint (SSRF).
   */
  private static void runAgentSession(String agentId) throws IOException {
    StringBuilder yaml = new StringBuilder();
    security.clientConfig(AGENT).forEach((key, value) ->
        yaml.append("kafka.producer.").append(key).append(": '").append(value).append("'\n"));
    yaml.append("secrets.fingerprint-key-file: '").append(work.resolve("fingerprint.key")).append("'\n");
    Path config = writePrivate(work.resolve("agent.yaml"), yaml.toString());
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String classpath = System.getProperty("java.class.path");
    List<String> args = List.of("-Xmx256m", "-cp", classpath, "io.mcpaudit.cli.Main", "agent", "stdio",
        "--config", config.toString(), "--server-name", DemoMcpServer.NAME, "--agent-id", agentId,
        "--kafka", endpoints.kafkaBootstrap(), "--schema-registry", endpoints.schemaRegistryUrl().toString(),
        "--spool-dir", work.resolve("spool-" + agentId).toString(),
        "--", java, "-Xmx128m", "-cp", classpath, DemoMcpServer.class.getName());
    ServerParameters agent = ServerParameters.builder(java).args(args.toArray(String[]::new)).build();
    McpSyncClient client = McpClient.sync(new StdioClientTransport(agent, McpJsonDefaults.getMapper()))
        .clientInfo(new McpSchema.Implementation("security-suite-host", "1.0"))
        .requestTimeout(Duration.ofSeconds(60)).initializationTimeout(Duration.ofSeconds(60)).build();
    try {
      client.initialize();
      client.listTools();
      client.callTool(new McpSchema.CallToolRequest("read_note", Map.of("id", "onboarding")));
      client.callTool(new McpSchema.CallToolRequest("fetch_url",
          Map.of("url", "http://169.254.169.254/latest/meta-data/iam/security-credentials/")));
    } finally {
      client.closeGracefully();
    }
  }

  private static Path routing(int pagerPort) throws IOException {
    Path secret = writePrivate(work.resolve("webhook-secret"), "security-suite-signing-secret");
    return Files.writeString(work.resolve("routing.yml"), """
        allow_insecure_destinations: true   # the paging endpoint is a loopback stub
        delivery: {connect_timeout: 2s, request_timeout: 5s, max_attempts: 20, initial_backoff: 500ms,
                   max_backoff: 5s, retry_budget: 2m}
        kafka: {start_from: earliest}
        destinations:
          pager:
            type: webhook
            url: http://127.0.0.1:%d/page
            signing_secret: {file: %s}
        routes:
          - name: everything
            destinations: [pager]
            storm_threshold: 0
        """.formatted(pagerPort, secret));
  }

  /** The first alert of {@code category}, read back as the administrator. */
  private static Alert awaitAlert(String category, List<Throwable> failures) {
    Map<String, Object> config = new HashMap<>(endpoints.kafkaClientConfig());
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, endpoints.kafkaBootstrap());
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    List<String> seen = new ArrayList<>();
    try (KafkaConsumer<String, Alert> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
        new AvroDeserializer<>(registry, Alert.class))) {
      List<TopicPartition> partitions = consumer.partitionsFor(Topics.ALERTS.name()).stream()
          .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long deadline = System.nanoTime() + SETTLE.toNanos();
      while (System.nanoTime() < deadline) {
        for (ConsumerRecord<String, Alert> record : consumer.poll(Duration.ofMillis(500))) {
          seen.add(record.value().getCategory());
          if (record.value().getCategory().equals(category)) {
            return record.value();
          }
        }
      }
    }
    throw new AssertionError("no " + category + " alert within " + SETTLE + "; alerts seen: " + seen
        + "; component failures: " + failures);
  }

  private static long count(OpenSearchClient client, String index, String field, String value) {
    try {
      client.indices().refresh(r -> r.index(index));
      return client.count(c -> c.index(index).query(q -> q.term(t -> t.field(field).value(FieldValue.of(value)))))
          .count();
    } catch (IOException | RuntimeException e) {
      return 0; // the index appears with its first document
    }
  }

  // ---- access checks -------------------------------------------------------------------------

  /** Whether {@code user} may produce to {@code topic}: one record, acknowledged by the broker. */
  private static boolean canWrite(String user, String topic) throws Exception {
    Map<String, Object> config = new HashMap<>(security.clientConfig(user));
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, endpoints.kafkaBootstrap());
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    // Only the topic's ACL decides, not the idempotent producer's own id request.
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
    config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000);
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(),
        new ByteArraySerializer())) {
      producer.send(new ProducerRecord<>(topic, "acl-probe".getBytes(StandardCharsets.UTF_8),
          "written by the security suite".getBytes(StandardCharsets.UTF_8))).get(60, TimeUnit.SECONDS);
      return true;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof TopicAuthorizationException) {
        return false;
      }
      throw e;
    }
  }

  /**
   * Whether {@code user} may consume {@code topic} (no consumer group): allowed means records came
   * back — every topic read here holds some by now — and denied means the broker refused.
   */
  private static boolean canRead(String user, String topic) {
    Map<String, Object> config = new HashMap<>(security.clientConfig(user));
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, endpoints.kafkaBootstrap());
    config.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
        new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
          .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (System.nanoTime() < deadline) {
        if (!consumer.poll(Duration.ofMillis(500)).isEmpty()) {
          return true;
        }
      }
      throw new AssertionError(user + " was neither refused nor given any record of " + topic + " within 30 s");
    } catch (TopicAuthorizationException e) {
      return false;
    }
  }

  private static List<String> rulesTopicKeys() {
    Map<String, Object> config = new HashMap<>(endpoints.kafkaClientConfig());
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, endpoints.kafkaBootstrap());
    List<String> keys = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
        new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(Topics.RULES.name()).stream()
          .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        consumer.poll(Duration.ofMillis(500)).forEach(r -> keys.add(r.key()));
      }
    }
    return keys;
  }

  private static void listTopics(Map<String, Object> clientConfig) throws Exception {
    Map<String, Object> config = new HashMap<>(clientConfig);
    config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, endpoints.kafkaBootstrap());
    config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
    config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
    try (Admin admin = Admin.create(config)) {
      admin.listTopics().names().get(20, TimeUnit.SECONDS);
    }
  }

  private static void describeCluster(Map<String, Object> clientConfig) throws Exception {
    Map<String, Object> config = new HashMap<>(clientConfig);
    config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
    config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
    try (Admin admin = Admin.create(config)) {
      admin.describeCluster().clusterId().get(20, TimeUnit.SECONDS);
    }
  }

  // ---- plumbing ------------------------------------------------------------------------------

  private static Admin admin() {
    Map<String, Object> config = new HashMap<>(endpoints.kafkaClientConfig());
    config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, endpoints.kafkaBootstrap());
    return Admin.create(config);
  }

  /** The controller's port, from the stack's state file (clients are never told it). */
  private static int controllerPort() throws IOException {
    Properties state = new Properties();
    try (Reader in = Files.newBufferedReader(stack.runDir().resolve("stack.properties"))) {
      state.load(in);
    }
    return Integer.parseInt(state.getProperty("kafka.internal-port"));
  }

  /** {@code user}'s client settings as a {@code --kafka-config} file. */
  private static Path clientPropertiesFile(String user) throws IOException {
    Properties p = new Properties();
    security.clientConfig(user).forEach((k, v) -> p.setProperty(k, String.valueOf(v)));
    StringWriter text = new StringWriter();
    p.store(text, "Kafka client settings of " + user);
    return writePrivate(work.resolve(user + ".properties"), text.toString());
  }

  private record CliRun(int exitCode, String out, String err) {}

  private static CliRun cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine commandLine = Main.commandLine();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    int code = commandLine.execute(args);
    return new CliRun(code, out.toString(), err.toString());
  }

  private static Thread background(String name, Runnable task, List<Throwable> failures) {
    Thread thread = new Thread(task, "security-suite-" + name);
    thread.setUncaughtExceptionHandler((t, e) -> failures.add(e));
    thread.start();
    return thread;
  }

  private static Path writePrivate(Path file, String text) throws IOException {
    Files.deleteIfExists(file);
    Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    return Files.writeString(file, text);
  }

  private static void awaitTrue(String what, Supplier<Boolean> condition) throws InterruptedException {
    long deadline = System.nanoTime() + SETTLE.toNanos();
    while (System.nanoTime() < deadline) {
      if (condition.get()) {
        return;
      }
      Thread.sleep(500);
    }
    throw new AssertionError("not within " + SETTLE + ": " + what);
  }

  /** A password nobody else knows: 24 URL-safe base64 characters. */
}
