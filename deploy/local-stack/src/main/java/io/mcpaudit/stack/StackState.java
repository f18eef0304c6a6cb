package io.mcpaudit.stack;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * What a started stack leaves in its run folder, so that any later process (another JVM, the
 * command line) can find, check and stop it.
 */
record StackState(Instant started, List<Server> servers) {

  static final String FILE = "stack.properties";

  /** One started server: its process and where it listens and logs. */
  record Server(String name, long pid, int port, int internalPort, Path log, Instant started) {}

  StackState {
    servers = List.copyOf(servers);
  }

  Optional<Server> server(String name) {
    return servers.stream().filter(s -> s.name().equals(name)).findFirst();
  }

  /** Written to a temporary file first and moved into place, so a reader never sees half a state. */
  void write(Path runDir) throws IOException {
    Properties p = new Properties();
    p.setProperty("started", started.toString());
    p.setProperty("servers", String.join(",", servers.stream().map(Server::name).toList()));
    for (Server s : servers) {
      p.setProperty(s.name() + ".pid", Long.toString(s.pid()));
      p.setProperty(s.name() + ".port", Integer.toString(s.port()));
      p.setProperty(s.name() + ".internal-port", Integer.toString(s.internalPort()));
      p.setProperty(s.name() + ".log", s.log().toString());
      p.setProperty(s.name() + ".started", s.started().toString());
    }
    StringWriter text = new StringWriter();
    p.store(text, "mcp-audit local stack: the servers started in this folder (read by attach, status and stop)");
    Path tmp = runDir.resolve(FILE + ".tmp");
    try (Writer out = Files.newBufferedWriter(tmp)) {
      out.write(text.toString());
    }
    Files.move(tmp, runDir.resolve(FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** The state in {@code runDir}, empty when there is none. */
  static Optional<StackState> read(Path runDir) throws StackException {
    Path file = runDir.resolve(FILE);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try (Reader in = Files.newBufferedReader(file)) {
      Properties p = new Properties();
      p.load(in);
      List<Server> servers = new ArrayList<>();
      for (String name : p.getProperty("servers", "").split(",")) {
        if (name.isBlank()) {
          continue;
        }
        servers.add(new Server(name,
            Long.parseLong(required(p, name + ".pid")),
            Integer.parseInt(required(p, name + ".port")),
            Integer.parseInt(required(p, name + ".internal-port")),
            Path.of(required(p, name + ".log")),
            Instant.parse(required(p, name + ".started"))));
      }
      return Optional.of(new StackState(Instant.parse(required(p, "started")), servers));
    } catch (IOException | RuntimeException e) {
      throw new StackException("the stack state file " + file + " is unreadable (" + e.getMessage()
          + "); stop any servers it started by hand and delete it", e);
    }
  }

  static void delete(Path runDir) throws IOException {
    Files.deleteIfExists(runDir.resolve(FILE));
  }

  private static String required(Properties p, String key) {
    String value = p.getProperty(key);
    if (value == null) {
      throw new IllegalArgumentException("missing " + key);
    }
    return value;
  }
}
