package io.mcpaudit.router.config;

import java.util.Objects;

/**
 * A credential read from an environment variable or a file named in the routing configuration.
 * Its value leaves this object only through {@link #reveal()}, which is called where a request
 * is built; {@link #toString()} names where the value came from, never the value.
 */
public final class Secret {
  private final String value;
  private final String source;

  private Secret(String value, String source) {
    this.value = Objects.requireNonNull(value, "value");
    this.source = Objects.requireNonNull(source, "source");
  }

  static Secret of(String value, String source) {
    return new Secret(value, source);
  }

  /** A secret for tests and programmatic configuration. */
  public static Secret literal(String value, String description) {
    return new Secret(value, description);
  }

  /** The value, for putting into a request. Never log or print it. */
  public String reveal() {
    return value;
  }

  /** Where the value came from: {@code env PD_ROUTING_KEY} or {@code file /run/secrets/pd}. */
  public String source() {
    return source;
  }

  /** Replaces every occurrence of this secret's value in {@code text}; for anything about to be logged or stored. */
  public String redact(String text) {
    if (text == null || value.isEmpty()) {
      return text;
    }
    return text.replace(value, "[secret from " + source + "]");
  }

  @Override
  public String toString() {
    return "Secret[from " + source + "]";
  }
}
