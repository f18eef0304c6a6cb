package io.mcpaudit.agent.emit;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A bounded, append-only, on-disk queue of records, kept in order across restarts.
 * Segment files ({@code 00000000000000000001.seg}, …) hold records as a 4-byte
 * big-endian length followed by that many bytes; a small cursor file says how far
 * replay has got. Consumed segments are deleted.
 *
 * <p>One process owns a spool folder at a time (a file lock), so concurrent agents
 * each use their own. Not thread-safe: the agent's event thread is its only user.
 */
public final class Spool implements Closeable {
  private static final String SEGMENT_SUFFIX = ".seg";
  private static final String CURSOR = "cursor";
  private static final String LOCK = "lock";

  private final Path dir;
  private final long maxBytes;
  private final long segmentBytes;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final List<Long> segments = new ArrayList<>();
  private long readSegment;
  private long readOffset;
  private long records;
  private long bytes;
  private OutputStream writer;
  private long writerSegment = -1;
  private long writerSize;

  private Spool(Path dir, long maxBytes, long segmentBytes, FileChannel lockChannel, FileLock lock) {
    this.dir = dir;
    this.maxBytes = maxBytes;
    this.segmentBytes = segmentBytes;
    this.lockChannel = lockChannel;
    this.lock = lock;
  }

  /**
   * Opens (creating when needed) the spool in {@code dir}.
   *
   * @throws SpoolBusyException when another process holds it
   */
  public static Spool open(Path dir, long maxBytes, long segmentBytes) throws IOException {
    if (maxBytes < 1024 || segmentBytes < 1024) {
      throw new IllegalArgumentException("spool sizes must be at least 1 KiB");
    }
    Files.createDirectories(dir);
    FileChannel channel = FileChannel.open(dir.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    }
    if (lock == null) {
      channel.close();
      throw new SpoolBusyException(dir);
    }
    Spool spool = new Spool(dir, maxBytes, segmentBytes, channel, lock);
    try {
      spool.load();
    } catch (IOException | RuntimeException e) {
      spool.close();
      throw e;
    }
    return spool;
  }

  /**
   * As {@link #open(Path, long, long)}, waiting up to {@code lockWait} for another process to let go
   * of the folder: an agent replaying a stopped agent's spool holds it for one replay turn.
   */
  public static Spool open(Path dir, long maxBytes, long segmentBytes, Duration lockWait) throws IOException {
    long until = System.nanoTime() + lockWait.toNanos();
    while (true) {
      try {
        return open(dir, maxBytes, segmentBytes);
      } catch (SpoolBusyException busy) {
        if (System.nanoTime() - until >= 0) {
          throw busy;
        }
        try {
          Thread.sleep(50);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw busy;
        }
      }
    }
  }

  /** Whether another live process holds the spool in {@code dir}. */
  public static boolean isBusy(Path dir) {
    try (Spool ignored = open(dir, 1024, 1024)) {
      return false;
    } catch (SpoolBusyException e) {
      return true;
    } catch (IOException e) {
      return true;
    }
  }

  public Path dir() {
    return dir;
  }

  public long maxBytes() {
    return maxBytes;
  }

  /** Bytes held (records not yet replayed, with their length prefixes). */
  public long sizeBytes() {
    return bytes;
  }

  /** Records not yet replayed. */
  public long records() {
    return records;
  }

  public boolean isEmpty() {
    return records == 0;
  }

  /** Whether a record of this size would fit. */
  public boolean fits(int recordLength) {
    return bytes + 4L + recordLength <= maxBytes;
  }

  /** Appends a record; false (and nothing written) when the spool is full. */
  public boolean append(byte[] record) throws IOException {
    if (!fits(record.length)) {
      return false;
    }
    if (writer == null || writerSize >= segmentBytes) {
      rollSegment();
    }
    writer.write(ByteBuffer.allocate(4).putInt(record.length).array());
    writer.write(record);
    writerSize += 4L + record.length;
    bytes += 4L + record.length;
    records++;
    return true;
  }

  /** Makes appended records visible to {@link #peek} and durable against a process crash. */
  public void flush() throws IOException {
    if (writer != null) {
      writer.flush();
    }
  }

  /** Up to {@code max} of the oldest records, without consuming them. */
  public List<byte[]> peek(int max) throws IOException {
    flush();
    List<byte[]> out = new ArrayList<>(Math.min(max, (int) Math.min(records, 10_000)));
    long segment = readSegment;
    long offset = readOffset;
    int index = segments.indexOf(segment);
    while (out.size() < max && index >= 0 && index < segments.size()) {
      Path file = segmentPath(segments.get(index));
      try (InputStream in = Files.newInputStream(file)) {
        in.skipNBytes(offset);
        DataInputStream data = new DataInputStream(new java.io.BufferedInputStream(in, 64 * 1024));
        while (out.size() < max) {
          int length;
          try {
            length = data.readInt();
          } catch (EOFException end) {
            break;
          }
          byte[] record = new byte[length];
          try {
            data.readFully(record);
          } catch (EOFException torn) {
            break; // a record cut short by a crash: nothing after it in this segment is usable
          }
          out.add(record);
        }
      }
      index++;
      offset = 0;
    }
    return out;
  }

