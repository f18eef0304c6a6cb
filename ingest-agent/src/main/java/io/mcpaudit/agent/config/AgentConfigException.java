package io.mcpaudit.agent.config;

import java.util.List;

/** The agent's configuration is wrong; the message has one line per problem, naming the key. */
public final class AgentConfigException extends IllegalArgumentException {
  private final List<String> problems;

  public AgentConfigException(List<String> problems) {
    super(problems.size() == 1 ? "invalid agent configuration: " + problems.get(0)
        : "invalid agent configuration:\n  " + String.join("\n  ", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
