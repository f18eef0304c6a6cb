package io.mcpaudit.stack;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Starts server processes so that they outlive the JVM that started them, and recognises them later:
 * every server gets a marker argument naming it and its run folder, and nothing is signalled unless
 * its command line still carries that marker (pids get recycled).
 */
final class ServerProcess {

  private static final List<Path> SETSID = List.of(Path.of("/usr/bin/setsid"), Path.of("/bin/setsid"));
  private static final Pattern RSS = Pattern.compile("^VmRSS:\\s+(\\d+)\\s+kB", Pattern.MULTILINE);

  private ServerProcess() {}

  /**
   * The JVM argument that identifies {@code server} of the stack in {@code runDir}; the folder is hashed
   * so the marker survives word splitting in start scripts.
   */
  static String marker(String server, Path runDir) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest(runDir.toAbsolutePath().normalize().toString().getBytes(StandardCharsets.UTF_8));
      return "-Dmcpaudit.stack=" + server + "@" + HexFormat.of().formatHex(digest, 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  /**
   * Starts {@code command} in its own session (so a Ctrl-C meant for the launcher does not reach it),
   * with input from /dev/null and all output appended to {@code log}.
   */
  static Process spawn(String title, List<String> command, Map<String, String> env, Path workDir, Path log)
      throws StackException {
    List<String> full = new ArrayList<>();
    SETSID.stream().filter(Files::isExecutable).findFirst().ifPresent(p -> full.add(p.toString()));
    full.addAll(command);
    ProcessBuilder pb = new ProcessBuilder(full)
        .directory(workDir.toFile())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    pb.environment().putAll(env);
    try {
      return pb.start();
    } catch (IOException e) {
      throw new StackException("cannot start " + title + ": " + e.getMessage() + "; log: " + log, e);
    }
  }

  /** The live process {@code pid} if it is still the server {@code marker} names. */
  static Optional<ProcessHandle> ours(long pid, String marker) {
    return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(h -> commandLine(pid).contains(marker));
  }

  /** Live processes carrying the marker of any server of the stack in {@code runDir}, state file or not. */
  static List<ProcessHandle> allOf(Path runDir) {
    String suffix = marker("", runDir).replaceAll(".*@", "@");
    return ProcessHandle.allProcesses()
        .filter(h -> commandLine(h.pid()).stream()
            .anyMatch(arg -> arg.startsWith("-Dmcpaudit.stack=") && arg.endsWith(suffix)))
        .collect(Collectors.toList());
  }

  private static List<String> commandLine(long pid) {
    try {
      byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
      return Arrays.asList(new String(raw, StandardCharsets.UTF_8).split("\0"));
    } catch (IOException | RuntimeException e) {
      // Without /proc, fall back to what the JDK can tell (possibly nothing for other users' processes).
      return ProcessHandle.of(pid).flatMap(h -> h.info().arguments()).map(Arrays::asList).orElse(List.of());
    }
  }

  /** Resident memory in bytes, 0 when unknown. */
  static long residentBytes(long pid) {
    try {
      Matcher m = RSS.matcher(Files.readString(Path.of("/proc", Long.toString(pid), "status")));
      return m.find() ? Long.parseLong(m.group(1)) * 1024 : 0;
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  /** The last {@code count} lines of a log, indented for an error message. */
  static String tail(Path log, int count) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.ISO_8859_1);
      if (lines.isEmpty()) {
        return "    | (the log is empty)";
      }
      return lines.subList(Math.max(0, lines.size() - count), lines.size()).stream()
          .map(line -> "    | " + line).collect(Collectors.joining(System.lineSeparator()));
    } catch (IOException e) {
      return "    | (log not readable: " + e.getMessage() + ")";
    }
  }
}
