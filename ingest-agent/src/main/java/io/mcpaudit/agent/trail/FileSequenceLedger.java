package io.mcpaudit.agent.trail;

import io.mcpaudit.schema.chain.EventHashChain;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Properties;
import java.util.function.Consumer;

/**
 * The agent's numbering in a small file beside its spool ({@code chain.properties}), which the
 * spool's lock already reserves for one agent process.
 *
 * <p>A clean stop writes the exact last sequence number and hash, and the next run links its first
 * event to them: the pipeline sees one unbroken chain. While running, the file only says how far
 * numbers may have been used: blocks of {@link #RESERVE} numbers are reserved ahead (one synced
 * write per block), so after a crash the next run starts past every number the crashed one could
 * have sent. Nothing is repeated; the numbers reserved but not used show in the pipeline as
 * missing events, which after a crash is what it should look into.
 */
public final class FileSequenceLedger implements SequenceLedger {
  static final String FILE = "chain.properties";
  static final long RESERVE = 1_000;

  private final Path file;
  private final Consumer<String> status;
  private long reservedThrough;

  public FileSequenceLedger(Path dir, Consumer<String> status) {
    this.file = dir.resolve(FILE);
    this.status = status;
  }

  @Override
  public ChainPosition resume() {
    ChainPosition position = read();
    reserveFrom(position.lastSequence());
    return position;
  }

  private ChainPosition read() {
    if (!Files.exists(file)) {
      return ChainPosition.START;
    }
    Properties p = new Properties();
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(in);
      String state = p.getProperty("state", "");
      if (state.equals("stopped")) {
        return new ChainPosition(Long.parseLong(p.getProperty("last.sequence")), requireHash(p.getProperty("last.hash")));
      }
      if (state.equals("running")) {
        long reserved = Long.parseLong(p.getProperty("reserved.through"));
        status.accept("mcp-audit agent: the last run with this agent id did not stop cleanly; numbering goes on after "
            + reserved + ", the last number it had reserved (the pipeline reports the numbers it did not use as"
            + " missing)");
        return new ChainPosition(reserved, EventHashChain.GENESIS);
      }
      throw new IllegalArgumentException("unknown state '" + state + "'");
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException("cannot read this agent's numbering from " + file + " (" + e.getMessage()
          + "); delete the file to number from 1 again (the pipeline then reports repeated numbers as"
          + " duplicates)", e);
    }
  }

  private static String requireHash(String hash) {
    if (hash == null || !hash.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException("last.hash is not a SHA-256 hex digest");
    }
    return hash;
  }

  @Override
  public void numbered(long sequence) {
    if (sequence >= reservedThrough) {
      try {
        reserveFrom(sequence);
      } catch (UncheckedIOException e) {
        // Events go on; only a crash before the next successful write could repeat numbers.
        status.accept("mcp-audit agent: " + e.getMessage() + "; if this agent crashes now, its next run may repeat"
            + " sequence numbers");
      }
    }
  }

  private void reserveFrom(long sequence) {
    reservedThrough = sequence + RESERVE;
    write("state=running\nreserved.through=" + reservedThrough + "\n");
  }

  @Override
  public void stopped(ChainPosition last) {
    write("state=stopped\nlast.sequence=" + last.lastSequence() + "\nlast.hash=" + last.lastHash() + "\n");
  }

  /** Replaces the file in one step, synced before the rename, so a crash leaves the old or the new one. */
  private void write(String body) {
    Path temp = file.resolveSibling(FILE + ".tmp");
    byte[] bytes = ("# this agent's event numbering, kept across runs; written by the agent\n" + body)
        .getBytes(StandardCharsets.UTF_8);
    try {
      Files.createDirectories(file.getParent());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + file.getParent() + ": " + e.getMessage(), e);
    }
    try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      channel.write(ByteBuffer.wrap(bytes));
      channel.force(true);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write this agent's numbering to " + temp + ": " + e.getMessage(), e);
    }
    try {
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot replace " + file + ": " + e.getMessage(), e);
    }
  }
}
