package io.mcpaudit.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Picks, for each server, a JDK it runs on from the JDKs this machine has, in order of preference. */
final class JdkSelector {

  private final List<Jdk> candidates;

  JdkSelector(List<Path> homesInPreferenceOrder) {
    Map<Path, Jdk> byRealPath = new LinkedHashMap<>();
    for (Path home : homesInPreferenceOrder) {
      Jdk.at(home).ifPresent(jdk -> byRealPath.putIfAbsent(jdk.home(), jdk));
    }
    this.candidates = List.copyOf(byRealPath.values());
  }

  /**
   * The JDKs to choose from: only {@code override} when one is given (the user asked for it), else
   * {@code $JAVA_HOME}, the JDK running this code, then every JDK under {@code jvmRoot}, newest first.
   */
  static JdkSelector forMachine(Path override, Path jvmRoot) {
    if (override != null) {
      return new JdkSelector(List.of(override));
    }
    List<Path> homes = new ArrayList<>();
    Optional.ofNullable(System.getenv("JAVA_HOME")).filter(s -> !s.isBlank()).map(Path::of).ifPresent(homes::add);
    homes.add(Path.of(System.getProperty("java.home")));
    homes.addAll(installedUnder(jvmRoot));
    return new JdkSelector(homes);
  }

  private static List<Path> installedUnder(Path jvmRoot) {
    if (!Files.isDirectory(jvmRoot)) {
      return List.of();
    }
    try (Stream<Path> dirs = Files.list(jvmRoot)) {
      return dirs.map(Jdk::at).flatMap(Optional::stream)
          .sorted(Comparator.comparingInt(Jdk::major).reversed())
          .map(Jdk::home)
          .collect(Collectors.toList());
    } catch (IOException e) {
      return List.of();
    }
  }

  List<Jdk> candidates() {
    return candidates;
  }

  Jdk select(String server, JdkRange range) throws StackException {
    for (Jdk jdk : candidates) {
      if (range.accepts(jdk.major())) {
        return jdk;
      }
    }
    String found = candidates.isEmpty()
        ? "none"
        : candidates.stream().map(j -> "Java " + j.version() + " at " + j.home()).collect(Collectors.joining(", "));
    throw new StackException("no suitable JDK for " + server + " (it needs " + range + "); found: " + found
        + "; install one or point JAVA_HOME (or the stack's JDK setting) at one");
  }
}
