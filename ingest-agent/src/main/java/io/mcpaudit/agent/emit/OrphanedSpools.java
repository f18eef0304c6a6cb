package io.mcpaudit.agent.emit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Spools that agents with other agent ids left in the same {@code spool.dir}: a folder whose lock no
 * live process holds (its agent has stopped or crashed) and whose recorded destination is this agent's
 * Kafka and topic. Whichever agent finds one replays it, so that events of a run with a one-off agent
 * id are not stranded. A folder is locked only for one replay turn at a time, so that its own agent,
 * restarting, gets it back within moments.
 */
public final class OrphanedSpools {
  private final Path root;
  private final Path own;
  private final SpoolDestination destination;
  private final long maxBytes;
  private final long segmentBytes;
  private final Consumer<String> status;
  private final Set<Path> unusable = new HashSet<>();
  private final Set<Path> announced = new HashSet<>();

  /**
   * @param root the spool root ({@code spool.dir}) whose folders are looked at
   * @param own this agent's own folder in it, never treated as orphaned
   * @param destination this agent's Kafka and topic; only spools meant for them are replayed
   */
  public OrphanedSpools(Path root, Path own, SpoolDestination destination, long maxBytes, long segmentBytes,
                        Consumer<String> status) {
    this.root = root;
    this.own = own;
    this.destination = destination;
    this.maxBytes = maxBytes;
    this.segmentBytes = segmentBytes;
    this.status = status;
  }

  /** None to look for (tests, embedders that give the emitter a spool of their own). */
  public static OrphanedSpools none() {
    return new OrphanedSpools(null, null, null, 0, 0, line -> { });
  }

  /**
   * Folders of other agent ids that hold spooled events for this destination. Their agents may still
   * run; {@link #claim} tells.
   */
  List<Path> candidates() {
    if (root == null || !Files.isDirectory(root)) {
      return List.of();
    }
    List<Path> found = new ArrayList<>();
    try (Stream<Path> folders = Files.list(root)) {
      for (Path folder : folders.sorted().toList()) {
        if (Files.isDirectory(folder) && !folder.getFileName().equals(own.getFileName()) && !unusable.contains(folder)
            && SpoolDestination.readFrom(folder).filter(destination::equals).isPresent() && holdsSegments(folder)) {
          found.add(folder);
        }
      }
    } catch (IOException | RuntimeException e) {
      // A folder that cannot be listed or read is not one this agent can replay.
    }
    return found;
  }

  /** The spool in {@code folder}, locked for this agent; empty while its own agent (or another) holds it. */
  Optional<Spool> claim(Path folder) {
    try {
      return Optional.of(Spool.open(folder, maxBytes, segmentBytes));
    } catch (Spool.SpoolBusyException busy) {
      return Optional.empty();
    } catch (IOException | RuntimeException e) {
      unusable.add(folder);
      status.accept("mcp-audit agent: cannot open the spool " + folder + " left by another agent (" + e.getMessage()
          + "); it is left as it is");
      return Optional.empty();
    }
  }

  /**
   * Replays up to {@code maxRecords} events from orphaned spools, each folder locked only while its
   * turn lasts. Stops at the first Kafka or registry failure, or when the deadline has passed.
   */
  SpoolReplay.Outcome replay(SpoolReplay replay, long maxRecords, Deadline deadline) {
    long delivered = 0;
    for (Path folder : candidates()) {
      if (delivered >= maxRecords || deadline.passed()) {
        break;
      }
      Optional<Spool> claimed = claim(folder);
      if (claimed.isEmpty()) {
        continue;
      }
      try (Spool spool = claimed.get()) {
        if (spool.isEmpty()) {
          continue;
        }
        if (announced.add(folder)) {
          status.accept("mcp-audit agent: " + spool.records() + " events left in " + folder + " by agent "
              + folder.getFileName() + " (no longer running) are being sent to Kafka at " + destination.bootstrap());
        }
        SpoolReplay.Outcome outcome = replay.replay(spool, maxRecords - delivered, deadline);
        delivered += outcome.delivered();
        if (spool.isEmpty()) {
          status.accept("mcp-audit agent: the events left in " + folder + " were delivered in order");
        }
        if (outcome.failure() != null) {
          return new SpoolReplay.Outcome(delivered, outcome.failure());
        }
      } catch (SpoolReplay.UnreadableSpoolException e) {
        unusable.add(folder);
        status.accept("mcp-audit agent: " + e.getMessage() + "; it is left as it is");
      } catch (IOException e) {
        unusable.add(folder);
        status.accept("mcp-audit agent: cannot replay the spool " + folder + " (" + e.getMessage()
            + "); it is left as it is");
      }
    }
    return new SpoolReplay.Outcome(delivered, null);
  }

  private static boolean holdsSegments(Path folder) throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      return files.anyMatch(file -> file.getFileName().toString().endsWith(".seg"));
    }
  }
}
