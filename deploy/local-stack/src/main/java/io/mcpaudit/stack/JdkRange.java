package io.mcpaudit.stack;

/** The Java major versions a server is known to run on; {@code max} is {@link Integer#MAX_VALUE} when no limit is known. */
record JdkRange(int min, int max) {

  static JdkRange atLeast(int min) {
    return new JdkRange(min, Integer.MAX_VALUE);
  }

  boolean accepts(int major) {
    return major >= min && major <= max;
  }

  @Override
  public String toString() {
    return max == Integer.MAX_VALUE ? "Java " + min + " or later" : "Java " + min + " to " + max;
  }
}
