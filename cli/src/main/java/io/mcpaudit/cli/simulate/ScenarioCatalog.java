package io.mcpaudit.cli.simulate;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The scenarios {@code simulate} knows: the built-in ones shipped in the command's jar (listed in
 * {@code scenarios/INDEX}) and, optionally, every {@code *.yml} in a directory of the team's own.
 */
public final class ScenarioCatalog {
  private static final String INDEX = "scenarios/INDEX";

  private final Map<String, AttackScenario> scenarios;

  private ScenarioCatalog(Map<String, AttackScenario> scenarios) {
    this.scenarios = scenarios;
  }

  public static ScenarioCatalog builtIn() {
    Map<String, AttackScenario> all = new LinkedHashMap<>();
    for (String file : resource(INDEX).lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#"))
        .toList()) {
      AttackScenario scenario = AttackScenario.parse("scenarios/" + file, resource("scenarios/" + file));
      all.put(scenario.name(), scenario);
    }
    return new ScenarioCatalog(all);
  }

  /** The built-in scenarios plus the directory's; a file there replaces a built-in one of the same name. */
  public ScenarioCatalog withDirectory(Path dir) {
    Map<String, AttackScenario> all = new LinkedHashMap<>(scenarios);
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".yml")).sorted().toList()) {
        AttackScenario scenario = AttackScenario.parse(file.toString(), Files.readString(file));
        all.put(scenario.name(), scenario);
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read scenarios from " + dir + ": " + e.getMessage(), e);
    }
    return new ScenarioCatalog(all);
  }

  public List<AttackScenario> all() {
    return List.copyOf(scenarios.values());
  }

  /** {@code all}, or a comma-separated list of names; an unknown name lists the known ones. */
  public List<AttackScenario> select(String names) {
    if (names.equals("all")) {
      return all();
    }
    List<AttackScenario> chosen = new ArrayList<>();
    for (String name : names.split(",")) {
      AttackScenario scenario = scenarios.get(name.strip());
      if (scenario == null) {
        throw new IllegalArgumentException("no scenario named '" + name.strip() + "'; known: "
            + String.join(", ", scenarios.keySet()) + ", or all");
      }
      chosen.add(scenario);
    }
    return chosen;
  }

  private static String resource(String name) {
    try (InputStream in = ScenarioCatalog.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("the built-in scenario resource " + name + " is missing from the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
