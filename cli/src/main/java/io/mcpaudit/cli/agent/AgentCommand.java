package io.mcpaudit.cli.agent;

import io.mcpaudit.agent.AgentRuntime;
import io.mcpaudit.agent.config.AgentConfig;
import io.mcpaudit.agent.config.AgentConfigLoader;
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
import picocli.CommandLine.Command;
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
    subcommands = {AgentCommand.Stdio.class})
public final class AgentCommand implements Runnable {
  @Spec
  private CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
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
          "Configuration: --config FILE (YAML) and MCP_AUDIT_* environment variables set the same keys; "
              + "options win over the environment, which wins over the file. Keys: agent.id, server.name, "
              + "client.user, kafka.bootstrap, kafka.schema-registry, kafka.retry-interval, kafka.producer.* "
              + "(any Kafka producer setting), spool.dir, spool.max-bytes, spool.segment-bytes, "
              + "secrets.fingerprint-key-file, secrets.fingerprint-key, redaction.max-text-bytes, "
              + "observe.max-message-bytes, queue.max-events, queue.max-bytes, capture.file. "
              + "Environment names follow the keys: MCP_AUDIT_KAFKA_BOOTSTRAP, MCP_AUDIT_SPOOL_MAX_BYTES, … "
              + "(docs/agent.md).",
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

    @Option(names = "--server-name", paramLabel = "NAME",
        description = {"The server's name in the inventory, recorded on every event. Default: serverInfo.name from the server's initialize answer. Example: --server-name files"})
    private String serverName;

    @Option(names = "--record", paramLabel = "FILE",
        description = {"Also record what crosses the wire to FILE as a capture (mcp-capture/1, JSON Lines), appending. Tokens appear only as fingerprints; secrets are redacted. Replay it with 'mcp-audit detect --input FILE'. Example: --record /tmp/session.jsonl"})
    private Path record;

    @Option(names = "--kafka", paramLabel = "BOOTSTRAP|none",
        description = {"Kafka bootstrap servers for the events (host:port,…), or 'none' to only proxy and record. While Kafka is unreachable, events are spooled to disk and replayed in order. Example: --kafka 127.0.0.1:39092"})
    private String kafka;

    @Option(names = "--schema-registry", paramLabel = "URL",
        description = {"Confluent-API schema registry for the Avro events (required with --kafka). Example: --schema-registry http://127.0.0.1:38081/apis/ccompat/v7"})
    private String schemaRegistry;

    @Option(names = "--config", paramLabel = "FILE",
        description = {"YAML configuration file (keys below). Example: --config ~/.mcp-audit/agent.yaml"})
    private Path config;

    @Option(names = "--agent-id", paramLabel = "ID",
        description = {"This agent's id in events (default: host name and a random suffix, new per run). Example: --agent-id laptop-alice-files"})
    private String agentId;

    @Option(names = "--spool-dir", paramLabel = "DIR",
        description = {"Where events wait while Kafka is unreachable (default ~/.mcp-audit/spool). Example: --spool-dir /var/spool/mcp-audit"})
    private Path spoolDir;

    @Parameters(paramLabel = "COMMAND", arity = "1..*",
        description = {"The server command and its arguments, after '--'. Example: -- npx -y @modelcontextprotocol/server-everything"})
    private List<String> command;

    @Override
    public Integer call() throws Exception {
      // The agent reports Kafka trouble itself in one status line; the client's own retry chatter stays out.
      if (System.getProperty("org.slf4j.simpleLogger.log.org.apache.kafka") == null) {
        System.setProperty("org.slf4j.simpleLogger.log.org.apache.kafka", "error");
      }
      Map<String, String> options = new LinkedHashMap<>();
      options.put("server.name", serverName);
      options.put("capture.file", record == null ? null : record.toString());
      options.put("kafka.bootstrap", kafka);
      options.put("kafka.schema-registry", schemaRegistry);
      options.put("agent.id", agentId);
      options.put("spool.dir", spoolDir == null ? null : spoolDir.toString());
      AgentConfig agentConfig = AgentConfigLoader.forCurrentUser()
          .load(Optional.ofNullable(config), System.getenv(), options);
      var err = spec.commandLine().getErr();
      java.util.function.Consumer<String> status = line -> {
        err.println(line);
        err.flush();
      };
      AgentRuntime runtime = AgentRuntime.start(agentConfig, status);
      StdioAgent agent = new StdioAgent(runtime, command, Path.of("").toAbsolutePath(), System.getenv(), status,
          Clock.systemUTC());
      // The raw descriptors: no Java-side buffering or charset handling between client and server.
      return agent.run(new FileInputStream(FileDescriptor.in), new FileOutputStream(FileDescriptor.out));
    }
  }
}
