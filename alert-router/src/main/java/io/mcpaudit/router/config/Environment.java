package io.mcpaudit.router.config;

import java.util.Map;
import java.util.Optional;

/** Where secret references of the form {@code {env: NAME}} are looked up; tests pass a map instead of the process. */
@FunctionalInterface
public interface Environment {
  Optional<String> get(String name);

  /** The process environment. */
  static Environment system() {
    return name -> Optional.ofNullable(System.getenv(name));
  }

  static Environment of(Map<String, String> variables) {
    Map<String, String> copy = Map.copyOf(variables);
    return name -> Optional.ofNullable(copy.get(name));
  }
}
