package io.mcpaudit.router.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** A secret's location as the configuration names it: {@code {env: NAME}} or {@code {file: PATH}}. */
public record SecretRef(Kind kind, String reference) {
  public enum Kind { ENV, FILE }

  /** Reads the secret now, or throws with a message that says which variable or file is missing (never a value). */
  Secret resolve(Environment environment, Path configDirectory) {
    return switch (kind) {
      case ENV -> {
        String value = environment.get(reference).map(String::strip).orElse("");
        if (value.isEmpty()) {
          throw new IllegalArgumentException("environment variable " + reference + " is not set or is empty");
        }
        yield Secret.of(value, "env " + reference);
      }
      case FILE -> {
        Path path = configDirectory.resolve(reference);
        String value;
        try {
          value = Files.readString(path, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
          throw new IllegalArgumentException("secret file " + path + " cannot be read ("
              + e.getClass().getSimpleName() + ")");
        }
        if (value.isEmpty()) {
          throw new IllegalArgumentException("secret file " + path + " is empty");
        }
        yield Secret.of(value, "file " + path);
      }
    };
  }
}
