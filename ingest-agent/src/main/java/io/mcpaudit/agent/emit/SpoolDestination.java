package io.mcpaudit.agent.emit;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * The Kafka cluster and topic the events in a spool folder were meant for, kept in a small
 * {@code destination} file beside the segments, so that another agent replays a spool only
 * where its own agent would have sent it.
 *
 * @param bootstrap the bootstrap servers, trimmed and sorted, comma-separated
 */
public record SpoolDestination(String bootstrap, String topic) {
  static final String FILE = "destination";

  public SpoolDestination {
    bootstrap = Arrays.stream(bootstrap.split(",")).map(String::trim).filter(server -> !server.isEmpty()).sorted()
        .collect(Collectors.joining(","));
  }

  /** Records this destination in the spool folder {@code dir} (replacing what was there). */
  public void writeTo(Path dir) throws IOException {
    Path tmp = dir.resolve(FILE + ".tmp");
    Files.writeString(tmp, "bootstrap=" + bootstrap + "\ntopic=" + topic + "\n", StandardCharsets.UTF_8);
    try {
      Files.move(tmp, dir.resolve(FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, dir.resolve(FILE), StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** The destination recorded in {@code dir}; empty when none was (a spool written before destinations were kept). */
  static Optional<SpoolDestination> readFrom(Path dir) throws IOException {
    String text;
    try {
      text = Files.readString(dir.resolve(FILE), StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    Properties properties = new Properties();
    properties.load(new StringReader(text));
    String bootstrap = properties.getProperty("bootstrap");
    String topic = properties.getProperty("topic");
    return bootstrap == null || topic == null ? Optional.empty() : Optional.of(new SpoolDestination(bootstrap, topic));
  }
}
