package io.mcpaudit.agent.emit;

import java.time.Duration;

/** A moment on the monotonic clock by which a piece of work must be done. */
record Deadline(long nanoTime) {

  static Deadline after(Duration timeout) {
    return new Deadline(System.nanoTime() + timeout.toNanos());
  }

  /** Time left, zero once the deadline has passed. */
  Duration remaining() {
    return Duration.ofNanos(Math.max(0, nanoTime - System.nanoTime()));
  }

  boolean passed() {
    return nanoTime - System.nanoTime() <= 0;
  }
}
