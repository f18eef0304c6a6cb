package io.mcpaudit.agent.stdio;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Copies one direction of a stdio connection byte for byte, writing and flushing each
 * chunk before a copy of it is looked at: observation never changes or delays what
 * the other side receives.
 */
final class StdioRelay implements Runnable {
  private final InputStream from;
  private final OutputStream to;
  private final NewlineFramer framer;
  private final boolean closeTargetAtEnd;
  private volatile IOException failure;

  StdioRelay(InputStream from, OutputStream to, NewlineFramer framer, boolean closeTargetAtEnd) {
    this.from = from;
    this.to = to;
    this.framer = framer;
    this.closeTargetAtEnd = closeTargetAtEnd;
  }

  @Override
  public void run() {
    byte[] buffer = new byte[64 * 1024];
    try {
      int n;
      while ((n = from.read(buffer)) != -1) {
        to.write(buffer, 0, n);
        to.flush();
        framer.accept(buffer, 0, n);
      }
    } catch (IOException e) {
      failure = e;
    } finally {
      framer.finish();
      if (closeTargetAtEnd) {
        try {
          to.close();
        } catch (IOException ignored) {
          // the child already went away; its exit is what gets reported
        }
      }
    }
  }

  /** Why the relay stopped early, if it did (a closed pipe when the other side went away). */
  IOException failure() {
    return failure;
  }
}
