package io.mcpaudit.agent.it;

import io.mcpaudit.agent.AgentRuntime;
import io.mcpaudit.agent.config.AgentConfig;
import io.mcpaudit.agent.config.AgentConfigLoader;
import io.mcpaudit.agent.stdio.StdioAgent;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs the stdio agent the way {@code mcp-audit agent stdio} does, as its own process, so
 * that an MCP client can launch it in place of the server:
 * {@code StdioAgentMain HOME KEY=VALUE… -- COMMAND…} (keys as in the agent configuration).
 */
public final class StdioAgentMain {
  private StdioAgentMain() {}

  public static void main(String[] args) throws Exception {
    int separator = Arrays.asList(args).indexOf("--");
    Path home = Path.of(args[0]);
    Map<String, String> options = new HashMap<>();
    for (String arg : Arrays.asList(args).subList(1, separator)) {
      options.put(arg.substring(0, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
    }
    List<String> command = Arrays.asList(args).subList(separator + 1, args.length);
    AgentConfig config = new AgentConfigLoader(home).load(Optional.empty(), System.getenv(), options);
    AgentRuntime runtime = AgentRuntime.start(config, line -> System.err.println(line));
    int exit = new StdioAgent(runtime, command, Path.of("").toAbsolutePath(), System.getenv(),
        line -> System.err.println(line), Clock.systemUTC())
        .run(new FileInputStream(FileDescriptor.in), new FileOutputStream(FileDescriptor.out));
    System.exit(exit);
  }
}
