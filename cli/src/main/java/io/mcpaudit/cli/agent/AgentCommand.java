package io.mcpaudit.cli.agent;

import io.mcpaudit.agent.AgentRuntime;
import io.mcpaudit.agent.approval.ApprovalEndpoint;
import io.mcpaudit.agent.config.AgentConfig;
import io.mcpaudit.agent.config.AgentConfigLoader;
import io.mcpaudit.agent.http.HttpAgent;
import io.mcpaudit.agent.stdio.StdioAgent;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code mcp-audit agent}: run the ingest agent on the MCP wire. */
@Command(
    name = "agent",
    mixinStandardHelpOptions = true,
    description = {
        "Run the ingest agent between an MCP client and an MCP server. Traffic passes through unchanged;",
        "what crosses it becomes audit events (Kafka, Avro) and, optionally, a capture file."},
    subcommands = {AgentCommand.Stdio.class, AgentCommand.Http.class})
public final class AgentCommand implements Runnable {
  @Spec
  private CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
  }

  private static final String CONFIGURATION_FOOTER =
      "Configuration: --config FILE (YAML) and MCP_AUDIT_* environment variables set the same keys; "
          + "options win over the environment, which wins over the file. Keys: agent.id, server.name, "
          + "client.user, kafka.bootstrap, kafka.schema-registry, kafka.topic, kafka.retry-interval, kafka.drain-timeout, "
          + "kafka.producer.* (any Kafka producer setting), spool.dir, spool.max-bytes, spool.segment-bytes, "
          + "secrets.fingerprint-key-file, secrets.fingerprint-key, redaction.max-text-bytes, "
          + "observe.max-message-bytes, queue.max-events, queue.max-bytes, capture.file, http.listen, http.upstream, "
          + "http.max-request-bytes, http.max-header-bytes, http.allowed-hosts, http.allowed-origins, "
          + "http.idle-timeout, http.preserve-host, approvals.listen, approvals.token, approvals.token-file. "
          + "Environment names follow the keys: MCP_AUDIT_KAFKA_BOOTSTRAP, MCP_AUDIT_APPROVALS_TOKEN, … "
          + "(docs/agent.md).";

  /** Options both modes share. */
  static final class CommonOptions {
    @Option(names = "--server-name", paramLabel = "NAME",
        description = {"The server's name in the inventory, recorded on every event. Default: serverInfo.name from the server's initialize answer. Example: --server-name files"})
    String serverName;

    @Option(names = "--record", paramLabel = "FILE",
        description = {"Also record what crosses the wire to FILE as a capture (mcp-capture/1, JSON Lines), appending. Tokens appear only as fingerprints; secrets are redacted. Replay it with 'mcp-audit detect --input FILE'. Example: --record /tmp/session.jsonl"})
    Path record;

    @Option(names = "--kafka", paramLabel = "BOOTSTRAP|none",
        description = {"Kafka bootstrap servers for the events (host:port,…), or 'none' to only proxy and record. While Kafka is unreachable, events are spooled to disk and replayed in order. Example: --kafka 127.0.0.1:39092"})
    String kafka;

    @Option(names = "--schema-registry", paramLabel = "URL",
        description = {"Confluent-API schema registry for the Avro events (required with --kafka). Example: --schema-registry http://127.0.0.1:38081/apis/ccompat/v7"})
    String schemaRegistry;

    @Option(names = "--config", paramLabel = "FILE",
        description = {"YAML configuration file (keys below). Example: --config ~/.mcp-audit/agent.yaml"})
    Path config;

    @Option(names = "--agent-id", paramLabel = "ID",
        description = {"This agent's id in events (default: host name and a random suffix, new per run). Example: --agent-id laptop-alice-files"})
    String agentId;

    @Option(names = "--spool-dir", paramLabel = "DIR",
        description = {"Where events wait while Kafka is unreachable (default ~/.mcp-audit/spool). Example: --spool-dir /var/spool/mcp-audit"})
    Path spoolDir;

    @Option(names = "--approvals-listen", paramLabel = "HOST:PORT",
        description = {"Also run the approval endpoint here: MCP hosts POST approval decisions to /v1/approvals and scope grants to /v1/scopes with 'Authorization: Bearer <secret>'; the secret comes from approvals.token or approvals.token-file (MCP_AUDIT_APPROVALS_TOKEN), never from the command line. Example: --approvals-listen 127.0.0.1:8089"})
    String approvalsListen;

    Map<String, String> options() {
      Map<String, String> options = new LinkedHashMap<>();
      options.put("server.name", serverName);
      options.put("capture.file", record == null ? null : record.toString());
      options.put("kafka.bootstrap", kafka);
      options.put("kafka.schema-registry", schemaRegistry);
      options.put("agent.id", agentId);
      options.put("spool.dir", spoolDir == null ? null : spoolDir.toString());
      options.put("approvals.listen", approvalsListen);
      return options;
    }

    AgentConfig load(Map<String, String> extra) {
      // The agent reports Kafka trouble itself in one status line; the client's own retry chatter stays out.
      if (System.getProperty("org.slf4j.simpleLogger.log.org.apache.kafka") == null) {
        System.setProperty("org.slf4j.simpleLogger.log.org.apache.kafka", "error");
      }
      if (System.getProperty("org.slf4j.simpleLogger.log.org.eclipse.jetty") == null) {
        System.setProperty("org.slf4j.simpleLogger.log.org.eclipse.jetty", "warn");
      }
      Map<String, String> options = options();
      options.putAll(extra);
      return AgentConfigLoader.forCurrentUser().load(Optional.ofNullable(config), System.getenv(), options);
    }
  }

  private static Consumer<String> statusLine(CommandSpec spec) {
    var err = spec.commandLine().getErr();
    return line -> {
      err.println(line);
      err.flush();
    };
  }

  /** {@code mcp-audit agent stdio … -- COMMAND [ARGS…]}: wrap a local stdio MCP server. */
  @Command(
      name = "stdio",
      mixinStandardHelpOptions = true,
      sortOptions = false,
      description = {
          "Start COMMAND as a stdio MCP server and relay the MCP client's stdin/stdout to it byte for byte "
              + "(the server's stderr passes straight through). Every JSON-RPC message is recorded; tokens and "
              + "credential-looking strings never leave the agent raw. Exits with the server's exit code.",
          "Use it in an MCP client's server configuration in place of the server command."},
      footer = {
          "",
          CONFIGURATION_FOOTER,
          "",
          "Examples:",
          "  # Record to a capture file only, no Kafka:",
          "  mcp-audit agent stdio --kafka none --record /tmp/files.jsonl \\",
          "      --server-name files -- npx -y @modelcontextprotocol/server-filesystem /srv",
          "",
          "  # Send events to Kafka (spooled to disk while it is unreachable):",
          "  mcp-audit agent stdio --kafka 127.0.0.1:39092 \\",
          "      --schema-registry http://127.0.0.1:38081/apis/ccompat/v7 \\",
          "      -- python -m my_mcp_server",
          "",
          "  # In an MCP client's configuration:",
          "  \"command\": \"mcp-audit\",",
          "  \"args\": [\"agent\", \"stdio\", \"--config\", \"/etc/mcp-audit/agent.yaml\",",
          "           \"--\", \"npx\", \"-y\", \"@modelcontextprotocol/server-filesystem\", \"/srv\"]"})
  public static final class Stdio implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private CommonOptions common;

    @Parameters(paramLabel = "COMMAND", arity = "1..*",
        description = {"The server command and its arguments, after '--'. Example: -- npx -y @modelcontextprotocol/server-everything"})
    private List<String> command;

    @Override
    public Integer call() throws Exception {
      AgentConfig agentConfig = common.load(Map.of());
      Consumer<String> status = statusLine(spec);
      AgentRuntime runtime = AgentRuntime.start(agentConfig, status);
      StdioAgent agent;
      ApprovalEndpoint approvals;
      try {
        agent = new StdioAgent(runtime, command, Path.of("").toAbsolutePath(), System.getenv(), status,
            Clock.systemUTC());
        approvals = ApprovalEndpoint.startIfConfigured(agentConfig.approvals(), runtime.trail(),
            agent.approvalSessions(), Clock.systemUTC(), status);
      } catch (Exception e) {
        runtime.close();
        throw e;
      }
      if (approvals != null) {
        status.accept("mcp-audit agent: approval endpoint at " + approvals.url() + "/v1/approvals");
      }
      try {
        // The raw descriptors: no Java-side buffering or charset handling between client and server.
        return agent.run(new FileInputStream(FileDescriptor.in), new FileOutputStream(FileDescriptor.out));
      } finally {
        if (approvals != null) {
          approvals.close();
        }
      }
    }
  }

  /** {@code mcp-audit agent http --listen HOST:PORT --upstream URL}: a reverse proxy in front of a remote server. */
  @Command(
      name = "http",
      mixinStandardHelpOptions = true,
      sortOptions = false,
      description = {
          "Listen for MCP clients on HOST:PORT and forward everything to the remote MCP server at URL, as a reverse "
              + "proxy: Streamable HTTP (POST with JSON or SSE answers, GET event streams with Last-Event-ID, "
              + "DELETE) and the older HTTP+SSE transport. Requests, responses and event streams pass through "
              + "unchanged and unbuffered; every JSON-RPC message is recorded, bearer tokens only as fingerprints "
              + "and claims. Requests with a Host or Origin that is not allowed, or a body over the size limit, are "
              + "refused with a 4xx that says why and never reach the server.",
          "Point MCP clients at the agent's URL with the same path they would use on the server."},
      footer = {
          "",
          CONFIGURATION_FOOTER,
          "",
          "Examples:",
          "  # Proxy a remote server, record to a capture file only:",
          "  mcp-audit agent http --listen 127.0.0.1:8080 --upstream https://mcp.example.com \\",
          "      --kafka none --record /tmp/remote.jsonl",
          "  # clients then use http://127.0.0.1:8080/mcp for https://mcp.example.com/mcp",
          "",
          "  # Send events to Kafka and accept approval reports from the MCP host:",
          "  MCP_AUDIT_APPROVALS_TOKEN=$(cat /etc/mcp-audit/approvals.secret) \\",
          "  mcp-audit agent http --listen 127.0.0.1:8080 --upstream http://10.0.0.5:3001 \\",
          "      --kafka 127.0.0.1:39092 --schema-registry http://127.0.0.1:38081/apis/ccompat/v7 \\",
          "      --approvals-listen 127.0.0.1:8089"})
  public static final class Http implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private CommonOptions common;

    @Option(names = "--listen", paramLabel = "HOST:PORT", required = true,
        description = {"Where MCP clients connect. Listening on loopback only accepts loopback Host names and browser Origins. Example: --listen 127.0.0.1:8080"})
    private String listen;

    @Option(names = "--upstream", paramLabel = "URL", required = true,
        description = {"The remote MCP server's base URL; request paths are appended to it. Example: --upstream https://mcp.example.com"})
    private String upstream;

    @Option(names = "--max-request-bytes", paramLabel = "SIZE",
        description = {"Request bodies larger than this are refused with 413 (default 4MiB). Example: --max-request-bytes 16MiB"})
    private String maxRequestBytes;

    @Option(names = "--allowed-hosts", paramLabel = "HOST[:PORT],…",
        description = {"Host header values accepted (DNS rebinding protection); '*' accepts any. Example: --allowed-hosts mcp-proxy.internal,localhost"})
    private String allowedHosts;

    @Option(names = "--allowed-origins", paramLabel = "ORIGIN,…",
        description = {"Browser Origins accepted; requests without Origin always pass. Example: --allowed-origins http://localhost:6274"})
    private String allowedOrigins;

    @Override
    public Integer call() throws Exception {
      Map<String, String> http = new LinkedHashMap<>();
      http.put("http.listen", listen);
      http.put("http.upstream", upstream);
      http.put("http.max-request-bytes", maxRequestBytes);
      http.put("http.allowed-hosts", allowedHosts);
      http.put("http.allowed-origins", allowedOrigins);
      AgentConfig agentConfig = common.load(http);
      Consumer<String> status = statusLine(spec);
      Clock clock = Clock.systemUTC();
      AgentRuntime runtime = AgentRuntime.start(agentConfig, status);
      HttpAgent agent;
      ApprovalEndpoint approvals;
      try {
        agent = HttpAgent.create(runtime, status, clock).start();
      } catch (Exception e) {
        runtime.close();
        throw e;
      }
      try {
        approvals = ApprovalEndpoint.startIfConfigured(agentConfig.approvals(), runtime.trail(),
            agent.approvalSessions(), clock, status);
      } catch (Exception e) {
        agent.close();
        throw e;
      }
      status.accept("mcp-audit agent: proxying " + agent.url() + " to " + agent.upstream()
          + (approvals == null ? "" : "; approval endpoint at " + approvals.url() + "/v1/approvals"));
      CountDownLatch stopped = new CountDownLatch(1);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          if (approvals != null) {
            approvals.close();
          }
          agent.close();
        } catch (Exception e) {
          status.accept("mcp-audit agent: while stopping, " + e.getMessage());
        } finally {
          stopped.countDown();
        }
      }, "mcp-audit-stop"));
      agent.join();
      stopped.await();
      return 0;
    }
  }
}
