package io.mcpaudit.router.config;

import java.util.Optional;

/** Link templates pages carry back to the investigation UI: the session trace, and the alert itself. */
public record Links(Optional<LinkTemplate> trace, Optional<LinkTemplate> alert) {
  public static Links none() {
    return new Links(Optional.empty(), Optional.empty());
  }
}
