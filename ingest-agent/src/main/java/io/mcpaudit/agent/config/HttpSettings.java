package io.mcpaudit.agent.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How the HTTP reverse proxy listens, where it forwards, and what it lets through.
 *
 * @param listen where MCP clients connect (required in HTTP mode)
 * @param upstream the MCP server's base URL; request paths are appended to its path
 * @param maxRequestBytes larger request bodies are refused with 413 before they reach the server
 * @param maxHeaderBytes larger request headers are refused with 431
 * @param allowedHosts {@code Host} values accepted (host or host:port, {@code *} for any); empty: the default
 *     for the listen address (see {@code docs/agent.md})
 * @param allowedOrigins {@code Origin} values accepted from browsers (scheme://host[:port], {@code *} for any);
 *     empty: loopback origins when listening on loopback, none otherwise. Requests without Origin always pass
 * @param idleTimeout how long a silent connection (an SSE stream without events) is kept open
 * @param preserveHost forward the client's {@code Host} header instead of the upstream's host
 */
public record HttpSettings(
    Optional<HostPort> listen,
    Optional<URI> upstream,
    long maxRequestBytes,
    int maxHeaderBytes,
    List<String> allowedHosts,
    List<String> allowedOrigins,
    Duration idleTimeout,
    boolean preserveHost) {

  public HttpSettings {
    allowedHosts = List.copyOf(allowedHosts);
    allowedOrigins = List.copyOf(allowedOrigins);
  }
}