  /** Consumes the {@code count} oldest records (after they were delivered). */
  public void commit(int count) throws IOException {
    flush();
    int remaining = Math.min(count, (int) Math.min(Integer.MAX_VALUE, records));
    while (remaining > 0 && !segments.isEmpty()) {
      Path file = segmentPath(readSegment);
      long size = Files.size(file);
      try (InputStream in = Files.newInputStream(file)) {
        in.skipNBytes(readOffset);
        DataInputStream data = new DataInputStream(new java.io.BufferedInputStream(in, 64 * 1024));
        while (remaining > 0 && readOffset + 4 <= size) {
          int length = data.readInt();
          if (readOffset + 4 + length > size) {
            break;
          }
          data.skipNBytes(length);
          readOffset += 4L + length;
          bytes -= 4L + length;
          records--;
          remaining--;
        }
      }
      if (remaining > 0) {
        if (readSegment == writerSegment) {
          break;
        }
        // This segment is used up (a torn tail after a crash counts as used up): move to the next.
        deleteSegment(readSegment);
        readSegment = segments.isEmpty() ? readSegment : segments.get(0);
        readOffset = 0;
      }
    }
    if (records == 0) {
      // Everything replayed: start over with no files. The cursor is reset before the files go.
      readOffset = 0;
      bytes = 0;
      writeCursor();
      for (long segment : List.copyOf(segments)) {
        deleteSegment(segment);
      }
      return;
    }
    writeCursor();
  }

  @Override
  public void close() throws IOException {
    try {
      if (writer != null) {
        writer.close();
      }
    } finally {
      if (lock != null && lock.isValid()) {
        lock.release();
      }
      lockChannel.close();
    }
  }

  private void load() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      files.map(path -> path.getFileName().toString())
          .filter(name -> name.endsWith(SEGMENT_SUFFIX))
          .map(name -> name.substring(0, name.length() - SEGMENT_SUFFIX.length()))
          .filter(name -> name.chars().allMatch(Character::isDigit) && !name.isEmpty())
          .map(Long::parseLong)
          .sorted()
          .forEach(segments::add);
    }
    Path cursor = dir.resolve(CURSOR);
    if (Files.exists(cursor)) {
      String[] parts = Files.readString(cursor, StandardCharsets.US_ASCII).trim().split("\\s+");
      if (parts.length == 2) {
        readSegment = Long.parseLong(parts[0]);
        readOffset = Long.parseLong(parts[1]);
      }
    }
    // Segments before the cursor were consumed but not yet deleted when the process stopped.
    while (!segments.isEmpty() && segments.get(0) < readSegment) {
      deleteSegment(segments.get(0));
    }
    if (segments.isEmpty()) {
      readOffset = 0;
    } else if (segments.get(0) != readSegment) {
      readSegment = segments.get(0);
      readOffset = 0;
    }
    // Count what is left to replay.
    for (long segment : segments) {
      Path file = segmentPath(segment);
      long size = Files.size(file);
      long offset = segment == readSegment ? readOffset : 0;
      try (InputStream in = Files.newInputStream(file)) {
        in.skipNBytes(Math.min(offset, size));
        DataInputStream data = new DataInputStream(new java.io.BufferedInputStream(in, 64 * 1024));
        long position = offset;
        while (position + 4 <= size) {
          int length = data.readInt();
          if (position + 4 + length > size) {
            break;
          }
          data.skipNBytes(length);
          position += 4L + length;
          records++;
          bytes += 4L + length;
        }
      }
    }
  }

  private void rollSegment() throws IOException {
    if (writer != null) {
      writer.close();
    }
    // Numbers only grow, so that the cursor never points past a segment written later.
    long next = segments.isEmpty() ? readSegment + 1 : segments.get(segments.size() - 1) + 1;
    if (segments.isEmpty()) {
      readSegment = next;
      readOffset = 0;
    }
    segments.add(next);
    writerSegment = next;
    writerSize = 0;
    writer = new BufferedOutputStream(Files.newOutputStream(segmentPath(next), StandardOpenOption.CREATE_NEW,
        StandardOpenOption.WRITE), 64 * 1024);
  }

  private void deleteSegment(long segment) throws IOException {
    if (segment == writerSegment && writer != null) {
      writer.close();
      writer = null;
      writerSegment = -1;
    }
    Files.deleteIfExists(segmentPath(segment));
    segments.remove(Long.valueOf(segment));
  }

  private void writeCursor() throws IOException {
    Path tmp = dir.resolve(CURSOR + ".tmp");
    Files.writeString(tmp, readSegment + " " + readOffset + "\n", StandardCharsets.US_ASCII);
    try {
      Files.move(tmp, dir.resolve(CURSOR), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, dir.resolve(CURSOR), StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private Path segmentPath(long segment) {
    return dir.resolve(String.format("%020d%s", segment, SEGMENT_SUFFIX));
  }

  /** Another process owns this spool folder. */
  public static final class SpoolBusyException extends IOException {
    public SpoolBusyException(Path dir) {
      super("the spool " + dir + " is in use by another mcp-audit agent");
    }
  }
}
