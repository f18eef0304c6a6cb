package io.mcpaudit.router.config;

import java.util.Optional;

/** A configuration value that is either plain text or a {@link Secret} reference. */
public record TextValue(Optional<String> text, Optional<Secret> secret) {
  public static TextValue plain(String text) {
    return new TextValue(Optional.of(text), Optional.empty());
  }

  public static TextValue secret(Secret secret) {
    return new TextValue(Optional.empty(), Optional.of(secret));
  }

  public String value() {
    return text.orElseGet(() -> secret.orElseThrow().reveal());
  }

  @Override
  public String toString() {
    return text.orElseGet(() -> secret.orElseThrow().toString());
  }
}
