package io.mcpaudit.router.config;

import java.util.List;

/** A routing configuration that cannot be used, with one line per problem and the key it concerns. */
public final class RoutingConfigException extends IllegalArgumentException {
  private final List<String> problems;

  public RoutingConfigException(String source, List<String> problems) {
    super(source + " is not a valid routing configuration:\n  - " + String.join("\n  - ", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
