package io.mcpaudit.agent.events;

import io.mcpaudit.event.Transport;
import java.util.List;

/**
 * The fixed facts about one connection the agent proxies: its session id, the
 * transport, how the server was reached, and who the client is when known.
 *
 * @param configuredServerName the inventory name given to the agent (--server-name), or null
 * @param serverCommand the launch command of a stdio server (null for remote servers)
 * @param clientUser the human identity when the deployment knows it (OS user for stdio)
 */
public record SessionContext(
    String sessionId,
    Transport transport,
    String configuredServerName,
    String serverUrl,
    List<String> serverCommand,
    String clientAddress,
    String clientUser) {

  public SessionContext {
    serverCommand = serverCommand == null ? null : List.copyOf(serverCommand);
  }

  /** The capture's spelling of the transport. */
  public String transportName() {
    return switch (transport) {
      case STDIO -> "stdio";
      case STREAMABLE_HTTP -> "streamable-http";
      case SSE -> "sse";
      default -> null;
    };
  }
}
