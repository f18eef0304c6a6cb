package io.mcpaudit.reliability;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.mcpaudit.cli.demo.DemoMcpServer;
import io.mcpaudit.event.InventoryEntry;
import io.mcpaudit.event.RiskTier;
import io.mcpaudit.event.ServerLocation;
import io.mcpaudit.schema.registry.SchemaRegistryClient;
import io.mcpaudit.schema.registry.SchemaRegistryConfig;
import io.mcpaudit.stack.LocalStack;
import io.mcpaudit.stack.LocalStackConfig;
import io.mcpaudit.stack.StackEndpoints;
import io.mcpaudit.streams.app.TopicSetup;
import io.mcpaudit.streams.inventory.InventoryPublisher;
import io.mcpaudit.streams.rules.RulePublisher;
import io.mcpaudit.streams.sink.opensearch.OpenSearchConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.opensearch.client.opensearch.OpenSearchClient;

/**
 * One fault at a time across the whole path — MCP host → stdio agent → Kafka → detection →
 * OpenSearch → paging webhook — on a local stack of its own, loopback only. Each fault hits while
 * a session is running; afterwards every event the agent numbered must be in OpenSearch exactly
 * once, every finding must be one alert (one alert id per dedup key), and every alert must have
 * been paged exactly once. The counts of each phase are printed and recorded in docs/reliability.md.
 *
 * <p>The OpenSearch outage lasts {@code mcpaudit.fault.opensearch-outage} (default 60s).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultInjectionIT {
  private static final Path ROOT = Path.of(System.getProperty("mcpaudit.repo.root", ".."));
  private static final int ROUNDS = 12;
  private static final Duration SETTLE = Duration.ofMinutes(4);
  private static final List<String> REPORT = new ArrayList<>();

  private static Path work;
  private static LocalStack stack;
  private static StackEndpoints endpoints;
  private static WireMockServer pager;
  private static PipelineChild pipeline;
  private static Ledger ledger;

  /** Something done to the system in the middle of a session. */
  @FunctionalInterface
  interface Fault {
    /** @param session the phase's agent session, for a fault that needs traffic while it lasts */
    void inject(AgentSession session) throws Exception;
  }

  @BeforeAll
  static void start() throws Exception {
    work = Files.createDirectories(ROOT.resolve("reliability-tests/target/fault-suite"));
    stack = LocalStack.start(LocalStackConfig.at(work.resolve("stack")), line -> System.out.println("stack: " + line));
    endpoints = stack.endpoints();
    TopicSetup.ensure(endpoints.kafkaBootstrap(), Map.of(), 3, (short) 1);
    SchemaRegistryClient registry = new SchemaRegistryClient(SchemaRegistryConfig.of(endpoints.schemaRegistryUrl()));
    RulePublisher.publish(endpoints.kafkaBootstrap(), Map.of(),
        RulePublisher.prepare(ROOT.resolve("detection-rules/rules")));
    InventoryPublisher.publish(endpoints.kafkaBootstrap(), Map.of(), registry, List.of(InventoryEntry.newBuilder()
        .setName(DemoMcpServer.NAME).setOwner("platform-team").setLocation(ServerLocation.LOCAL)
        .setRiskTier(RiskTier.MEDIUM).setAllowedScopes(List.of()).build()));

    pager = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    pager.start();
    pager.stubFor(post(urlEqualTo("/page")).willReturn(aResponse().withStatus(202)));
    Path secret = work.resolve("webhook-secret");
    Files.writeString(secret, "fault-suite-signing-secret");
    Path routing = work.resolve("routing.yml");
    Files.writeString(routing, """
        allow_insecure_destinations: true   # the paging endpoint is a loopback stub
        delivery: {connect_timeout: 2s, request_timeout: 5s, max_attempts: 100, initial_backoff: 500ms,
                   max_backoff: 5s, retry_budget: 10m}
        noise: {dedup_window: 1h}
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
        """.formatted(pager.port(), secret));
    pipeline = new PipelineChild(endpoints, work, routing);
    pipeline.start(Duration.ofMinutes(3));
    OpenSearchClient openSearch = OpenSearchConnection.plain(endpoints.openSearchUrl()).client();
    ledger = new Ledger(endpoints, registry, openSearch, pager);
  }

  @AfterAll
  static void stop() throws Exception {
    System.out.println("fault suite — per fault, counts for that phase's agent:");
    REPORT.forEach(System.out::println);
    if (pipeline != null) {
      pipeline.stop();
    }
    if (pager != null) {
      pager.stop();
    }
    if (stack != null) {
      stack.stop();
    }
  }

  @Test
  @Order(1)
  void noFault() throws Exception {
    phase("none", session -> {});
  }

  @Test
  @Order(2)
  void kafkaBrokerKilledAndRestarted() throws Exception {
    phase("kafka kill -9 + restart", session -> {
      stack.kill("kafka");
      Thread.sleep(5_000);
      stack.restart("kafka", Duration.ofMinutes(2), line -> System.out.println("stack: " + line));
      // The agent finds the broker again on its next probe and replays its spool while it runs;
      // what is left when the session ends is delivered by its drain at stop.
      Thread.sleep(10_000);
    });
  }

  @Test
  @Order(3)
  void pipelineKilledMidStream() throws Exception {
    phase("pipeline kill -9 + restart", session -> {
      pipeline.kill();
      pipeline.start(Duration.ofMinutes(3));
    });
  }

  @Test
  @Order(4)
  void openSearchDown() throws Exception {
    Duration outage = Duration.parse("PT" + System.getProperty("mcpaudit.fault.opensearch-outage", "60s").toUpperCase());
    phase("opensearch down " + outage.toSeconds() + " s", session -> {
      stack.stopServer("opensearch");
      Thread.sleep(outage.toMillis());
      stack.restart("opensearch", Duration.ofMinutes(3), line -> System.out.println("stack: " + line));
    });
  }

  /**
   * The registry is killed and the pipeline crashes and starts again while the registry is away: its
   * new process has no schema cached, and the agent goes on writing (with the ids it cached), so the
   * pipeline must look them up and cannot. Once its stream threads have met that (they pause, fail,
   * are replaced and read again from the last commit), the registry stays away 20 s more and comes
   * back on its stored schemas.
   */
  @Test
  @Order(5)
  void schemaRegistryKilledWhileThePipelineRestarts() throws Exception {
    phase("schema registry kill -9 + pipeline restart", session -> {
      stack.kill("schema-registry");
      pipeline.kill();
      pipeline.launch();
      session.round(ROUNDS);
      pipeline.awaitLog("cannot be decoded now", Duration.ofMinutes(3));
      Thread.sleep(20_000);
      stack.restart("schema-registry", Duration.ofMinutes(2), line -> System.out.println("stack: " + line));
      pipeline.awaitRunning(Duration.ofMinutes(4));
    });
    assertThat(ledger.deadLetters()).as("records dead-lettered because the registry was away")
        .noneMatch(d -> d.reason().contains("unreachable"));
  }

  @Test
  @Order(6)
  void pagingEndpointFailing() throws Exception {
    phase("paging endpoint 503 20 s", session -> {
      pager.stubFor(post(urlEqualTo("/page")).willReturn(aResponse().withStatus(503)));
      Thread.sleep(20_000);
      pager.stubFor(post(urlEqualTo("/page")).willReturn(aResponse().withStatus(202)));
    });
  }

  /**
   * The agent process stops cleanly halfway and a new one starts with the same agent id and spool
   * (as a host restarting its MCP server does): its numbering continues the chain, so nothing is
   * counted twice and no audit-gap finding is raised.
   */
  @Test
  @Order(7)
  void agentRestartedWithTheSameIdContinuesItsChain() throws Exception {
    String agent = "fault-agent-restart";
    Path spool = work.resolve("spool-" + agent);
    try (AgentSession first = new AgentSession(endpoints, agent, spool)) {
      for (int round = 0; round < ROUNDS / 2; round++) {
        first.round(round);
      }
    }
    try (AgentSession second = new AgentSession(endpoints, agent, spool)) {
      for (int round = ROUNDS / 2; round < ROUNDS; round++) {
        second.round(round);
      }
    }
    Ledger.Counts counts = settle(agent);
    check("agent restarted, same id and spool", counts);
    assertThat(counts.categories()).as("alert categories after the restart").doesNotContain("audit-gap");
  }

  @Test
  @Order(8)
  void noRawSecretReachesAnySink() throws Exception {
    // A hand-written capture with a raw bearer token and a GitHub token, ingested as users do …
    String jwt = jwt("{\"iss\":\"https://auth.example.com\",\"sub\":\"alice@example.com\","
        + "\"aud\":\"https://mcp.github.example.com/mcp\",\"exp\":4102444800,\"jti\":\"fault-suite\"}");
    String githubToken = "ghp_" + "R3alLook1ngT0kenF0rTheFaultSu1te0042";
    Path capture = work.resolve("secrets-capture.jsonl");
    Files.writeString(capture, """
        {"ts":"2026-11-20T10:00:00.000Z","kind":"message","session":"secret-scan","transport":"streamable-http",        "server":{"name":"github","url":"https://mcp.github.example.com/mcp"},"client":{"address":"10.0.0.5","user":"alice"},        "direction":"client_to_server","http":{"method":"POST","path":"/mcp","status":200,        "headers":{"authorization":"Bearer %s"}},"message":{"jsonrpc":"2.0","id":1,"method":"tools/call",        "params":{"name":"create_secret","arguments":{"value":"%s"}}}}
        """.formatted(jwt, githubToken));
    int ingested = io.mcpaudit.cli.Main.commandLine().execute("ingest", "--input", capture.toString(),
        "--kafka", endpoints.kafkaBootstrap(), "--schema-registry", endpoints.schemaRegistryUrl().toString());
    assertThat(ingested).isZero();
    // … and a live session through the agent that also records a capture file.
    Path recorded = work.resolve("agent-recorded.jsonl");
    try (AgentSession session = new AgentSession(endpoints, "fault-secret-scan", work.resolve("spool-scan"), recorded)) {
      session.round(0);
    }
    settle("fault-secret-scan");

    SinkScanner scanner = new SinkScanner(List.of(jwt, githubToken, "AKIAZ7QKX3MPLE4DEMO1",
        "q9Vd8Xw2Lk5Tn1Rb7Yc3Hj6Mf0Pz4Sg8Ua2Ei5Oo"));
    scanner.kafka(endpoints.kafkaBootstrap());
    scanner.openSearch(endpoints.openSearchUrl());
    scanner.file(recorded);
    scanner.file(pipeline.log());
    scanner.pages(pager);
    System.out.println("secret scan: " + scanner.summary());
    REPORT.add("secret scan: " + scanner.findings().size() + " raw secrets found; " + scanner.summary());
    assertThat(scanner.findings()).isEmpty();
  }

  private static String jwt(String claims) {
    java.util.Base64.Encoder b64 = java.util.Base64.getUrlEncoder().withoutPadding();
    return b64.encodeToString("{\"alg\":\"RS256\",\"typ\":\"JWT\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8))
        + "." + b64.encodeToString(claims.getBytes(java.nio.charset.StandardCharsets.UTF_8)) + "."
        + b64.encodeToString(new byte[64]);
  }

  /**
   * Counts until every stage has caught up and nothing changed between two readings a few
   * seconds apart (late findings, such as a wait that closes, can still be on their way).
   */
  private static Ledger.Counts settle(String agent) throws Exception {
    long deadline = System.nanoTime() + SETTLE.toNanos();
    Ledger.Counts previous = null;
    Ledger.Counts counts = ledger.count(agent);
    while (!(counts.settled(AgentSession.CATEGORIES) && counts.equals(previous)) && System.nanoTime() < deadline) {
      Thread.sleep(3_000);
      previous = counts;
      counts = ledger.count(agent);
    }
    return counts;
  }

  /** Half a session, the fault, the other half; then waits for every stage to settle and checks it. */
  private static void phase(String fault, Fault injection) throws Exception {
    String agent = "fault-" + fault.replaceAll("[^a-z0-9]+", "-").replaceAll("-$", "");
    try (AgentSession session = new AgentSession(endpoints, agent, work.resolve("spool-" + agent))) {
      for (int round = 0; round < ROUNDS; round++) {
        if (round == ROUNDS / 2) {
          injection.inject(session);
        }
        session.round(round);
      }
    }
    check(fault, settle(agent));
  }

  /** The counts of one phase recorded and checked: everything exactly once at every stage. */
  private static void check(String fault, Ledger.Counts counts) {
    REPORT.add(counts.line(fault));
    System.out.println("fault suite: " + counts.line(fault));
    assertThat(counts.eventsSent()).as("events the agent numbered").isGreaterThan(ROUNDS * 6L);
    assertThat(counts.eventsUnique()).as("distinct events in Kafka").isEqualTo(counts.eventsSent());
    assertThat(counts.outOfOrder()).as("events out of the agent's order within their session").isZero();
    assertThat(counts.eventsIndexed()).as("events in OpenSearch").isEqualTo(counts.eventsUnique());
    assertThat(counts.categories()).as("alert categories").containsAll(AgentSession.CATEGORIES);
    assertThat(counts.alertsDuplicated()).as("findings raised as more than one alert").isZero();
    assertThat(counts.alertsIndexed()).as("alerts in OpenSearch").isEqualTo(counts.alertsProduced());
    assertThat(counts.pagesSent() + counts.pagesUnknown() - counts.pagesDuplicated())
        .as("alerts paged, or dead-lettered as unknown by a router restarted after one killed mid-request")
        .isEqualTo(counts.pagesExpected());
    assertThat(counts.pagesDuplicated()).as("pages delivered twice").isZero();
  }
}
