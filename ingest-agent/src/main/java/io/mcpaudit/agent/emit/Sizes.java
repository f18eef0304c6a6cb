package io.mcpaudit.agent.emit;

/** Byte sizes as people read them in status lines: 12 MiB, 512 KiB. */
public final class Sizes {
  private Sizes() {}

  public static String human(long bytes) {
    if (bytes >= 1L << 30 && bytes % (1L << 30) == 0) {
      return (bytes >> 30) + " GiB";
    }
    if (bytes >= 1L << 20) {
      return (bytes >> 20) + " MiB";
    }
    if (bytes >= 1L << 10) {
      return (bytes >> 10) + " KiB";
    }
    return bytes + " B";
  }
}
