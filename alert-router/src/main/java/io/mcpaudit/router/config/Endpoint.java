package io.mcpaudit.router.config;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a destination's requests go. When the URL itself is a secret (a Slack webhook URL
 * carries its token in the path) it came from a {@link Secret} and {@link #display()} shows
 * only the scheme, host and port.
 */
public record Endpoint(URI uri, Optional<Secret> secret) {
  public Endpoint {
    Objects.requireNonNull(uri, "uri");
    Objects.requireNonNull(secret, "secret");
  }

  public static Endpoint of(URI uri) {
    return new Endpoint(uri, Optional.empty());
  }

  public static Endpoint secret(URI uri, Secret secret) {
    return new Endpoint(uri, Optional.of(secret));
  }

  /** Safe to log: the full URL for plain endpoints; scheme, host and port for secret ones. */
  public String display() {
    if (secret.isEmpty()) {
      return uri.toString();
    }
    String port = uri.getPort() < 0 ? "" : ":" + uri.getPort();
    return uri.getScheme() + "://" + uri.getHost() + port + "/… (URL from " + secret.get().source() + ")";
  }

  /** Text with a secret URL removed, whole or as its path (a server may echo either back). */
  public String redact(String text) {
    if (secret.isEmpty() || text == null) {
      return text;
    }
    String out = secret.get().redact(text);
    String note = "[URL from " + secret.get().source() + "]";
    for (String part : new String[] {uri.getRawPath(), uri.getPath(), uri.getRawQuery()}) {
      if (part != null && part.length() > 1) {
        out = out.replace(part, note);
      }
    }
    return out;
  }

  @Override
  public String toString() {
    return display();
  }
}
