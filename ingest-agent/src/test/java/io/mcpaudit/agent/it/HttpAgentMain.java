package io.mcpaudit.agent.it;

import io.mcpaudit.agent.AgentRuntime;
import io.mcpaudit.agent.config.AgentConfig;
import io.mcpaudit.agent.config.AgentConfigLoader;
import io.mcpaudit.agent.http.HttpAgent;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Runs the HTTP agent the way {@code mcp-audit agent http} does, as its own process:
 * {@code HttpAgentMain HOME KEY=VALUE…} (keys as in the agent configuration). Prints
 * {@code listening <url>} on stdout once it accepts connections.
 */
public final class HttpAgentMain {
  private HttpAgentMain() {}

  public static void main(String[] args) throws Exception {
    Path home = Path.of(args[0]);
    Map<String, String> options = new HashMap<>();
    for (String arg : Arrays.asList(args).subList(1, args.length)) {
      options.put(arg.substring(0, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
    }
    AgentConfig config = new AgentConfigLoader(home).load(Optional.empty(), System.getenv(), options);
    AgentRuntime runtime = AgentRuntime.start(config, line -> System.err.println(line));
    HttpAgent agent = HttpAgent.create(runtime, line -> System.err.println(line), Clock.systemUTC()).start();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        agent.close();
      } catch (Exception e) {
        System.err.println("while stopping: " + e);
      }
    }));
    System.out.println("listening " + agent.url());
    System.out.flush();
    agent.join();
  }
}
