package io.mcpaudit.agent.events;

import java.util.List;

/**
 * A local server process the agent started.
 *
 * @param executablePath the command's executable resolved through PATH (null when not found)
 * @param executableSha256 SHA-256 of that file (null when it could not be read)
 * @param envNames names of the environment variables the process received, never their values
 */
public record LaunchInfo(
    List<String> command,
    String cwd,
    String executablePath,
    String executableSha256,
    List<String> envNames,
    Long pid) {

  public LaunchInfo {
    command = List.copyOf(command);
    envNames = envNames == null ? List.of() : envNames.stream().sorted().toList();
  }
}
