package io.mcpaudit.agent.config;

import java.util.Optional;

/**
 * The approval endpoint, where MCP hosts report approval decisions and scope grants.
 *
 * @param listen where it listens; empty when the endpoint is off
 * @param token the bearer secret reporters must present (required when the endpoint is on)
 */
public record ApprovalSettings(Optional<HostPort> listen, Optional<String> token) {

  @Override
  public String toString() {
    return "ApprovalSettings[listen=" + listen.map(HostPort::toString).orElse("off") + ", token="
        + (token.isPresent() ? "(set)" : "(none)") + "]";
  }
}
