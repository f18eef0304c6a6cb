package io.mcpaudit.agent.http;

/**
 * Settings applied before the agent creates its first Jetty object. Jetty sizes some padding by
 * asking the JVM, through the platform MBean server, whether object references are compressed;
 * starting the MBean server costs a few hundred milliseconds of agent start. Compressed references
 * (the JVM default below 32 GiB of heap) give 16 references per 64-byte cache line; the value only
 * tunes padding, never behaviour, and an explicit setting is left alone.
 */
public final class JettyDefaults {
  static final String REFERENCES_PER_CACHE_LINE = "org.eclipse.jetty.util.referencesPerCacheLine";

  private JettyDefaults() {}

  public static void apply() {
    if (System.getProperty(REFERENCES_PER_CACHE_LINE) == null) {
      System.setProperty(REFERENCES_PER_CACHE_LINE, "16");
    }
  }
}
