package io.mcpaudit.router.destination;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** One HTTP POST, ready to send: where, with which headers, and the exact body bytes. */
public record OutgoingRequest(URI uri, Map<String, String> headers, byte[] body) {
  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }
}
